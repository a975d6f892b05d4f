#include "elf/library_paths.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Endian.h>
#include <llvm/Support/MemoryBuffer.h>

#include "support/error.h"

namespace probecc {
namespace {

// glibc's ld.so.cache, new format ("glibc-ld.so.cache1.1"): a header, then entries of
// {int32 flags; uint32 key, value; uint32 osversion; uint64 hwcap}, key and value being offsets
// of the soname and the path from the start of the file.
constexpr llvm::StringLiteral kCacheMagic("glibc-ld.so.cache1.1");
constexpr size_t kHeaderSize = 48, kEntrySize = 24;
constexpr uint32_t kElfLibc6 = 0x0003, kX8664Lib64 = 0x0300;  // flags: library type, and its ABI

std::string_view stringAt(llvm::StringRef file, uint32_t offset) {
  if (offset >= file.size()) return {};
  const char *start = file.data() + offset;
  return {start, strnlen(start, file.size() - offset)};
}

// "c" → libc.so*, "libc" → libc.so*, "libc.so.6" → itself
bool namesLibrary(std::string_view soname, std::string_view name) {
  if (soname == name) return true;
  const std::string stem = name.starts_with("lib") ? std::string(name) : "lib" + std::string(name);
  return soname.starts_with(stem + ".so");
}

std::optional<std::string> findExecutable(const std::string &name) {
  const char *path = getenv("PATH");
  llvm::SmallVector<llvm::StringRef> dirs;
  llvm::StringRef(path ? path : "/usr/local/bin:/usr/bin:/bin").split(dirs, ':');
  for (const auto dir : dirs) {
    const std::string candidate = dir.str() + "/" + name;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> findLibrary(std::string_view name, const std::string &cachePath) {
  auto buffer = llvm::MemoryBuffer::getFile(cachePath, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) return std::nullopt;
  const llvm::StringRef file = (*buffer)->getBuffer();
  if (file.size() < kHeaderSize || !file.starts_with(kCacheMagic)) return std::nullopt;
  using llvm::support::endian::read32le;
  const uint32_t count = read32le(file.data() + kCacheMagic.size());
  if (count > (file.size() - kHeaderSize) / kEntrySize) return std::nullopt;
  for (uint32_t i = 0; i < count; ++i) {
    const char *entry = file.data() + kHeaderSize + i * kEntrySize;
    const uint32_t flags = read32le(entry);
    if ((flags & 0xff) != kElfLibc6 || (flags & 0xff00) != kX8664Lib64) continue;
    if (namesLibrary(stringAt(file, read32le(entry + 4)), name)) {
      const auto path = stringAt(file, read32le(entry + 8));
      if (!path.empty()) return std::string(path);
    }
  }
  return std::nullopt;
}

llvm::Expected<std::vector<ProbeSpec>> resolveUserBinaries(std::vector<ProbeSpec> probes) {
  for (auto &probe : probes) {
    auto *function = probe.target.as<UserFunction>();
    // no binary: a placeholder, the planner's to refuse
    if (!function || function->binary.empty() || function->binary.find('/') != std::string::npos) continue;
    const std::string binary = function->binary;
    auto path = findLibrary(binary);
    if (!path) path = findExecutable(binary);
    if (!path)
      return makeError(probe.location + "cannot attach " + probe.function + " (" + std::string(probe.info().name) + " " +
                       probe.target.shown() + "): no library or program '" + binary +
                       "' (looked in the dynamic linker's cache, /etc/ld.so.cache, and on PATH); give its path");
    function->binary = *path;
  }
  return probes;
}

}  // namespace probecc
