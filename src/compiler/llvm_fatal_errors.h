#pragma once
// LLVM and Clang report what they cannot do (an instruction BPF cannot encode, a jump too far for
// BPF's 16-bit offsets) through llvm::report_fatal_error, which never returns to its caller. The
// compiler runs inside probecc's own process, so such a report must become an error of ours.
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/Support/Error.h>

#include <string>

namespace probecc {

// Runs `work`; a fatal error reported by LLVM or Clang during it, or a crash inside it, becomes an
// error ("FILE: error: ...", named after `sourceName` and the compile step `step`) instead of
// ending the process. What `work` allocated before such an error is abandoned, not freed.
llvm::Error runSurvivingLlvmFatalErrors(llvm::function_ref<llvm::Error()> work, const std::string &sourceName,
                                        const std::string &step);

// The message of an error that says LLVM crashed (not one of its reported fatal errors): a fuzzer
// treats it as the crash it is.
bool isLlvmCrash(const std::string &message);

}  // namespace probecc
