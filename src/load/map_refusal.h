#pragma once
// When bpf_object__load fails before any program is verified, the kernel refused a map: which
// one, of what kind and size, and why, at the line of the user's source that declares it.
#include <optional>
#include <string>

#include <bpf/libbpf.h>

#include "load/verifier_errors.h"

namespace probecc {

// Creates each of the object's maps again as libbpf would (without BTF), in libbpf's order, until
// the kernel refuses one; its error message, or nullopt if every map can be created (the failure
// was something else). `err` is bpf_object__load's error (positive).
std::optional<std::string> explainMapRefusal(bpf_object &object, int err, const UserSource &source);

}  // namespace probecc
