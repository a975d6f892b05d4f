#include "frontend/script_input.h"

#include <llvm/Support/MemoryBuffer.h>

#include "program/package.h"
#include "support/error.h"

namespace probecc {

void blankShebang(std::string &text) {
  if (!text.starts_with("#!")) return;
  const auto end = text.find('\n');
  text.replace(0, end == std::string::npos ? text.size() : end, "");
}

llvm::Expected<Script> readScript(const std::string &path, const std::vector<std::string> &snippets,
                                  const std::optional<std::string> &readBefore) {
  Script script;
  if (!snippets.empty()) {
    if (!path.empty()) return makeError("give either a script file or -e snippets, not both");
    script.name = "<-e>";
    for (const auto &snippet : snippets) script.text += snippet + "\n";
  } else if (path.empty()) {
    return makeError("no program: give a script file, '-' for standard input, or -e 'C code' (see --help)");
  } else if (readBefore) {
    script.name = path == "-" ? "<stdin>" : path;
    script.text = *readBefore;
  } else {
    auto buffer = path == "-" ? llvm::MemoryBuffer::getSTDIN() : llvm::MemoryBuffer::getFile(path);
    if (!buffer) return makeError("cannot read " + path + ": " + buffer.getError().message());
    script.name = path == "-" ? "<stdin>" : path;
    script.text = (*buffer)->getBuffer().str();
    // Clang would report each NUL and stray byte of a binary as a warning of its own.
    if (script.text.find('\0') != std::string::npos && !looksLikePackage(script.text))
      return makeError(script.name + " is not C source: it contains NUL bytes (a binary?)");
  }
  blankShebang(script.text);
  return script;
}

}  // namespace probecc
