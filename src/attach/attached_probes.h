#pragma once
// What attaching made, and its release as fast as the kernel allows.
//
// Where the time goes when a session ends (measured on 6.18): releasing a link waits for an RCU
// grace period (the program's detach: synchronize_rcu_tasks_trace), and these waits overlap when
// links are released from several threads: 26 tracepoint links take 0.8 s one after another and
// 0.1 s from 16 threads. A tracepoint's perf event then unregisters the tracepoint, which waits
// for another grace period under the kernel's global event_mutex: those are serial whatever we
// do (~50 ms each). So release happens in two phases: stopPrograms() releases every program link
// at once, from a pool of threads, which stops every probe from firing within a grace period or
// two; release() then lets go of the perf events held behind them (tracepoints), with a progress
// line saying how many remain when that takes long.
#include <vector>

#include "kernel/libbpf_handles.h"
#include "support/progress_line.h"
#include "program/probe_kinds.h"
#include "support/unique_fd.h"

namespace probecc {

// One attachment: the link that runs the program (libbpf's, or a BPF link fd libbpf cannot make:
// uprobe_multi.h) and, for a tracepoint, the perf event behind it, held apart so that the program
// can be detached first and the event released after.
struct Attachment {
  BpfLinkPtr link;
  UniqueFd event{};
  UniqueFd linkFd{};
  explicit operator bool() const { return link || linkFd; }
};

class AttachedProbes {
public:
  // With `diagnostics`, -v says how long each phase of the release took.
  explicit AttachedProbes(ProgressLine *progress = nullptr, Diagnostics *diagnostics = nullptr)
      : progress_(progress), diagnostics_(diagnostics) {}
  AttachedProbes(AttachedProbes &&) = default;
  AttachedProbes &operator=(AttachedProbes &&) = delete;
  ~AttachedProbes() { release(); }

  // How many targets attaching will try, for the progress line.
  void expect(size_t targets);
  // A target tried that did not attach (skipped, refused): progress only.
  void skipped(size_t targets = 1);
  void add(Attachment attachment, ProbeKind kind);
  void add(BpfLinkPtr link, ProbeKind kind) { add(Attachment{std::move(link)}, kind); }
  // Attaching is over: the progress line goes.
  void attached();
  // A Ctrl-C (or SIGTERM, SIGHUP) waits, blocked, for the session: attaching stops early, and the
  // session, which sees it at once, ends.
  bool interrupted() const;
  // Before another line is printed: the progress line goes until the next update.
  void clearProgress() {
    if (progress_) progress_->clear();
  }

  size_t size() const { return links_.size() + serialLinks_.size(); }
  // Detaches every program: each probe stops firing. Perf events stay until release().
  void stopPrograms();
  // Everything goes: programs (if still attached), then the perf events behind them.
  void release();

private:
  void tick();
  ProgressLine *progress_;
  Diagnostics *diagnostics_;
  std::vector<Attachment> links_;        // released concurrently
  std::vector<Attachment> serialLinks_;  // released one by one (kindInfo().releasesConcurrently)
  std::vector<UniqueFd> events_;
  size_t expected_ = 0, tried_ = 0;
};

}  // namespace probecc
