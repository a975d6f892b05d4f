#include "attach/target_check.h"

#include "attach/attach.h"
#include "attach/attach_kinds.h"
#include "support/error.h"

namespace probecc {

std::optional<std::string> missingTarget(const ProbeSpec &probe, KernelTargets &targets) {
  const auto &row = attachKind(probe.kind);
  if (probe.target.isPattern() || !row.missing) return std::nullopt;
  return row.missing(probe, targets);
}

llvm::Error checkTargetsExist(const std::vector<ProbeSpec> &probes, KernelContext &kernel) {
  for (const auto &probe : probes)
    if (missingTarget(probe, kernel.targets())) return makeError(explainAttachFailure(probe, -ENOENT, kernel));
  return llvm::Error::success();
}

}  // namespace probecc
