#include "frontend/own_kernel_tags.h"

#include <llvm/ADT/StringExtras.h>

namespace probecc {
namespace {

bool isIdentifierChar(char c) { return llvm::isAlnum(c) || c == '_'; }

}  // namespace

size_t renameKernelTags(std::string &header, const llvm::StringSet<> &tags) {
  if (tags.empty()) return 0;
  std::string out;
  out.reserve(header.size() + 1024);
  size_t renamed = 0, copied = 0;
  for (size_t at = 0; at < header.size();) {
    const size_t keyword = header.find_first_of("su", at);
    if (keyword == std::string::npos) break;
    at = keyword + 1;
    llvm::StringRef rest = llvm::StringRef(header).substr(keyword);
    size_t nameStart = 0;
    if (rest.starts_with("struct ")) nameStart = keyword + 7;
    else if (rest.starts_with("union ")) nameStart = keyword + 6;
    else continue;
    if (keyword > 0 && isIdentifierChar(header[keyword - 1])) continue;
    size_t nameEnd = nameStart;
    while (nameEnd < header.size() && isIdentifierChar(header[nameEnd])) ++nameEnd;
    if (nameEnd == nameStart || !tags.contains(llvm::StringRef(header).slice(nameStart, nameEnd))) continue;
    // A pointer is the program's struct, as with BCC, whose headers only declare these structs:
    // nsproxy->mnt_ns is the program's struct mnt_namespace *, read with the program's layout.
    size_t after = nameEnd;
    while (after < header.size() && header[after] == ' ') ++after;
    if (after < header.size() && header[after] == '*') continue;
    out.append(header, copied, nameEnd - copied);
    out += kOwnTagFlavour;
    copied = at = nameEnd;
    ++renamed;
  }
  if (!renamed) return 0;
  out.append(header, copied, std::string::npos);
  header = std::move(out);
  return renamed;
}

}  // namespace probecc
