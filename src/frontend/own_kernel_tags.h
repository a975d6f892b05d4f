#pragma once
// Kernel-private structs a program declares itself (struct nameidata, struct mnt_namespace, a
// struct sock of its own for a test), as BCC programs do where kernel headers lack them. In BTF
// mode vmlinux.h has them too; the program's definition must win, as it does with BCC.
#include <string>

#include <llvm/ADT/StringSet.h>

namespace probecc {

// BTF's types of those names are renamed NAME___btf in vmlinux.h (a CO-RE flavour, so
// BPF_CORE_READ still relocates against the kernel's type) where BTF defines or embeds one, so
// the kernel types that embed one keep BTF's layout. Pointers to one are to the program's own
// struct, as with BCC (kernel headers only declare such structs): its reads use its definition.
inline constexpr const char *kOwnTagFlavour = "___btf";

// Renames `struct NAME` / `union NAME` for every NAME in `tags`; returns how many it renamed.
size_t renameKernelTags(std::string &header, const llvm::StringSet<> &tags);

}  // namespace probecc
