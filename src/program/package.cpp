#include "program/package.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/Support/BLAKE3.h>

#include "support/error.h"

namespace probecc {
namespace {

constexpr llvm::StringLiteral kMagic("probecc-package\n");
constexpr const char *kHeaderFields[] = {"format", "probecc", "arch", "size", "blake3"};

}  // namespace

bool looksLikePackage(llvm::StringRef bytes) { return bytes.starts_with(kMagic); }

std::string blake3Hex(llvm::StringRef bytes) {
  return llvm::toHex(llvm::BLAKE3::hash(llvm::arrayRefFromStringRef(bytes)), /*LowerCase=*/true);
}

std::string writePackage(const ProgramPackage &package) {
  const std::string record = serializePackage(package);
  std::string out = kMagic.str();
  out += "format " + std::to_string(programFormatVersion()) + "\n";
  out += "probecc " + package.origin.probeccVersion + "\n";
  out += "arch " + package.origin.arch + "\n";
  out += "size " + std::to_string(record.size()) + "\n";
  out += "blake3 " + blake3Hex(record) + "\n\n";
  return out + record;
}

llvm::Expected<ProgramPackage> readPackage(llvm::StringRef bytes, llvm::StringRef name, llvm::StringRef arch) {
  auto refuse = [&](const llvm::Twine &why) { return makeError("package " + name + " " + why); };
  if (!looksLikePackage(bytes)) return refuse("is not a probecc package (it does not start with probecc-package)");
  llvm::StringRef rest = bytes.drop_front(kMagic.size());
  llvm::StringMap<std::string> header;
  for (;;) {
    const size_t end = rest.find('\n');
    if (end == llvm::StringRef::npos) return refuse("is truncated: its header ends early");
    const llvm::StringRef line = rest.take_front(end);
    rest = rest.drop_front(end + 1);
    if (line.empty()) break;
    const auto [key, value] = line.split(' ');
    header[key] = value.str();
  }
  for (const char *field : kHeaderFields)
    if (!header.contains(field)) return refuse(llvm::Twine("is damaged: its header has no ") + field + " line");
  unsigned format = 0;
  uint64_t size = 0;
  if (llvm::StringRef(header["format"]).getAsInteger(10, format) || llvm::StringRef(header["size"]).getAsInteger(10, size))
    return refuse("is damaged: its header's format or size is not a number");
  const std::string &builtBy = header["probecc"];
  if (format > programFormatVersion())
    return refuse("is from a newer probecc (" + builtBy + ", package format " + llvm::Twine(format) +
                  "); this probecc " + PROBECC_VERSION + " reads format " + llvm::Twine(programFormatVersion()) +
                  ": run it with probecc " + builtBy + " or newer");
  if (format < programFormatVersion())
    return refuse("is from an older probecc (" + builtBy + ", package format " + llvm::Twine(format) +
                  "); this probecc " + PROBECC_VERSION + " reads format " + llvm::Twine(programFormatVersion()) +
                  ": build it again with --emit package");
  if (header["arch"] != arch)
    return refuse("was built for " + header["arch"] + "; this machine is " + arch);
  if (rest.size() < size)
    return refuse("is truncated: it holds " + llvm::Twine(rest.size()) + " of its " + llvm::Twine(size) +
                  " bytes of program");
  if (rest.size() > size)
    return refuse("was changed: it has " + llvm::Twine(rest.size() - size) + " bytes more than its header says");
  if (blake3Hex(rest) != header["blake3"])
    return refuse("was changed or damaged: its contents do not match its blake3 checksum");
  auto package = deserializePackage(rest);
  if (!package) return refuse("is damaged: " + llvm::toString(package.takeError()));
  return package;
}

}  // namespace probecc
