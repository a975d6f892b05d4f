#pragma once
// Reading BPF_PERF_OUTPUT / BPF_RINGBUF_OUTPUT records and printing each as one decoded line;
// counting lost records (perf buffer overruns, ring buffer reservations that failed). The
// session's own printk ring buffer is read here too, its records made trace lines.
#include <functional>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "program/event_type.h"
#include "output/btf_format.h"
#include "kernel/kernel_symbols.h"
#include "kernel/libbpf_handles.h"
#include "output/printk_lines.h"
#include "output/records.h"

namespace probecc {

class EventOutput {
public:
  // printkFormats: CompiledProgram::printkFormats, for the records of the printk ring buffer.
  static llvm::Expected<std::unique_ptr<EventOutput>> open(bpf_object &object, const std::vector<EventType> &types,
                                                           const std::vector<std::string> &printkFormats,
                                                           const Renderer &renderer, size_t perfPagesPerCpu);
  // Before loading: the session's printk ring buffer, if the program has one, gets `pages` pages
  // and learns probecc's pid (whose own doings print nothing).
  static void preparePrintk(bpf_object &object, size_t pages);
  ~EventOutput();
  EventOutput(const EventOutput &) = delete;
  EventOutput &operator=(const EventOutput &) = delete;

  bool empty() const { return sources_.empty(); }
  std::vector<int> pollFds() const;  // readable when records wait
  void consume();                    // reads every waiting record
  void reportLost();                 // new losses since the last report, into `notes`
  std::string lostSummary() const;   // for the end of the session; empty when nothing was lost
  // What each buffer lost so far, as of the last reportLost(); safe to call from another thread.
  std::vector<LossRecord> lostTotals() const;
  // Moves the decoded lines (for stdout) and loss reports (for stderr) out.
  void takeOutput(OutputSink &out, std::string &notes);
  // How a printk record's trace lines (each without '\n') are printed, in order with the events.
  void onPrintkLine(std::function<void(std::string_view line, OutputSink &out)> print) { printkLine_ = std::move(print); }

  struct Source;

private:
  explicit EventOutput(const Renderer &renderer);
  std::vector<std::unique_ptr<Source>> sources_;
  RingBufferPtr rings_;  // every ring buffer map (perf maps have a perf buffer each, see Source)
  int bssFd_ = -1;  // the program's .bss, where ring buffer methods count what they could not submit
  std::vector<uint8_t> bss_;
  OutputSink out_;
  std::string notes_;
  std::unique_ptr<PrintkLines> printk_;
  std::function<void(std::string_view, OutputSink &)> printkLine_;
  const btf *types_ = nullptr;
  KernelSymbols kernelSymbols_;  // for probecc_ksym_t members
  bool labelWithMap_ = false;
  mutable std::mutex lostMutex_;
  std::vector<LossRecord> lostTotals_;  // published by reportLost() for lostTotals()
  friend struct EventOutputCallbacks;
};

}  // namespace probecc
