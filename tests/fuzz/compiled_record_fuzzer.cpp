// The bytes probecc reads back: a compiled-program record (the cache's payload, the compiler
// library's answer, its request) and a cache entry file. Truncated or corrupted bytes are refused,
// never a crash; a record that is accepted serializes back to itself.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cache/cache_entry.h"
#include "program/compiled_program.h"
#include "support/diagnostics.h"

using namespace probecc;

namespace {
const std::string &entryDir() {
  static const std::string dir = [] {
    std::string path = (std::filesystem::temp_directory_path() / "probecc-fuzz-XXXXXX").string();
    if (!mkdtemp(path.data())) abort();
    return path;
  }();
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  if (auto program = deserializeProgram(bytes)) {
    if (deserializeProgram(serializeProgram(*program)).takeError()) abort();
  } else {
    llvm::consumeError(program.takeError());
  }
  if (auto request = deserializeRequest(bytes); !request) llvm::consumeError(request.takeError());
  if (auto outcome = deserializeOutcome(bytes); !outcome) llvm::consumeError(outcome.takeError());

  // As a cache entry file: checked (and removed) without a crash whatever it holds.
  const std::string &dir = entryDir();
  const std::string name = "fuzz.entry";
  {
    std::ofstream file(dir + "/" + name, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  chmod((dir + "/" + name).c_str(), 0600);
  std::string messages;
  llvm::raw_string_ostream out(messages);
  Diagnostics diagnostics(false, out);
  if (auto entry = readCacheEntry(dir, name, "key", diagnostics))
    if (entry->payload().size() > size) abort();
  return 0;
}
