#pragma once
// What the kernel's own build (Kbuild) defines on every compile beyond -D__KERNEL__, which kernel
// headers test for and refuse to compile without: asm/ftrace.h's "Compiler does not support
// fentry?" when CC_USING_FENTRY is missing, say. Headers mode only (BTF mode has no headers).
#include <string>

namespace probecc {

// Preprocessor text for after <linux/kconfig.h>: each define is conditional on the same
// CONFIG_* symbols (and target architecture) as in the kernel's Makefiles, so a kernel built
// without, say, ftrace gets none of them.
std::string kernelBuildDefines();

}  // namespace probecc
