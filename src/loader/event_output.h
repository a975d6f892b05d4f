#pragma once
// Reading BPF_PERF_OUTPUT / BPF_RINGBUF_OUTPUT records and printing each as one decoded line;
// counting lost records (perf buffer overruns, ring buffer reservations that failed).
#include <memory>
#include <string>
#include <vector>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "codegen/event_types.h"
#include "loader/btf_format.h"
#include "loader/kernel_symbols.h"

namespace probecc {

class EventOutput {
public:
  static llvm::Expected<std::unique_ptr<EventOutput>> open(bpf_object &object, const std::vector<EventType> &types,
                                                           OutputFormat format, size_t perfPagesPerCpu);
  ~EventOutput();
  EventOutput(const EventOutput &) = delete;
  EventOutput &operator=(const EventOutput &) = delete;

  bool empty() const { return sources_.empty(); }
  std::vector<int> pollFds() const;  // readable when records wait
  void consume();                    // reads every waiting record
  void reportLost();                 // new losses since the last report, into `notes`
  std::string lostSummary() const;   // for the end of the session; empty when nothing was lost
  // Moves the decoded lines (for stdout) and loss reports (for stderr) out.
  void takeOutput(std::string &out, std::string &notes);

  struct Source;

private:
  EventOutput() = default;
  std::vector<std::unique_ptr<Source>> sources_;
  perf_buffer *perf_ = nullptr;  // one per perf map (see Source)
  ring_buffer *rings_ = nullptr;
  int bssFd_ = -1;  // the program's .bss, where ring buffer methods count what they could not submit
  std::vector<uint8_t> bss_;
  std::string out_, notes_;
  OutputFormat format_ = OutputFormat::Text;
  const btf *types_ = nullptr;
  KernelSymbols kernelSymbols_;  // for probecc_ksym_t members
  bool labelWithMap_ = false;
  friend struct EventOutputCallbacks;
};

}  // namespace probecc
