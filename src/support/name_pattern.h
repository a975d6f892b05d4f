#pragma once
// Shell-style wildcards in probe targets (vfs_*, sched:sched_?witch, str[a-c]*).
#include <string>
#include <string_view>

namespace probecc {

bool hasWildcard(std::string_view target);

// fnmatch(3) rules; with `separator`, '*' and '?' do not match it (tracepoint "cat/event").
bool matchesPattern(const std::string &pattern, const std::string &name, bool separator = false);

}  // namespace probecc
