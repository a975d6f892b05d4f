#include "output/trace_pipe.h"

#include <fcntl.h>
#include <linux/bpf.h>

#include <bpf/libbpf.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "support/error.h"

namespace probecc {

llvm::Expected<TracePipe> TracePipe::open(const std::string &tracefs) {
  const std::string path = tracefs + "/trace_pipe";
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd && errno == EBUSY)
    return makeError(path + " is being read by another process (another probecc, a BCC tool, or a cat of it); "
                     "the kernel allows one reader of bpf_trace_printk's output");
  if (!fd) return makeError("cannot open " + path + ": " + strerror(errno));
  return TracePipe(std::move(fd));
}

bool usesTracePipe(bpf_object &object) {
  bpf_program *program;
  bpf_object__for_each_program(program, &object) {
    const bpf_insn *insns = bpf_program__insns(program);
    for (size_t i = 0; i < bpf_program__insn_cnt(program); ++i)
      if (insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].src_reg == 0 &&
          (insns[i].imm == BPF_FUNC_trace_printk || insns[i].imm == BPF_FUNC_trace_vprintk))
        return true;
  }
  return false;
}

void TracePipe::discardPending() {
  char buffer[65536];
  while (::read(fd_.get(), buffer, sizeof buffer) > 0) {
  }
  partial_.clear();
}

bool TracePipe::readAvailable(const std::function<void(std::string_view)> &onLine) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd_.get(), buffer, sizeof buffer);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    if (n == 0) return true;  // trace_pipe reports "nothing now" as 0 as well as EAGAIN
    partial_.append(buffer, n);
    size_t start = 0;
    for (size_t newline; (newline = partial_.find('\n', start)) != std::string::npos; start = newline + 1)
      onLine(std::string_view(partial_).substr(start, newline - start));
    partial_.erase(0, start);
  }
}

std::optional<TraceFields> parseTraceLine(std::string_view line) {
  // "           <...>-1234    [001] d..31  1234.567890: bpf_trace_printk: message"
  const auto open = line.find(" [");
  if (open == std::string_view::npos) return std::nullopt;
  const auto close = line.find(']', open);
  if (close == std::string_view::npos) return std::nullopt;
  TraceFields fields;
  auto task = line.substr(0, open);
  while (!task.empty() && task.front() == ' ') task.remove_prefix(1);
  while (!task.empty() && task.back() == ' ') task.remove_suffix(1);
  const auto dash = task.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  fields.comm = std::string(task.substr(0, dash));
  const auto pidText = task.substr(dash + 1);
  if (std::from_chars(pidText.data(), pidText.data() + pidText.size(), fields.pid).ec != std::errc{})
    return std::nullopt;
  const auto cpuText = line.substr(open + 2, close - open - 2);
  std::from_chars(cpuText.data(), cpuText.data() + cpuText.size(), fields.cpu);

  auto rest = line.substr(close + 1);
  const auto colon = rest.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  auto head = rest.substr(0, colon);  // " d..31  1234.567890"
  const auto lastSpace = head.find_last_of(' ');
  const auto timestampText = head.substr(lastSpace + 1);
  fields.timestamp = std::strtod(std::string(timestampText).c_str(), nullptr);
  auto flags = head.substr(0, lastSpace);
  while (!flags.empty() && flags.front() == ' ') flags.remove_prefix(1);
  while (!flags.empty() && flags.back() == ' ') flags.remove_suffix(1);
  fields.flags = std::string(flags);
  auto message = rest.substr(colon + 2);
  if (const auto event = message.find(": "); event != std::string_view::npos) message.remove_prefix(event + 2);
  fields.message = std::string(message);
  return fields;
}

std::string formatTraceFields(const TraceFields &fields) {
  char head[64];
  std::snprintf(head, sizeof head, "%-18.9f %-16s %-7d ", fields.timestamp, fields.comm.c_str(), fields.pid);
  return head + fields.message;
}

}  // namespace probecc
