#pragma once
// The user's C, as the frontend read it and as diagnostics name it.
#include <string>

namespace probecc {

struct Script {
  std::string name;  // as diagnostics should name it: the path, "<stdin>" or "<-e>"
  std::string text;
};

}  // namespace probecc
