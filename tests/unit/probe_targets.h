#pragma once
// Tests' shorthand for a probe's typed target, parsed as the planner parses it.
#include <string_view>

#include <gtest/gtest.h>

#include "program/probe_kinds.h"

namespace probecc {

inline ProbeTarget targetOf(ProbeKind kind, std::string_view text) {
  auto target = parseTarget(kind, text);
  if (!target) {
    ADD_FAILURE() << text << ": " << llvm::toString(target.takeError());
    return {};
  }
  return std::move(*target);
}

inline ProbeSpec probeOf(std::string function, ProbeKind kind, std::string_view text) {
  return ProbeSpec{std::move(function), kind, targetOf(kind, text)};
}

}  // namespace probecc
