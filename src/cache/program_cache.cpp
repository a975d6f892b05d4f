#include "cache/program_cache.h"

namespace probecc {

std::string programCacheKey(const ProgramRequest &request, const std::string &kernel, const std::string &compiler) {
  std::string key = std::string(PROBECC_VERSION) + "\n" + compiler + "\n" + kernel + "\n";
  return key + serializeRequest(request, RequestBytes::OutputDeciding);
}

}  // namespace probecc
