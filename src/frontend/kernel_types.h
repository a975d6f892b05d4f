#pragma once
// Finding the kernel's types (program/kernel_types.h): the running kernel's headers directory (as
// BCC compiles), or, where there is none, the kernel's BTF dumped to a vmlinux.h in memory.
#include <string>

#include <llvm/ADT/StringSet.h>
#include <llvm/Support/Error.h>

#include "program/kernel_types.h"

namespace probecc {

llvm::Expected<KernelTypes> discoverKernelTypes(const KernelTypesRequest &request);

// Whether a program includes vmlinux.h (libbpf CO-RE style) in a directive of its own text, and so
// needs its types from BTF.
bool includesVmlinuxHeader(const std::string &text);

// Names a program uses, by C namespace: after struct/union/enum, and ordinary identifiers; and
// the struct/union tags its own file defines.
struct TypeNames {
  llvm::StringSet<> tags, ordinary;
  llvm::StringSet<> ownTags;
  bool ownsReadWrite = false;  // READ or WRITE is an enumerator or a macro of the program's own
};

// The BTF at `btfPath` as C declarations (libbpf's BTF dumper), wrapped like bpftool's vmlinux.h;
// with `only`, just the structs, unions and enums tagged, the typedefs named and the enums whose
// constants are named there, with what they depend on. Kfuncs (BTF decl tag "bpf_kfunc") are
// declared after the types, as bpftool declares them (all, or with `only` those named there).
// BTF's structs and unions named in `ownTags` are renamed (see own_kernel_tags.h).
llvm::Expected<std::string> dumpVmlinuxHeader(const std::string &btfPath, const TypeNames *only = nullptr,
                                              const llvm::StringSet<> *ownTags = nullptr);

// The -I order of a kernel build (as Kbuild and BCC use it), for existing directories only.
std::vector<std::string> kernelIncludeDirs(const KernelTypes &kernel, const std::string &arch);

}  // namespace probecc
