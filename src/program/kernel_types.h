#pragma once
// Which kernel types a program is compiled against: what the user asked for, and what was found
// (frontend/kernel_types.h finds them). The identity travels with the compiled program.
#include <string>

namespace probecc {

struct KernelTypesRequest {
  std::string headersDir;      // --kernel-headers / $PROBECC_KERNEL_HEADERS; empty: /lib/modules/$(uname -r)
  std::string btfPath = "/sys/kernel/btf/vmlinux";
  bool preferBtf = false;      // --btf, or the program includes "vmlinux.h" (libbpf CO-RE style)
};

struct KernelTypes {
  enum class Source { HeadersDir, Btf };
  Source source = Source::Btf;
  std::string release;    // uname -r
  std::string buildDir;   // headers: the arch-specific tree (generated headers, kconfig)
  std::string sourceDir;  // headers: the common tree (Debian splits build/ and source/)
  std::string btfPath;
  std::string configPath;  // BTF: the kernel's .config (frontend/kernel_config.h), "" if none is readable
  // Compiled to run on other kernels (a package, --emit package): in BTF mode every kernel-type
  // access is a CO-RE relocation and CONFIG_*/LINUX_VERSION_CODE are read when it is loaded.
  bool portable = false;
  std::string describe() const;  // for -v
};

}  // namespace probecc
