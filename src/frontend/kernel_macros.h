#pragma once
// The kernel macros BCC programs use that BTF cannot carry (kernel BTF has types and enums, no
// macros), for the BTF-mode preamble: constants generated from a real headers tree
// (kernel_constants.inc, see scripts/gen-kernel-constants.sh) and the expression macros
// (min, htons, sk_daddr, TCP_SKB_CB, ...) written over BTF's types.
#include <string>

namespace probecc {

std::string btfKernelMacros();

// What the headers' generated <linux/version.h> says, for the release `uname -r` gives
// ("6.1.0-18-amd64"): LINUX_VERSION_CODE (its sublevel capped at 255, as the kernel's is) and
// LINUX_VERSION_MAJOR/PATCHLEVEL/SUBLEVEL; nothing for a release that does not start X.Y.
std::string kernelVersionMacros(const std::string &release);

// READ and WRITE (the kernel's I/O directions, in btfKernelMacros) are too generic for a program
// that names them itself, as libbpf-tools' filetop does with `enum op { READ, WRITE }`: for such
// a program, #undefs of the two after the preamble; else nothing.
std::string ownNameUndefines(const std::string &programText);

}  // namespace probecc
