#include "load/bpf_object.h"

#include <cstdarg>
#include <cstring>

#include <llvm/ADT/StringRef.h>

#include "load/map_refusal.h"
#include "support/error.h"

namespace probecc {
namespace {
// libbpf's print callback has no context argument; the live LibbpfLog is reached through this.
thread_local LibbpfLog *activeLog = nullptr;
}  // namespace

LibbpfLog::LibbpfLog(Diagnostics *echoTo) : echo_(echoTo) {
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
  if (activeLog->echo_ && (level != LIBBPF_DEBUG || relocation)) activeLog->echo_->text(line);
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
// Enough for the tail of a long log; kernels before 6.4 keep a log's beginning instead, and the
// verdict at its end needs room. Untouched pages of it cost nothing.
constexpr size_t kProgramLogSize = 16 << 20;

// The verifier's verdict is the end of its log.
std::string verifierTail(std::string_view log, bool everything) {
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(log.data(), log.size()).split(lines, '\n', -1, false);
  const size_t keep = everything ? lines.size() : 25;
  const size_t from = lines.size() > keep ? lines.size() - keep : 0;
  std::string out;
  for (size_t i = from; i < lines.size(); ++i) out += "  " + lines[i].str() + "\n";
  return out;
}
}  // namespace

void ProgramLogs::attach(bpf_object &object) {
  logs_.clear();
  bpf_program *program;
  bpf_object__for_each_program(program, &object) {
    if (!bpf_program__autoload(program)) continue;
    Log log{bpf_program__name(program), std::make_unique_for_overwrite<char[]>(kProgramLogSize)};
    log.text[0] = '\0';
    bpf_program__set_log_buf(program, log.text.get(), kProgramLogSize);
    logs_.push_back(std::move(log));
  }
}

std::string ProgramLogs::refused() const {
  for (const auto &log : logs_)
    if (log.text[0]) return log.program;
  return "";
}

std::string_view ProgramLogs::of(const std::string &program) const {
  for (const auto &log : logs_)
    if (log.program == program) return std::string_view(log.text.get(), strnlen(log.text.get(), kProgramLogSize));
  return {};
}

std::string refusedProgram(bpf_object &object, const LibbpfLog &log, const ProgramLogs &logs) {
  if (auto refused = logs.refused(); !refused.empty()) return refused;
  // A program the kernel refused before verifying it (EPERM for a program type) leaves no log:
  // libbpf's own report then says which one it was, "prog 'NAME': failed to load: -ERR" (a failed
  // load unloads every program again, so no fd tells).
  const llvm::StringRef text(log.text());
  const size_t failed = text.rfind("': failed to load");
  if (failed != llvm::StringRef::npos) {
    const size_t start = text.take_front(failed).rfind("prog '");
    if (start != llvm::StringRef::npos) return text.slice(start + 6, failed).str();
  }
  return "";
}

llvm::Error loadObject(bpf_object &object, LibbpfLog &log, bool verbose, const UserSource &source, ProgramLogs &logs) {
  log.clear();
  logs.attach(object);
  if (const int err = bpf_object__load(&object); err != 0) {
    const std::string failed = refusedProgram(object, log, logs);
    if (failed.empty())
      if (auto refusal = explainMapRefusal(object, -err, source)) return llvm::make_error<LocatedError>(*refusal);
    std::string why = strerror(-err);
    const std::string_view programLog = logs.of(failed);
    if (err == -EPERM && !failed.empty())
      why += " (the kernel refused this program type; fentry/fexit and lsm need a kernel that allows them)";
    else if (!failed.empty()) {
      const auto refusal = readVerifierLog(programLog, failed);
      if (!refusal.complaint.empty())
        return llvm::make_error<LocatedError>(describeRefusal(refusal, failed, source, verbose) +
                                              (verbose ? "\nthe verifier's log:\n" + verifierTail(programLog, true) : ""));
    }
    if (failed.empty())
      return makeError("libbpf could not load the program: " + why + "\nlibbpf's log:\n" + verifierTail(log.text(), verbose));
    return makeError("the kernel rejected program " + failed + ": " + why +
                     (programLog.empty() ? "" : "\nthe verifier's log:\n" + verifierTail(programLog, verbose)));
  }
  return llvm::Error::success();
}

}  // namespace probecc
