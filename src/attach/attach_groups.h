#pragma once
// Multi-target links (kprobe_multi, uprobe_multi) take all of their targets or none: a target the
// kernel refuses is found by halving the group until the refused ones stand alone.
#include <cerrno>
#include <cstddef>
#include <utility>
#include <vector>

namespace probecc {

// tryGroup(first, count) makes one link for targets [first, first + count) and says whether it
// could (errno set when not); each refused target's index goes to `refused` with its errno.
template <typename TryGroup>
void attachInGroups(size_t first, size_t count, const TryGroup &tryGroup, std::vector<std::pair<size_t, int>> &refused) {
  if (count == 0 || tryGroup(first, count)) return;
  if (count == 1) {
    refused.emplace_back(first, errno);
    return;
  }
  const size_t half = count / 2;
  attachInGroups(first, half, tryGroup, refused);
  attachInGroups(first + half, count - half, tryGroup, refused);
}

}  // namespace probecc
