#pragma once
// --set NAME=VALUE: what a libbpf tool's user space writes into its object's globals before load
// (skel->rodata->targ_pid = ...): a `const volatile` knob in .rodata, or a .data/.bss variable.
// The value is checked against the variable's type in the program's BTF.
#include <bpf/libbpf.h>

#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

namespace probecc {

struct GlobalSetting {
  std::string name, value;
};

// "NAME=VALUE" as --set takes it.
llvm::Expected<GlobalSetting> parseGlobalSetting(std::string_view option);

// Writes each value into its global's initial value; before bpf_object__load. Errors name the
// variable and say what its type takes.
llvm::Error applyGlobalSettings(bpf_object &object, const std::vector<GlobalSetting> &settings);

}  // namespace probecc
