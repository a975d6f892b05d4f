#pragma once
// A program's CONFIG_* __kconfig externs (a package's: frontend/load_time_kernel_facts.h) are filled
// by libbpf from the loading kernel's configuration, which must then be readable.
#include <bpf/libbpf.h>

#include <llvm/Support/Error.h>

namespace probecc {

// Error, naming the options and where libbpf looks, when `object` reads CONFIG_* options and this
// kernel's configuration is not readable (libbpf alone would only say "failed to open system Kconfig").
llvm::Error checkKernelConfigReadable(const bpf_object &object);

}  // namespace probecc
