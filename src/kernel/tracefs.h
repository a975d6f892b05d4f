#pragma once
// Finding (or mounting) tracefs, and what it says about the kernel's probe support.
#include <string>

#include <llvm/Support/Error.h>

namespace probecc {

// The tracefs directory, mounting tracefs at /sys/kernel/tracing if it is nowhere mounted.
llvm::Expected<std::string> ensureTracefs();

// TRACEFS/events/CATEGORY/EVENT/format: the layout of the tracepoint's record.
std::string tracepointFormatPath(const std::string &tracefs, const std::string &categorySlashEvent);

// Whether tracepoint CATEGORY/EVENT exists.
bool tracepointExists(const std::string &tracefs, const std::string &categorySlashEvent);

}  // namespace probecc
