#pragma once
// BCC's map declarations (BPF_HASH, BPF_ARRAY, BPF_HISTOGRAM, BPF_PERF_OUTPUT, ...) and their
// method-call syntax (counts.increment(key), events.perf_submit(ctx, &e, sizeof(e)), ...).
#include <string>
#include <string_view>

#include "program/map_names.h"

namespace probecc {

// C text for the preamble. Each declaration makes a libbpf BTF-defined map named NAME__map (the
// loader shows it as NAME) and a `static const` struct NAME whose members point at per-map
// always-inline functions; at -O2 `counts.lookup(&k)` becomes a direct bpf_map_lookup_elem call.
std::string bccMapDeclarations();


}  // namespace probecc
