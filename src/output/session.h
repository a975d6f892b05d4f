#pragma once
// The tracing session: print what the probes say (trace_pipe lines, events, maps every interval)
// until Ctrl-C/SIGTERM, a duration, or a command ends.
#include <functional>
#include <optional>
#include <string>

#include <llvm/Support/Error.h>

#include "output/btf_format.h"
#include "output/event_output.h"
#include "output/output_sink.h"
#include "output/renderer.h"
#include "output/trace_pipe.h"
#include "support/diagnostics.h"

namespace probecc {

struct SessionOptions {
  std::optional<double> durationSeconds;
  std::string command;  // run with /bin/sh -c once attached; the session ends when it exits
  std::optional<double> intervalSeconds;  // print maps this often
  int processExitFd = -1;  // -p: a pidfd; the session ends when that process exits
};

struct SessionSources {
  const Renderer &renderer;  // how what they say is printed (text, trace fields, JSON)
  TracePipe &pipe;
  EventOutput *events = nullptr;
  std::function<void(OutputSink &out)> printMaps;  // the maps' contents
};

// Blocks the signals the session waits for; call before attaching so a Ctrl-C during attach
// is not lost (it is then seen by the session, which ends at once).
void blockSessionSignals();

// Whether a signal the session waits for is pending and not yet taken (signals blocked): the
// user's Ctrl-C while the maps print, after the session took the first one.
bool stopRequested();

// Returns the exit status probecc should end with: the command's, or 0.
// Probes' output goes to stdout; probecc's notes (losses, ...) to `diagnostics`.
llvm::Expected<int> runSession(SessionSources &sources, const SessionOptions &options, Diagnostics &diagnostics);

}  // namespace probecc
