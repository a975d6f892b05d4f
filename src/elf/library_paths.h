#pragma once
// Uprobe binaries named as BCC and bpftrace let them be named: a library by its short name ("c",
// "pthread", "ssl") or soname ("libc.so.6"), found in the dynamic linker's cache; a program by
// its name, found on PATH. A path with a '/' is used as it is.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"

namespace probecc {

// The library `name` ("c", "libc", "libc.so.6") in the dynamic linker's cache at `cachePath`, as
// BCC's bcc_procutils_which_so finds it; nullopt if none.
std::optional<std::string> findLibrary(std::string_view name, const std::string &cachePath = "/etc/ld.so.cache");

// The probes with each uprobe's binary made a path; an error names a binary found nowhere.
llvm::Expected<std::vector<ProbeSpec>> resolveUserBinaries(std::vector<ProbeSpec> probes);

}  // namespace probecc
