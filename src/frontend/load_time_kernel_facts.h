#pragma once
// Kernel facts a portable program (KernelTypes::portable, a package) reads when it is loaded, from
// the kernel it is loaded on, instead of baking in the compiling kernel's: LINUX_VERSION_CODE and
// CONFIG_* become libbpf's __kconfig externs. The preprocessor cannot know them, so #if and #ifdef
// on them are compile errors that say so; `if (...)` in C works, and the verifier drops the branch
// the loading kernel does not take.
#include <memory>
#include <string>
#include <string_view>

#include <clang/Frontend/FrontendAction.h>

namespace probecc {

// For the preamble, after libbpf's bpf_helpers.h: LINUX_VERSION_CODE (and _MAJOR, ...) and
// IS_ENABLED/IS_BUILTIN/IS_MODULE/IS_REACHABLE over the load-time values.
std::string_view loadTimeKernelFacts();

// An extern for each CONFIG_ name the program mentions, typed as the compiling kernel's
// configuration shows it (`config`, a .config's text): y/m or unset a tristate, a number a long
// long, a string a char array. Weak: an option the loading kernel lacks reads as n (0).
std::string kconfigExterns(std::string_view programText, std::string_view config);

// `action`, with the preprocessor refusing #ifdef/#ifndef/defined() of CONFIG_* and of the
// version macros in the user's files, with the reason.
std::unique_ptr<clang::FrontendAction> refusingPreprocessorKernelFacts(std::unique_ptr<clang::FrontendAction> action);

}  // namespace probecc
