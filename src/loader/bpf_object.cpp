#include "loader/bpf_object.h"

#include <cstdarg>
#include <cstring>

#include <llvm/ADT/StringRef.h>

#include "support/error.h"

namespace probecc {
namespace {
// libbpf's print callback has no context argument; the live LibbpfLog is reached through this.
thread_local LibbpfLog *activeLog = nullptr;
}  // namespace

LibbpfLog::LibbpfLog(bool echo) : echo_(echo) {
  activeLog = this;
  libbpf_set_print(&LibbpfLog::print);
}

LibbpfLog::~LibbpfLog() {
  libbpf_set_print(nullptr);
  activeLog = nullptr;
}

int LibbpfLog::print(enum libbpf_print_level level, const char *format, va_list args) {
  if (!activeLog) return 0;
  va_list copy;
  va_copy(copy, args);
  const int n = vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (n <= 0) return 0;
  std::string line(n + 1, '\0');
  vsnprintf(line.data(), line.size(), format, args);
  line.resize(n);
  activeLog->text_ += line;
  // Of libbpf's debug lines, -v shows the CO-RE relocations: which field a package (or
  // BPF_CORE_READ) reads, and the offset it has on this kernel ("prog 'p': relo #1: <byte_off> [21]
  // struct task_struct.tgid (0:93 @ offset 1268)", "... patched insn #10 (ALU/ALU64) imm 1268 -> 1276").
  const bool relocation = line.starts_with("libbpf: prog '") && line.find(": relo #") != std::string::npos &&
                          line.find("matching candidate") == std::string::npos;
  if (activeLog->echo_ && (level != LIBBPF_DEBUG || relocation)) fputs(line.c_str(), stderr);
  return 0;
}

llvm::Expected<BpfObjectPtr> openObject(llvm::ArrayRef<char> elf, LibbpfLog &log) {
  LIBBPF_OPTS(bpf_object_open_opts, options, .object_name = "probecc");
  BpfObjectPtr object(bpf_object__open_mem(elf.data(), elf.size(), &options));
  if (!object) {
    const int err = errno;
    return makeError("libbpf cannot open the compiled object: " + llvm::Twine(strerror(err)) + "\n" +
                     llvm::StringRef(log.text()).rtrim());
  }
  return object;
}

namespace {
// The verifier's verdict is the end of its log: the last lines before libbpf's END marker.
std::string verifierTail(const std::string &log, bool everything) {
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(log).split(lines, '\n', -1, false);
  const size_t keep = everything ? lines.size() : 25;
  const size_t from = lines.size() > keep ? lines.size() - keep : 0;
  std::string out;
  for (size_t i = from; i < lines.size(); ++i) out += "  " + lines[i].str() + "\n";
  return out;
}
}  // namespace

std::string refusedProgram(bpf_object &object, const LibbpfLog &log) {
  // A failed load unloads every program again, so libbpf's own report is what says which one it
  // was: "prog 'NAME': failed to load: -ERR".
  const llvm::StringRef text(log.text());
  const size_t failed = text.rfind("': failed to load");
  if (failed != llvm::StringRef::npos) {
    const size_t start = text.take_front(failed).rfind("prog '");
    if (start != llvm::StringRef::npos) return text.slice(start + 6, failed).str();
  }
  bpf_program *program;
  bpf_object__for_each_program(program, &object) {
    if (bpf_program__fd(program) < 0 && bpf_program__autoload(program)) return bpf_program__name(program);
  }
  return "";
}

llvm::Error loadObject(bpf_object &object, LibbpfLog &log, bool verbose, const UserSource &source) {
  log.clear();
  if (const int err = bpf_object__load(&object); err != 0) {
    const std::string failed = refusedProgram(object, log);
    std::string why = strerror(-err);
    if (err == -EPERM && !failed.empty())
      why += " (the kernel refused this program type; fentry/fexit and lsm need a kernel that allows them)";
    else if (!failed.empty()) {
      const auto refusal = readVerifierLog(log.text(), failed);
      if (!refusal.complaint.empty())
        return llvm::make_error<LocatedError>(describeRefusal(refusal, failed, source) +
                                              (verbose ? "\nlibbpf and verifier log:\n" + verifierTail(log.text(), true) : ""));
    }
    return makeError("the kernel rejected program " + (failed.empty() ? std::string("?") : failed) + ": " + why +
                     "\nlibbpf and verifier log:\n" + verifierTail(log.text(), verbose));
  }
  return llvm::Error::success();
}

}  // namespace probecc
