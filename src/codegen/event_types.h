#pragma once
// Which C type each perf/ring buffer carries: found from the debug info of the data a program
// passes to bpf_perf_event_output / bpf_ringbuf_output / bpf_ringbuf_reserve, so the loader can
// decode every event through the object's BTF without the user describing it.
#include <string>
#include <vector>

#include "program/event_type.h"

namespace llvm {
class Module;
}

namespace probecc {

// Run after -O2. One entry per map (the first type seen wins). The BPF back end puts only the
// types of globals and functions into BTF, so each event type is also anchored there by a
// small read-only global of that type (__probecc_event__MAP).
std::vector<EventType> recordEventTypes(llvm::Module &module);

}  // namespace probecc
