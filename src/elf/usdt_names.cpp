#include "elf/usdt_names.h"

#include <fcntl.h>
#include <gelf.h>

#include <algorithm>
#include <cstring>

#include "kernel/libbpf_handles.h"
#include "support/error.h"
#include "support/unique_fd.h"

namespace probecc {
namespace {

constexpr unsigned kStapsdtNoteType = 3;

// A note's description: three addresses (probe, link-time base, semaphore), then
// "provider\0probe\0arguments\0".
void addNames(const char *desc, size_t size, size_t addressSize, std::vector<UsdtName> &names) {
  const size_t start = 3 * addressSize;
  if (size <= start) return;
  const char *provider = desc + start, *end = desc + size;
  const char *providerEnd = static_cast<const char *>(memchr(provider, 0, end - provider));
  if (!providerEnd) return;
  const char *probe = providerEnd + 1;
  if (probe >= end || !memchr(probe, 0, end - probe)) return;
  UsdtName name{provider, probe};
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
}

}  // namespace

llvm::Expected<std::vector<UsdtName>> readUsdtNames(const std::string &path) {
  elf_version(EV_CURRENT);
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return makeError("cannot open " + llvm::Twine(path) + ": " + strerror(errno));
  ElfPtr elf(elf_begin(fd.get(), ELF_C_READ, nullptr));
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF) return makeError(llvm::Twine(path) + " is not an ELF file");
  const size_t addressSize = gelf_getclass(elf.get()) == ELFCLASS32 ? 4 : 8;
  std::vector<UsdtName> names;
  for (Elf_Scn *section = nullptr; (section = elf_nextscn(elf.get(), section));) {
    GElf_Shdr header;
    if (!gelf_getshdr(section, &header) || header.sh_type != SHT_NOTE) continue;
    Elf_Data *data = elf_getdata(section, nullptr);
    if (!data) continue;
    GElf_Nhdr note;
    size_t nameOffset, descOffset;
    for (size_t offset = 0; (offset = gelf_getnote(data, offset, &note, &nameOffset, &descOffset)) > 0;) {
      const char *base = static_cast<const char *>(data->d_buf);
      if (note.n_type == kStapsdtNoteType && note.n_namesz == 8 && memcmp(base + nameOffset, "stapsdt", 8) == 0)
        addNames(base + descOffset, note.n_descsz, addressSize, names);
    }
  }
  return names;
}

}  // namespace probecc
