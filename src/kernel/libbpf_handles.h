#pragma once
// Owners of libbpf's and libelf's handles (support/owned.h).
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <libelf.h>

#include "support/owned.h"

namespace probecc {

using BpfObjectPtr = Owned<bpf_object, bpf_object__close>;
using BpfLinkPtr = Owned<bpf_link, bpf_link__destroy>;
using PerfBufferPtr = Owned<perf_buffer, perf_buffer__free>;
using RingBufferPtr = Owned<ring_buffer, ring_buffer__free>;
using BtfPtr = Owned<btf, btf__free>;
using ElfPtr = Owned<Elf, elf_end>;

}  // namespace probecc
