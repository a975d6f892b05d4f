#pragma once
// Where the user's C comes from: a file, standard input, or -e snippets.
#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "program/script.h"

namespace probecc {

// `path` is a file name, "-" for stdin, or empty when `snippets` (from -e) hold the source.
// `readBefore`, if given, is the text an earlier run of this command already read from `path`
// (lean_restart.h): the path is not read again, it may be a FIFO, /dev/stdin or changed since.
llvm::Expected<Script> readScript(const std::string &path, const std::vector<std::string> &snippets,
                                  const std::optional<std::string> &readBefore = std::nullopt);

// Blanks a leading "#!" line so `#!/usr/bin/env probecc` scripts compile; line numbers stay put.
void blankShebang(std::string &text);

}  // namespace probecc
