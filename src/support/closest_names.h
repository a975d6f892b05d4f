#pragma once
// "Did you mean ...?": the existing names nearest to a misspelt one, by edit distance.
#include <string>
#include <string_view>
#include <vector>

namespace probecc {

// Up to `limit` names from `candidates` closest to `name` (fewest edits first, then by name): at
// most 3 edits away (fewer for short names) and at most one more than the nearest, so unrelated
// names are never offered.
std::vector<std::string> closestNames(std::string_view name, const std::vector<std::string> &candidates,
                                      size_t limit = 3);

// "; did you mean a, b or c?" for those names, or "" when there are none.
std::string didYouMean(const std::vector<std::string> &names);

}  // namespace probecc
