#pragma once
// -l [PATTERN]: what can be probed, one per line as -a spells it (kprobe:vfs_read,
// tracepoint:sched:sched_switch, raw_tracepoint:sched_switch, kfunc:vfs_read, syscall:openat,
// uprobe:/bin/bash:readline); -v adds tracepoint fields and BTF signatures. Nothing is compiled.
#include <string>

#include <llvm/Support/Error.h>

#include "output/btf_format.h"
#include "kernel/kernel_targets.h"
#include "output/output_sink.h"

namespace probecc {

struct ListRequest {
  // "" (everything), "vfs_*" (any kind's target), "TYPE:PATTERN" (kprobe:vfs_*, tracepoint:sched:*,
  // uprobe:/lib/x86_64-linux-gnu/libc.so.6:str*)
  std::string pattern;
  bool verbose = false;
};

// The listing to `out` (text or JSON), and any note for stderr (e.g. where kprobe names came from) to `notes`.
llvm::Error listProbes(const ListRequest &request, KernelTargets &targets, OutputSink &out, std::string &notes);

}  // namespace probecc
