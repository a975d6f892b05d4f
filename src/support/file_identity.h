#pragma once
// A file's identity for cache validation: its path, size and modification time.
#include <string>

namespace probecc {

// "path:size:mtime.ns\n", or "path:absent\n".
std::string fileIdentity(const std::string &path);

}  // namespace probecc
