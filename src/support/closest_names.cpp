#include "support/closest_names.h"

#include <algorithm>
#include <utility>

#include <llvm/ADT/StringRef.h>

namespace probecc {

std::vector<std::string> closestNames(std::string_view name, const std::vector<std::string> &candidates,
                                      size_t limit) {
  const unsigned maxEdits = std::clamp<unsigned>(static_cast<unsigned>(name.size()) / 3, 1, 3);
  const llvm::StringRef wanted(name.data(), name.size());
  std::vector<std::pair<unsigned, std::string_view>> near;
  for (const auto &candidate : candidates) {
    // Names longer or shorter by more than the allowance cannot be near; skipping them keeps a
    // search of ~100k kernel functions at a few milliseconds.
    const size_t gap = candidate.size() > name.size() ? candidate.size() - name.size() : name.size() - candidate.size();
    if (gap > maxEdits || candidate == name) continue;
    const unsigned edits = wanted.edit_distance(candidate, true, maxEdits);
    if (edits <= maxEdits) near.emplace_back(edits, candidate);
  }
  std::sort(near.begin(), near.end());
  near.erase(std::unique(near.begin(), near.end(), [](auto &a, auto &b) { return a.second == b.second; }), near.end());
  // Offer the nearest names and those one edit further, not every name within reach.
  std::vector<std::string> names;
  for (size_t i = 0; i < near.size() && i < limit && near[i].first <= near.front().first + 1; ++i)
    names.emplace_back(near[i].second);
  return names;
}

std::string didYouMean(const std::vector<std::string> &names) {
  if (names.empty()) return "";
  std::string text = "; did you mean ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text + "?";
}

}  // namespace probecc
