#pragma once
// Numbers the user writes in options: checked whole, finite and in range, never wrapped or
// truncated (boost's lexical_cast takes "-1" for a size_t as 2^64-1, and "nan" for a double).
#include <cstdint>
#include <string_view>

#include <llvm/ADT/Twine.h>
#include <llvm/Support/Error.h>

namespace probecc {

// The longest time an option may give, in seconds (about 31 years): any longer is a typo.
inline constexpr double kMaxSeconds = 1e9;

// A whole decimal number from `min` to `max`; `option` names it in the error ("--max-probes").
llvm::Expected<uint64_t> parseCount(std::string_view text, uint64_t min, uint64_t max, const llvm::Twine &option);

// A finite number of seconds, positive (or also 0 where `zeroAllowed`), at most kMaxSeconds.
llvm::Expected<double> parseSeconds(std::string_view text, bool zeroAllowed, const llvm::Twine &option);

}  // namespace probecc
