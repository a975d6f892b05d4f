#include "support/name_pattern.h"

#include <fnmatch.h>

namespace probecc {

bool hasWildcard(std::string_view target) { return target.find_first_of("*?[") != std::string_view::npos; }

bool matchesPattern(const std::string &pattern, const std::string &name, bool separator) {
  return fnmatch(pattern.c_str(), name.c_str(), separator ? FNM_PATHNAME : 0) == 0;
}

}  // namespace probecc
