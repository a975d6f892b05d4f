#pragma once
// The records of the session's own printk ring buffer (private_printk.h) formatted as the kernel's
// bpf_trace_printk would have formatted them, as trace_pipe lines: "COMM-PID [CPU] ..... TIME:
// bpf_trace_printk: MESSAGE", so -T and -f json read them as they read trace_pipe's.
#include <cstdint>
#include <string>
#include <vector>

#include "kernel/kernel_symbols.h"
#include "support/printk_format.h"

namespace probecc {

class PrintkLines {
public:
  explicit PrintkLines(const std::vector<std::string> &formats);
  bool empty() const { return formats_.empty(); }
  // The line of one record, ended by '\n' (a message with newlines of its own spans more lines,
  // as on trace_pipe); "" for a record too short or with an unknown format id.
  std::string lineOf(const uint8_t *record, size_t size);

private:
  std::vector<ParsedPrintkFormat> formats_;
  KernelSymbols symbols_;
};

// The message alone, as the kernel's vsnprintf would write it (at most 1023 characters).
std::string formatPrintkMessage(const ParsedPrintkFormat &format, const uint8_t *record, size_t size,
                                KernelSymbols &symbols);

}  // namespace probecc
