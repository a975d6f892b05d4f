#include "support/file_identity.h"

#include <sys/stat.h>

namespace probecc {

std::string fileIdentity(const std::string &path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return path + ":absent\n";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + "\n";
}

}  // namespace probecc
