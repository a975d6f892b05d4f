#pragma once
// -l [PATTERN]: what can be probed, one per line as -a spells it (kprobe:vfs_read,
// tracepoint:sched:sched_switch, raw_tracepoint:sched_switch, kfunc:vfs_read, syscall:openat,
// uprobe:/bin/bash:readline); -v adds tracepoint fields and BTF signatures. Nothing is compiled.
// Each kind's row (attach_kinds.h) lists its own targets through a TargetLister; the output sink's
// renderer prints what it finds (a ListedTarget is output/records.h's ProbeRecord).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <llvm/Support/Error.h>

#include "kernel/kernel_targets.h"
#include "program/probe_kinds.h"

namespace probecc {

struct ListRequest {
  // "" (everything), "vfs_*" (any kind's target), "TYPE:PATTERN" (kprobe:vfs_*, tracepoint:sched:*,
  // uprobe:/lib/x86_64-linux-gnu/libc.so.6:str*)
  std::string pattern;
  bool verbose = false;
};

class TargetLister {
public:
  TargetLister(const ListRequest &request, KernelTargets &targets, std::function<void(const ListedTarget &)> out)
      : request_(request), targets_(targets), out_(std::move(out)) {}

  KernelTargets &targets() { return targets_; }
  // One probe "KIND:TARGET", with its details where -v asks for them.
  void emit(ProbeKind kind, const std::string &target, std::string signature = "",
            std::optional<std::vector<std::string>> fields = std::nullopt);
  size_t emitted(ProbeKind kind) const;
  // A BTF function's prototype (kprobe, kfunc, lsm, raw tracepoint), only with -v.
  std::string signatureOf(const std::string &btfName, const std::string &shownName);
  // A tracepoint's record fields, only with -v (nullopt without).
  std::optional<std::vector<std::string>> fieldsOf(const std::string &categorySlashEvent);
  // A note for stderr, said once.
  void note(const std::string &text);
  const std::string &notes() const { return notes_; }

private:
  const ListRequest &request_;
  KernelTargets &targets_;
  std::function<void(const ListedTarget &)> out_;
  std::unordered_map<std::string, uint32_t> btfIds_;
  std::map<ProbeKind, size_t> emitted_;
  std::string notes_;
};

// The listing, each target to `out`; notes for stderr (e.g. where kprobe names came from) to `notes`.
llvm::Error listTargets(const ListRequest &request, KernelTargets &targets,
                        const std::function<void(const ListedTarget &)> &out, std::string &notes);

}  // namespace probecc
