#include "support/numbers.h"

#include <charconv>
#include <cmath>

#include "support/error.h"

namespace probecc {

llvm::Expected<uint64_t> parseCount(std::string_view text, uint64_t min, uint64_t max, const llvm::Twine &option) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string range = ("from " + llvm::Twine(min) + " to " + llvm::Twine(max)).str();
  if (ec == std::errc::result_out_of_range) return makeError(option + " " + text + ": too large (" + range + ")");
  if (ec != std::errc() || end != text.data() + text.size())
    return makeError(option + " takes a whole number " + range + ", not '" + text + "'");
  if (value < min || value > max) return makeError(option + " " + text + ": out of range (" + range + ")");
  return value;
}

llvm::Expected<double> parseSeconds(std::string_view text, bool zeroAllowed, const llvm::Twine &option) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string what = (llvm::Twine(zeroAllowed ? "a number of seconds" : "a positive number of seconds") +
                            " up to " + llvm::Twine(static_cast<uint64_t>(kMaxSeconds))).str();
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0 ||
      (value == 0 && !zeroAllowed) || value > kMaxSeconds)
    return makeError(option + " takes " + what + ", not '" + text + "'");
  return value;
}

}  // namespace probecc
