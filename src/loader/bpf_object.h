#pragma once
// The libbpf object: opened from the in-memory ELF, loaded through the verifier, closed on scope exit.
#include <memory>
#include <string>
#include <vector>

#include <bpf/libbpf.h>

#include "loader/libbpf_handles.h"
#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include "loader/verifier_errors.h"

namespace probecc {

// Collects what libbpf prints (warnings, the verifier's log) while it is alive, instead of
// letting libbpf write to stderr, so errors can be told in probecc's words.
class LibbpfLog {
public:
  explicit LibbpfLog(bool echo);
  ~LibbpfLog();
  LibbpfLog(const LibbpfLog &) = delete;
  LibbpfLog &operator=(const LibbpfLog &) = delete;
  const std::string &text() const { return text_; }
  void clear() { text_.clear(); }

private:
  static int print(enum libbpf_print_level level, const char *format, va_list args);
  std::string text_;
  bool echo_;
};

llvm::Expected<BpfObjectPtr> openObject(llvm::ArrayRef<char> elf, LibbpfLog &log);
// After a failed load: the program the kernel refused ("" if none did).
std::string refusedProgram(bpf_object &object, const LibbpfLog &log);
// Loads every program. A program the verifier refuses is an error at the user's line of `source`
// (verifier_errors.h), with the verifier's whole log under `verbose`.
llvm::Error loadObject(bpf_object &object, LibbpfLog &log, bool verbose, const UserSource &source);

}  // namespace probecc
