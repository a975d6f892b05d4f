#include "frontend/kernel_types.h"

#include <sys/utsname.h>

#include <bpf/btf.h>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <tuple>

#include <llvm/ADT/StringRef.h>

#include "frontend/kernel_config.h"
#include "frontend/own_kernel_tags.h"
#include "support/error.h"

namespace probecc {
namespace fs = std::filesystem;

namespace {

std::string runningRelease() {
  utsname name{};
  uname(&name);
  return name.release;
}

bool isDir(const std::string &path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// Debian's arch build tree (linux-headers-KV-amd64) has no include/linux of its own; its Makefile
// includes the common tree's ("include /usr/src/linux-headers-KV-common/Makefile").
std::string splitTreeSource(const std::string &buildDir) {
  std::ifstream makefile(buildDir + "/Makefile");
  for (std::string line; std::getline(makefile, line);) {
    if (!line.starts_with("include ") || !line.ends_with("/Makefile")) continue;
    const std::string dir = line.substr(8, line.size() - 8 - 9);
    if (isDir(dir + "/include/linux")) return fs::weakly_canonical(dir).string();
  }
  return buildDir;
}

}  // namespace

llvm::Expected<KernelTypes> discoverKernelTypes(const KernelTypesRequest &request) {
  KernelTypes kernel;
  kernel.release = runningRelease();
  kernel.btfPath = request.btfPath;

  std::string headers = request.headersDir;
  const bool explicitHeaders = !headers.empty();
  if (!explicitHeaders) headers = "/lib/modules/" + kernel.release + "/build";

  if (!request.preferBtf && isDir(headers + "/include")) {
    kernel.source = KernelTypes::Source::HeadersDir;
    kernel.buildDir = fs::weakly_canonical(headers).string();
    // Debian's linux-headers packages put arch-independent headers in a separate 'source' tree.
    const std::string sourceLink = fs::path(headers).parent_path() / "source";
    kernel.sourceDir = isDir(sourceLink + "/include") && !explicitHeaders
                           ? fs::weakly_canonical(sourceLink).string()
                           : kernel.buildDir;
    if (kernel.sourceDir == kernel.buildDir && !isDir(kernel.buildDir + "/include/linux"))
      kernel.sourceDir = splitTreeSource(kernel.buildDir);
    return kernel;
  }
  if (explicitHeaders && !request.preferBtf)
    return makeError("kernel headers directory " + headers + " has no include/ directory");
  if (!fs::exists(kernel.btfPath))
    return makeError("no kernel types: neither headers at /lib/modules/" + kernel.release +
                     "/build nor BTF at " + kernel.btfPath +
                     " (install linux-headers-" + kernel.release + " or give --kernel-headers DIR)");
  kernel.source = KernelTypes::Source::Btf;
  kernel.configPath = kernelConfigPath(kernel.release);
  return kernel;
}

// The executable decides this before anything is compiled, without Clang: it reads directives
// only (a line that starts with '#'), so a comment or a string naming vmlinux.h does not count.
bool includesVmlinuxHeader(const std::string &text) {
  llvm::StringRef rest(text);
  while (!rest.empty()) {
    llvm::StringRef line;
    std::tie(line, rest) = rest.split('\n');
    line = line.ltrim();
    if (!line.consume_front("#")) continue;
    line = line.ltrim();
    if (!line.consume_front("include")) continue;
    line = line.ltrim();
    if (line.starts_with("\"vmlinux.h\"") || line.starts_with("<vmlinux.h>")) return true;
  }
  return false;
}

std::vector<std::string> kernelIncludeDirs(const KernelTypes &kernel, const std::string &arch) {
  std::vector<std::string> dirs;
  const std::string archInclude = "arch/" + arch + "/include";
  for (const std::string &relative :
       {archInclude, archInclude + "/generated", std::string("include"), archInclude + "/uapi",
        archInclude + "/generated/uapi", std::string("include/uapi"), std::string("include/generated/uapi")}) {
    for (const auto &root : {kernel.buildDir, kernel.sourceDir}) {
      const std::string dir = root + "/" + relative;
      if (isDir(dir) && std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(dir);
    }
  }
  return dirs;
}

namespace {
void appendFormatted(void *context, const char *format, va_list args) {
  auto &out = *static_cast<std::string *>(context);
  char small[512];
  va_list copy;
  va_copy(copy, args);
  const int needed = vsnprintf(small, sizeof small, format, copy);
  va_end(copy);
  if (needed < 0) return;
  if (static_cast<size_t>(needed) < sizeof small) {
    out.append(small, needed);
    return;
  }
  const size_t old = out.size();
  out.resize(old + needed + 1);
  vsnprintf(out.data() + old, needed + 1, format, args);
  out.resize(old + needed);
}
}  // namespace

namespace {
// Whether a program naming `names` needs `type` (what it depends on comes with it).
bool isNeeded(const btf *types, const btf_type *type, const TypeNames &names) {
  const char *name = btf__name_by_offset(types, type->name_off);
  switch (btf_kind(type)) {
  case BTF_KIND_STRUCT:
  case BTF_KIND_UNION:
  case BTF_KIND_FWD:
    return names.tags.contains(name);
  case BTF_KIND_TYPEDEF:
    return names.ordinary.contains(name);
  case BTF_KIND_ENUM:
    if (names.tags.contains(name)) return true;
    for (unsigned i = 0; i < btf_vlen(type); ++i)
      if (names.ordinary.contains(btf__name_by_offset(types, btf_enum(type)[i].name_off))) return true;
    return false;
  case BTF_KIND_ENUM64:
    if (names.tags.contains(name)) return true;
    for (unsigned i = 0; i < btf_vlen(type); ++i)
      if (names.ordinary.contains(btf__name_by_offset(types, btf_enum64(type)[i].name_off))) return true;
    return false;
  default:
    return false;
  }
}
}  // namespace

namespace {
// The kernel functions BPF programs may call (a BTF FUNC carrying the decl tag "bpf_kfunc"), as
// bpftool's vmlinux.h declares them: extern, weak (a kernel without one still loads the program),
// in .ksyms. With `only`, just those the program names, with the types their prototypes need.
llvm::Error appendKfuncDeclarations(const btf *types, btf_dump *dumper, std::string &out, const TypeNames *only) {
  const unsigned count = btf__type_cnt(types);
  bool any = false;
  for (unsigned id = 1; id < count; ++id) {
    const btf_type *tag = btf__type_by_id(types, id);
    if (!btf_is_decl_tag(tag) || btf_decl_tag(tag)->component_idx != -1) continue;
    if (std::strcmp(btf__name_by_offset(types, tag->name_off), "bpf_kfunc") != 0) continue;
    const btf_type *function = btf__type_by_id(types, tag->type);
    if (!function || !btf_is_func(function)) continue;
    const char *name = btf__name_by_offset(types, function->name_off);
    if (only && !only->ordinary.contains(name)) continue;
    if (!any) out += "\n#ifndef BPF_NO_KFUNC_PROTOTYPES\n";
    any = true;
    if (int err = btf_dump__dump_type(dumper, function->type); err < 0)  // the types its prototype needs
      return makeError("cannot dump the prototype of kfunc " + llvm::Twine(name) + ": " + std::strerror(-err));
    out += "extern ";
    LIBBPF_OPTS(btf_dump_emit_type_decl_opts, options, .field_name = name);
    if (int err = btf_dump__emit_type_decl(dumper, function->type, &options); err < 0)
      return makeError("cannot declare kfunc " + llvm::Twine(name) + ": " + std::strerror(-err));
    out += " __attribute__((weak)) __attribute__((section(\".ksyms\")));\n";
  }
  if (any) out += "#endif\n";
  return llvm::Error::success();
}
}  // namespace

llvm::Expected<std::string> dumpVmlinuxHeader(const std::string &btfPath, const TypeNames *only,
                                              const llvm::StringSet<> *ownTags) {
  std::unique_ptr<btf, decltype(&btf__free)> types(btf__parse(btfPath.c_str(), nullptr), btf__free);
  if (!types) return makeError("cannot read kernel BTF " + btfPath + ": " + std::strerror(errno));

  std::string out =
      "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n"
      "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
      "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
      "#endif\n";
  if (!only) out.reserve(8 << 20);
  std::unique_ptr<btf_dump, decltype(&btf_dump__free)> dumper(
      btf_dump__new(types.get(), appendFormatted, &out, nullptr), btf_dump__free);
  if (!dumper) return makeError("cannot dump kernel BTF " + btfPath);
  const unsigned count = btf__type_cnt(types.get());
  for (unsigned id = 1; id < count; ++id) {
    if (only && !isNeeded(types.get(), btf__type_by_id(types.get(), id), *only)) continue;
    if (int err = btf_dump__dump_type(dumper.get(), id); err < 0)
      return makeError("cannot dump kernel BTF type " + llvm::Twine(id) + ": " + std::strerror(-err));
  }
  if (auto error = appendKfuncDeclarations(types.get(), dumper.get(), out, only)) return error;
  out += "\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n#endif\n";
  if (ownTags) renameKernelTags(out, *ownTags);
  return out;
}

}  // namespace probecc
