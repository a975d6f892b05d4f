#pragma once
// Once a program is compiled and cached, the process still maps Clang and LLVM (their libraries
// cannot be unloaded: they are marked NODELETE), about 90 MB while tracing. Re-executing probecc
// with the same arguments turns the run into a cache hit that traces in a few MB.
namespace probecc {

// Whether this process is such a restart; removes the marker from the environment, so commands
// probecc runs do not inherit it. Call once, at startup.
bool takeRestartMarker();

// Replaces the process with a fresh probecc (same arguments, from /proc/self/cmdline), marked as
// a restart; returns only if exec failed.
void restartFromCache();

}  // namespace probecc
