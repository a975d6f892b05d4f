#include "codegen/trace_printk_formats.h"

#include <cctype>

#include <llvm/IR/Constants.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Instructions.h>

#include "codegen/bpf_helper_calls.h"
#include "support/error.h"

namespace probecc {
namespace {

constexpr const char *kAccepted = "the kernel accepts %d %i %u %x %X (with l or ll), %s, %c, %p, %pK, %px, %pB, "
                                  "%pi4 %pI4 %pi6 %pI6, %pks %pus, flags 0+- and a width";

}  // namespace

std::string traceFormatProblem(std::string_view format, unsigned argumentCount) {
  unsigned conversions = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    const unsigned char c = format[i];
    if (c == 0) break;
    if (!isascii(c) || (!isprint(c) && !isspace(c))) return "it contains a character the kernel refuses";
    if (c != '%') continue;
    if (i + 1 < format.size() && format[i + 1] == '%') {
      ++i;
      continue;
    }
    ++i;
    while (i < format.size() && (format[i] == '0' || format[i] == '+' || format[i] == '-' || format[i] == ' ')) ++i;
    while (i < format.size() && isdigit(static_cast<unsigned char>(format[i]))) ++i;
    const std::string_view rest = format.substr(std::min(i, format.size()));
    ++conversions;
    if (rest.starts_with("p")) {
      for (std::string_view pointer : {"pks", "pus", "pi4", "pI4", "pi6", "pI6", "pK", "px", "pB", "p"})
        if (rest.starts_with(pointer)) {
          i += pointer.size() - 1;
          break;
        }
      continue;
    }
    if (rest.starts_with("s") || rest.starts_with("c")) continue;
    size_t length = 0;
    while (length < 2 && i + length < format.size() && format[i + length] == 'l') ++length;
    const char conversion = i + length < format.size() ? format[i + length] : '\0';
    if (conversion != 'd' && conversion != 'i' && conversion != 'u' && conversion != 'x' && conversion != 'X')
      return "'%" + std::string(rest.substr(0, length + 1)) + "' is not a conversion bpf_trace_printk supports (" +
             kAccepted + ")";
    i += length;
  }
  if (conversions > 3) return "it has " + std::to_string(conversions) + " conversions; bpf_trace_printk prints at most 3";
  if (conversions != argumentCount)
    return "it has " + std::to_string(conversions) + " conversion(s) but " + std::to_string(argumentCount) +
           " argument(s) follow it";
  return "";
}

llvm::Error checkTracePrintkFormats(const llvm::Module &module) {
  for (const auto &function : module)
    for (const auto &block : function)
      for (const auto &instruction : block) {
        const auto *call = llvm::dyn_cast<llvm::CallBase>(&instruction);
        if (!call || call->arg_size() < 2) continue;
        if (bpfHelperId(*call) != BPF_FUNC_trace_printk) continue;
        const auto *global = llvm::dyn_cast<llvm::GlobalVariable>(call->getArgOperand(0)->stripPointerCasts());
        if (!global || !global->hasInitializer()) continue;
        const auto *text = llvm::dyn_cast<llvm::ConstantDataSequential>(global->getInitializer());
        if (!text || !text->isString()) continue;
        const auto format = text->getAsString();
        const auto problem = traceFormatProblem(std::string_view(format.data(), format.size()), call->arg_size() - 2);
        if (problem.empty()) continue;
        std::string where;
        if (const auto &location = call->getDebugLoc())
          where = (location->getFilename() + ":" + llvm::Twine(location.getLine()) + ":" +
                   llvm::Twine(location.getCol()) + ": ")
                      .str();
        std::string shown(format.data(), strnlen(format.data(), format.size()));
        for (size_t at; (at = shown.find('\n')) != std::string::npos;) shown.replace(at, 1, "\\n");
        return makeError(where + "bpf_trace_printk(\"" + shown + "\", ...): " + problem);
      }
  return llvm::Error::success();
}

}  // namespace probecc
