#pragma once
// BCC naming → probe plan: which C functions are probes, of what kind, attached where.
// The kinds themselves are program/probe_kinds.h's table; this maps BCC name prefixes to them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"

namespace probecc {

// "CATEGORY__EVENT" (the rest of a tracepoint__ name) → "CATEGORY/EVENT"; the category ends at
// the first "__", the event may contain "__".
std::optional<std::string> tracepointFromBccName(std::string_view rest);

// A function named by BCC's convention (kprobe__do_unlinkat, tracepoint__sched__sched_switch, ...).
// nullopt: an ordinary function. Error: a probe prefix with a malformed rest.
llvm::Expected<std::optional<ProbeSpec>> planFromName(std::string_view function);

// A function with an explicit libbpf section, SEC("kprobe/do_unlinkat"). Unknown sections are Other.
// Error: a target its kind cannot read (SEC("usdt/a:b:c:d")).
llvm::Expected<ProbeSpec> planFromSection(std::string_view function, std::string_view section);
// A SEC() whose target its user space gives at run time (SEC("uprobe"), SEC("uretprobe/readline")
// without a binary): an error that says how to give it with -a.
llvm::Error placeholderTarget(const ProbeSpec &probe, std::string_view section);

// An explicit attachment from the command line: "kprobe:FUNC=fn", "tracepoint:CAT:EVENT=fn",
// "syscall:NAME=fn", "uprobe:PATH:SYMBOL=fn", ... (see attachOptionHelp()).
llvm::Expected<ProbeSpec> planFromAttachOption(std::string_view option);
std::string attachOptionHelp();

// What to say about a program with nothing to attach.
std::string noProbeMessage();

}  // namespace probecc
