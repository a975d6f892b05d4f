#include "frontend/kernel_version.h"

#include <algorithm>
#include <charconv>

namespace probecc {

unsigned linuxVersionCode(std::string_view release) {
  unsigned parts[3] = {0, 0, 0};
  const char *at = release.data(), *end = release.data() + release.size();
  for (unsigned i = 0; i < 3; ++i) {
    const auto [next, error] = std::from_chars(at, end, parts[i]);
    if (error != std::errc()) {
      if (i < 2) return 0;  // a patch level may be missing ("6.1-rc1"); major and minor may not
      break;
    }
    at = next;
    if (i < 2 && (at == end || *at != '.')) {
      if (i == 0) return 0;
      break;
    }
    if (i < 2) ++at;
  }
  return (parts[0] << 16) + (parts[1] << 8) + std::min(parts[2], 255u);
}

}  // namespace probecc
