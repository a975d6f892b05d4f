#pragma once
// Whether a compiled tracepoint program reads its record, decided from its BPF instructions.
//
// A tracepoint program that reads nothing of its record behaves the same when it runs from the
// raw tracepoint of the same name (raw_tracepoint_stand_ins.h says why that is worth having); its
// context pointer then points at the tracepoint's arguments instead of the record, so the program
// may use the pointer for nothing whose result depends on what it points at.
#include <linux/bpf.h>

#include <span>

namespace probecc {

// True when no path through `instructions` (a program as libbpf opened it, before loading) loads
// from or stores through the context pointer (r1 at entry, or anything computed from it), stores
// the pointer anywhere, or passes it to a call other than bpf_perf_event_output's context argument.
// Conservative: false for anything it cannot follow.
bool readsNothingOfItsContext(std::span<const bpf_insn> instructions);

}  // namespace probecc
