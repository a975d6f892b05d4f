#pragma once
// Where the user's C comes from: a file, standard input, or -e snippets.
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "program/script.h"

namespace probecc {

// `path` is a file name, "-" for stdin, or empty when `snippets` (from -e) hold the source.
llvm::Expected<Script> readScript(const std::string &path, const std::vector<std::string> &snippets);

// Blanks a leading "#!" line so `#!/usr/bin/env probecc` scripts compile; line numbers stay put.
void blankShebang(std::string &text);

}  // namespace probecc
