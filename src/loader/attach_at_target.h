#pragma once
// A probe that shares its program with an earlier probe of the same function (see
// codegen/shared_probe_functions.h): the program's section names the first probe's target, so
// this one is attached at its own, as BCC attaches one program fd several times.
#include <bpf/libbpf.h>

#include "program/probe_kinds.h"

namespace probecc {

// Whether `probe` is not the one `program`'s section attaches.
bool attachesElsewhere(const bpf_program &program, const ProbeSpec &probe);

// Kprobes, tracepoints and raw tracepoints at probe.target, whatever the program's section names
// (a program shared by several probes, one target of a wildcard); nullptr with errno set on failure.
bpf_link *attachAtTarget(bpf_program &program, const ProbeSpec &probe);

}  // namespace probecc
