#pragma once
// The tracing session: print what the probes say until Ctrl-C/SIGTERM, a duration, or a command ends.
#include <optional>
#include <string>

#include <llvm/Support/Error.h>

#include "loader/trace_pipe.h"

namespace probecc {

enum class TraceStyle { Raw, Fields };

struct SessionOptions {
  std::optional<double> durationSeconds;
  std::string command;  // run with /bin/sh -c once attached; the session ends when it exits
  TraceStyle style = TraceStyle::Raw;
};

// Blocks the signals the session waits for; call before attaching so a Ctrl-C during attach
// is not lost (it is then seen by the session, which ends at once).
void blockSessionSignals();

// Returns the exit status probecc should end with: the command's, or 0.
llvm::Expected<int> runSession(TracePipe &pipe, const SessionOptions &options);

}  // namespace probecc
