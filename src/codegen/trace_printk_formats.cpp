#include "codegen/trace_printk_formats.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Instructions.h>

#include "codegen/bpf_helper_calls.h"
#include "support/error.h"
#include "support/printk_format.h"

namespace probecc {

std::string traceFormatProblem(std::string_view format, unsigned argumentCount) {
  const auto parsed = parsePrintkFormat(format);
  if (!parsed.problem.empty()) return parsed.problem;
  const unsigned conversions = parsed.conversions;
  if (conversions > 3) return "it has " + std::to_string(conversions) + " conversions; bpf_trace_printk prints at most 3";
  if (conversions != argumentCount)
    return "it has " + std::to_string(conversions) + " conversion(s) but " + std::to_string(argumentCount) +
           " argument(s) follow it";
  return "";
}

std::optional<std::string> tracePrintkFormat(const llvm::CallBase &call) {
  if (call.arg_size() < 2 || bpfHelperId(call) != BPF_FUNC_trace_printk) return std::nullopt;
  const auto *global = llvm::dyn_cast<llvm::GlobalVariable>(call.getArgOperand(0)->stripPointerCasts());
  if (!global || !global->hasInitializer()) return std::nullopt;
  const auto *text = llvm::dyn_cast<llvm::ConstantDataSequential>(global->getInitializer());
  if (!text || !text->isString()) return std::nullopt;
  const auto bytes = text->getAsString();
  return std::string(bytes.data(), strnlen(bytes.data(), bytes.size()));
}

llvm::Error checkTracePrintkFormats(const llvm::Module &module) {
  for (const auto &function : module)
    for (const auto &block : function)
      for (const auto &instruction : block) {
        const auto *call = llvm::dyn_cast<llvm::CallBase>(&instruction);
        const auto format = call ? tracePrintkFormat(*call) : std::nullopt;
        if (!format) continue;
        const auto problem = traceFormatProblem(*format, call->arg_size() - 2);
        if (problem.empty()) continue;
        std::string where;
        if (const auto &location = call->getDebugLoc())
          where = (location->getFilename() + ":" + llvm::Twine(location.getLine()) + ":" +
                   llvm::Twine(location.getCol()) + ": ")
                      .str();
        std::string shown = *format;
        for (size_t at; (at = shown.find('\n')) != std::string::npos;) shown.replace(at, 1, "\\n");
        return makeError(where + "bpf_trace_printk(\"" + shown + "\", ...): " + problem);
      }
  return llvm::Error::success();
}

}  // namespace probecc
