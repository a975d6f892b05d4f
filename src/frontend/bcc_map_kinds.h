#pragma once
// BCC's less common map kinds, in the same style as bcc_maps.h: LPM tries, queues and stacks,
// program arrays for tail calls, maps of maps, public/shared/pinned tables, perf counter and
// cgroup arrays, build-id stack traces, ringbuf_query, and bpf_ksym_exists.
//
// What BCC's Python does with some of them, probecc does from the source:
// - BPF_PROG_ARRAY_SLOTS(name, [2] = fn, ...) fills a program array (libbpf's static
//   initialisation); each fn becomes a program of the same type as the probe that tail-calls
//   through name.call(ctx, index), loaded but not attached.
// - BPF_ARRAY_OF_MAPS(name, "inner", n) / BPF_HASH_OF_MAPS(name, key, "inner", n): the named map
//   is the inner maps' template and is stored at index (key) 0.
// - BPF_TABLE_PINNED(..., "/sys/fs/bpf/path"): the map is pinned there (or reused if it is).
// Both strings reach the loader as `__probecc_inner__NAME` / `__probecc_pin__NAME` in .rodata.
#include <string_view>

#include "program/map_names.h"

namespace probecc {

std::string_view bccMapKindDeclarations();

}  // namespace probecc
