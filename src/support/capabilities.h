#pragma once
// The process's capabilities, read and dropped with capget(2)/capset(2): probecc checks for what
// an operation needs (CAP_BPF, CAP_PERFMON, ...) rather than for uid 0, and gives up what it no
// longer needs once its probes are attached.
#include <initializer_list>
#include <string>

#include <llvm/Support/Error.h>

namespace probecc {

// Whether the effective set holds `capability` (CAP_BPF, ... from <linux/capability.h>).
bool hasCapability(int capability);

// "CAP_BPF" for CAP_BPF.
std::string capabilityName(int capability);

// Clears every capability but those of `keep` (that the process holds) from the effective,
// permitted and inheritable sets; the ambient set follows. Root's exec'd children still get
// root's full set (the bounding set is untouched); other users' children get none.
llvm::Error keepOnlyCapabilities(std::initializer_list<int> keep);

// The capabilities held, effective: "CAP_BPF, CAP_PERFMON" ("none").
std::string heldCapabilities();

}  // namespace probecc
