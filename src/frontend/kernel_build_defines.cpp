#include "frontend/kernel_build_defines.h"

namespace probecc {

std::string kernelBuildDefines() {
  // The kernel passes these as -D flags chosen in Makefile / arch/*/Makefile from its .config;
  // a BPF program compiled against the headers has only autoconf.h, so derive them from there.
  // The compiler flags they stand for (-mfentry, -mnop-mcount, -fpatchable-function-entry) are
  // code generation for the kernel itself: a BPF program needs only what the headers check.
  return R"(
#if defined(CONFIG_FUNCTION_TRACER) && defined(CONFIG_HAVE_FENTRY) && !defined(CC_USING_FENTRY)
#define CC_USING_FENTRY 1
#endif
#if defined(CONFIG_FUNCTION_TRACER) && !defined(CC_USING_NOP_MCOUNT) && \
    (defined(CONFIG_FTRACE_MCOUNT_USE_OBJTOOL) || \
     (defined(CONFIG_FTRACE_MCOUNT_USE_CC) && defined(CONFIG_HAVE_NOP_MCOUNT)))
#define CC_USING_NOP_MCOUNT 1
#endif
#if defined(__aarch64__) && defined(CONFIG_DYNAMIC_FTRACE_WITH_REGS) && \
    !defined(CC_USING_PATCHABLE_FUNCTION_ENTRY)
#define CC_USING_PATCHABLE_FUNCTION_ENTRY 1
#endif
#if defined(__aarch64__) && !defined(KASAN_SHADOW_SCALE_SHIFT)
#if defined(CONFIG_KASAN_SW_TAGS)
#define KASAN_SHADOW_SCALE_SHIFT 4
#elif defined(CONFIG_KASAN_GENERIC)
#define KASAN_SHADOW_SCALE_SHIFT 3
#endif
#endif
/* Kbuild names every object file; probecc's program is one module of its own. */
#ifndef KBUILD_BASENAME
#define KBUILD_BASENAME "probecc"
#endif
#ifndef __KBUILD_MODNAME
#define __KBUILD_MODNAME kmod_probecc
#endif
)";
}

}  // namespace probecc
