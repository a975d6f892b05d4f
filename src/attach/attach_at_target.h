#pragma once
// A probe that shares its program with an earlier probe of the same function (see
// codegen/shared_probe_functions.h): the program's section names the first probe's target, so
// this one is attached at its own, as BCC attaches one program fd several times.
#include <string>

#include <bpf/libbpf.h>

#include "attach/attached_probes.h"
#include "kernel/kernel_context.h"
#include "program/probe_kinds.h"

namespace probecc {

// Whether `probe` is not the one `program`'s section attaches.
bool attachesElsewhere(const bpf_program &program, const ProbeSpec &probe);

// Kprobes, tracepoints and raw tracepoints at probe.target, whatever the program's section names
// (a program shared by several probes, one target of a wildcard); empty with errno set on failure.
// A tracepoint's perf event comes back beside its link (attached_probes.h says why).
Attachment attachAtTarget(bpf_program &program, const ProbeSpec &probe, KernelContext &kernel);

}  // namespace probecc
