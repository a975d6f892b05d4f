#include "elf/elf_functions.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "kernel/libbpf_handles.h"
#include "support/error.h"
#include "support/unique_fd.h"

namespace probecc {

llvm::Expected<ElfFunctions> readElfFunctions(const std::string &path) {
  elf_version(EV_CURRENT);
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return makeError("cannot open " + llvm::Twine(path) + ": " + strerror(errno));
  ElfPtr owned(elf_begin(fd.get(), ELF_C_READ, nullptr));
  Elf *elf = owned.get();
  if (!elf || elf_kind(elf) != ELF_K_ELF) return makeError(llvm::Twine(path) + " is not an ELF file");
  ElfFunctions result;
  size_t headers = 0;
  elf_getphdrnum(elf, &headers);
  for (size_t i = 0; i < headers; ++i) {
    GElf_Phdr header;
    if (gelf_getphdr(elf, i, &header) && header.p_type == PT_LOAD)
      result.segments.push_back({header.p_offset, header.p_filesz, header.p_vaddr});
  }
  for (Elf_Scn *section = nullptr; (section = elf_nextscn(elf, section));) {
    GElf_Shdr header;
    if (!gelf_getshdr(section, &header) || (header.sh_type != SHT_SYMTAB && header.sh_type != SHT_DYNSYM)) continue;
    Elf_Data *data = elf_getdata(section, nullptr);
    for (size_t i = 0; data && header.sh_entsize && i < header.sh_size / header.sh_entsize; ++i) {
      GElf_Sym symbol;
      if (!gelf_getsym(data, i, &symbol) || !symbol.st_value || symbol.st_shndx == SHN_UNDEF) continue;
      const int type = GELF_ST_TYPE(symbol.st_info);
      if (type != STT_FUNC && type != STT_GNU_IFUNC) continue;
      const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
      if (!name || !*name) continue;
      // The file offset of the code: through the section holding it, as the kernel's uprobes need.
      uint64_t fileOffset = symbol.st_value;
      GElf_Shdr holder;
      if (Elf_Scn *code = elf_getscn(elf, symbol.st_shndx); code && gelf_getshdr(code, &holder))
        fileOffset = symbol.st_value - holder.sh_addr + holder.sh_offset;
      result.functions.push_back({name, symbol.st_value, fileOffset, type == STT_GNU_IFUNC});
    }
  }
  owned.reset();
  std::sort(result.functions.begin(), result.functions.end(),
            [](const ElfFunction &a, const ElfFunction &b) { return std::tie(a.address, a.name) < std::tie(b.address, b.name); });
  // .symtab and .dynsym both name most exported functions
  result.functions.erase(std::unique(result.functions.begin(), result.functions.end(),
                                     [](const ElfFunction &a, const ElfFunction &b) {
                                       return a.address == b.address && a.name == b.name;
                                     }),
                         result.functions.end());
  return result;
}

}  // namespace probecc
