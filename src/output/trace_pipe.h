#pragma once
// The kernel's trace_pipe, where bpf_trace_printk writes: read as lines, printed as the kernel
// wrote them or in BCC's trace_fields style.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

#include "support/unique_fd.h"

struct bpf_object;

namespace probecc {

class TracePipe {
public:
  static llvm::Expected<TracePipe> open(const std::string &tracefs);
  // A pipe that never has anything: for programs that do not print trace lines.
  static TracePipe none() { return TracePipe(UniqueFd()); }
  int fd() const { return fd_.get(); }
  // Throws away what is already buffered: lines written before probecc attached are not its own.
  void discardPending();
  // Reads what is available now and calls onLine for each complete line (without '\n').
  // Returns false once the pipe is closed or failing.
  bool readAvailable(const std::function<void(std::string_view)> &onLine);

private:
  explicit TracePipe(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
  std::string partial_;
};

// Whether any program calls bpf_trace_printk: only then is trace_pipe opened (the kernel lets one
// process read it at a time).
bool usesTracePipe(bpf_object &object);

struct TraceFields {
  std::string comm;
  int pid = 0;
  int cpu = 0;
  std::string flags;
  double timestamp = 0;
  std::string message;  // after "bpf_trace_printk: " (or the event name)
};

// Parses "  comm-pid  [cpu] flags  ts: event: message"; nullopt if the line has another shape.
std::optional<TraceFields> parseTraceLine(std::string_view line);
// BCC's trace_fields layout: TIME(s) COMM PID MESSAGE.
std::string formatTraceFields(const TraceFields &fields);

}  // namespace probecc
