#include "frontend/load_time_kernel_facts.h"

#include <regex>
#include <set>

#include <clang/Frontend/CompilerInstance.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>

namespace probecc {
namespace {

// In #if the function-like call does not preprocess ("function-like macro ... is not defined"),
// which is the point: only C code can test a value that exists once the program is loaded.
constexpr std::string_view kLoadTimeFacts = R"(
/* Kernel facts of the kernel the program is loaded on (libbpf's __kconfig externs), not of the one
   it was compiled on: test them in C, not with #if. */
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
static __always_inline long long kernel_fact_known_at_load_time(long long value) { return value; }
#define LINUX_VERSION_CODE kernel_fact_known_at_load_time(LINUX_KERNEL_VERSION)
#define LINUX_VERSION_MAJOR kernel_fact_known_at_load_time(LINUX_KERNEL_VERSION >> 16)
#define LINUX_VERSION_PATCHLEVEL kernel_fact_known_at_load_time((LINUX_KERNEL_VERSION >> 8) & 0xff)
#define LINUX_VERSION_SUBLEVEL kernel_fact_known_at_load_time(LINUX_KERNEL_VERSION & 0xff)
#define IS_BUILTIN(option) kernel_fact_known_at_load_time((option) == TRI_YES)
#define IS_MODULE(option) kernel_fact_known_at_load_time((option) == TRI_MODULE)
#define IS_ENABLED(option) kernel_fact_known_at_load_time((option) != TRI_NO)
#define IS_REACHABLE(option) IS_ENABLED(option)
)";

// The value `name` has in a .config's text ("" when unset).
std::string_view configValue(std::string_view config, std::string_view name) {
  for (size_t at = config.find(name); at != std::string_view::npos; at = config.find(name, at + 1)) {
    const size_t end = at + name.size();
    if ((at == 0 || config[at - 1] == '\n') && end < config.size() && config[end] == '=') {
      const size_t lineEnd = config.find('\n', end);
      return config.substr(end + 1, lineEnd == std::string_view::npos ? std::string_view::npos : lineEnd - end - 1);
    }
  }
  return "";
}

bool isVersionMacro(llvm::StringRef name) { return name.starts_with("LINUX_VERSION_"); }

class PreprocessorTests : public clang::PPCallbacks {
public:
  explicit PreprocessorTests(clang::Preprocessor &pp)
      : sources_(pp.getSourceManager()), diagnostics_(pp.getDiagnostics()),
        refused_(diagnostics_.getCustomDiagID(
            clang::DiagnosticsEngine::Error,
            "%0 is tested by the preprocessor, but a package takes it from the kernel it is loaded on: test it "
            "in C instead, e.g. if (IS_ENABLED(CONFIG_X)) or if (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0))")) {}

  void Ifdef(clang::SourceLocation, const clang::Token &name, const clang::MacroDefinition &) override { check(name); }
  void Ifndef(clang::SourceLocation, const clang::Token &name, const clang::MacroDefinition &) override { check(name); }
  void Defined(const clang::Token &name, const clang::MacroDefinition &, clang::SourceRange) override { check(name); }

private:
  void check(const clang::Token &token) {
    const auto *identifier = token.getIdentifierInfo();
    if (!identifier) return;
    const llvm::StringRef name = identifier->getName();
    if (!name.starts_with("CONFIG_") && !isVersionMacro(name)) return;
    if (sources_.isInSystemHeader(sources_.getExpansionLoc(token.getLocation()))) return;
    diagnostics_.Report(token.getLocation(), refused_) << name;
  }
  clang::SourceManager &sources_;
  clang::DiagnosticsEngine &diagnostics_;
  unsigned refused_;
};

class WithPreprocessorTests : public clang::WrapperFrontendAction {
public:
  using WrapperFrontendAction::WrapperFrontendAction;

protected:
  bool BeginSourceFileAction(clang::CompilerInstance &compiler) override {
    compiler.getPreprocessor().addPPCallbacks(std::make_unique<PreprocessorTests>(compiler.getPreprocessor()));
    return WrapperFrontendAction::BeginSourceFileAction(compiler);
  }
};

}  // namespace

std::string_view loadTimeKernelFacts() { return kLoadTimeFacts; }

std::string kconfigExterns(std::string_view programText, std::string_view config) {
  static const std::regex kName(R"(\bCONFIG_[A-Za-z0-9_]+\b)");
  std::set<std::string> names;
  for (std::cregex_iterator it(programText.begin(), programText.end(), kName), end; it != end; ++it)
    names.insert(it->str());
  std::string externs;
  for (const auto &name : names) {
    const std::string_view value = configValue(config, name);
    if (value.starts_with('"')) {
      externs += "extern char " + name + "[256] __kconfig __weak;\n";
      continue;
    }
    const bool number = !value.empty() && value != "y" && value != "m" && value != "n";
    externs += std::string("extern ") + (number ? "long long " : "enum libbpf_tristate ") + name + " __kconfig __weak;\n" +
               "#define " + name + " kernel_fact_known_at_load_time(" + name + ")\n";
  }
  return externs;
}

std::unique_ptr<clang::FrontendAction> refusingPreprocessorKernelFacts(std::unique_ptr<clang::FrontendAction> action) {
  return std::make_unique<WithPreprocessorTests>(std::move(action));
}

}  // namespace probecc
