#pragma once
// The --help summary of BCC's dialect: what of BCC's C programs probecc takes as they are.
#include <string>

namespace probecc {

std::string bccDialectHelp();

}  // namespace probecc
