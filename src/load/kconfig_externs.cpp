#include "load/kconfig_externs.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <string>

#include <bpf/btf.h>

#include "support/error.h"

namespace probecc {

llvm::Error checkKernelConfigReadable(const bpf_object &object) {
  const bpf_map *kconfig = bpf_object__find_map_by_name(&object, ".kconfig");
  const btf *types = bpf_object__btf(&object);
  if (!kconfig || !types) return llvm::Error::success();
  const btf_type *section = btf__type_by_id(types, bpf_map__btf_value_type_id(kconfig));
  if (!section || !btf_is_datasec(section)) return llvm::Error::success();
  std::string options;
  const btf_var_secinfo *variables = btf_var_secinfos(section);
  for (unsigned i = 0; i < btf_vlen(section); ++i) {
    const char *name = btf__name_by_offset(types, btf__type_by_id(types, variables[i].type)->name_off);
    if (name && std::string_view(name).starts_with("CONFIG_")) options += (options.empty() ? "" : ", ") + std::string(name);
  }
  if (options.empty()) return llvm::Error::success();
  utsname system{};
  uname(&system);
  const std::string boot = std::string("/boot/config-") + system.release;
  if (access("/proc/config.gz", R_OK) == 0 || access(boot.c_str(), R_OK) == 0) return llvm::Error::success();
  return makeError("the program reads " + options + " from the kernel's configuration when it is loaded, but this "
                   "kernel's is not readable: neither /proc/config.gz (CONFIG_IKCONFIG_PROC; try modprobe configs) "
                   "nor " + boot + " exists");
}

}  // namespace probecc
