#pragma once
// The libbpf object: opened from the in-memory ELF, loaded through the verifier, closed on scope exit.
#include <memory>
#include <string>
#include <vector>

#include <bpf/libbpf.h>

#include "kernel/libbpf_handles.h"
#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include "load/verifier_errors.h"
#include "support/diagnostics.h"

namespace probecc {

// Collects what libbpf prints (warnings, the verifier's log) while it is alive, instead of
// letting libbpf write to stderr, so errors can be told in probecc's words. With `echoTo` (-v),
// its warnings (and CO-RE relocations) also go there as they come.
class LibbpfLog {
public:
  explicit LibbpfLog(Diagnostics *echoTo = nullptr);
  ~LibbpfLog();
  LibbpfLog(const LibbpfLog &) = delete;
  LibbpfLog &operator=(const LibbpfLog &) = delete;
  const std::string &text() const { return text_; }
  void clear() { text_.clear(); }

private:
  static int print(enum libbpf_print_level level, const char *format, va_list args);
  std::string text_;
  Diagnostics *echo_;
};

// Each program's verifier log, in a buffer of its own (bpf_program__set_log_buf): libbpf asks the
// kernel for a log only when a load fails, for the program that failed, and then prints nothing.
class ProgramLogs {
public:
  // Gives every program of `object` its buffer; call before bpf_object__load.
  void attach(bpf_object &object);
  // The program whose load left a log ("" if none did).
  std::string refused() const;
  std::string_view of(const std::string &program) const;

private:
  struct Log {
    std::string program;
    std::unique_ptr<char[]> text;
  };
  std::vector<Log> logs_;
};

llvm::Expected<BpfObjectPtr> openObject(llvm::ArrayRef<char> elf, LibbpfLog &log);
// After a failed load: the program the kernel refused ("" if none did).
std::string refusedProgram(bpf_object &object, const LibbpfLog &log, const ProgramLogs &logs);
// Loads every program. A program the verifier refuses is an error at the user's line of `source`
// (verifier_errors.h), with the verifier's whole log under `verbose`; a map the kernel refuses is
// an error that names it (map_refusal.h). `logs` keeps each program's log.
llvm::Error loadObject(bpf_object &object, LibbpfLog &log, bool verbose, const UserSource &source, ProgramLogs &logs);

}  // namespace probecc
