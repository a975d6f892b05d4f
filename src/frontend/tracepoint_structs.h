#pragma once
// BCC's tracepoint argument structs: `struct tracepoint__CAT__EVENT *args` is generated from the
// tracepoint's tracefs format file, so probes can read args->filename at the kernel's offsets.
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

namespace probecc {

struct TracepointRef {
  std::string category, event;
  bool operator==(const TracepointRef &) const = default;
};

// The C definition of struct tracepoint__CAT__EVENT from the text of CAT/EVENT/format:
// `u64 __do_not_use__;` over the common_ fields, then the event's fields at their offsets.
llvm::Expected<std::string> structFromFormat(const TracepointRef &tp, std::string_view formatText);

// The event's own fields (not the common_ ones) of a format file's text, as "NAME OFFSET SIZE": the
// layout a struct from structFromFormat() reads, which a package checks on the kernel it runs on.
std::vector<std::string> tracepointFieldLayout(std::string_view formatText);

// The structs for all tracepoints, from TRACEFS/events/CAT/EVENT/format (TRACEFS: the tracefs
// mount, e.g. /sys/kernel/tracing).
llvm::Expected<std::string> tracepointStructs(const std::string &tracefs,
                                              const std::vector<TracepointRef> &tracepoints);

// C text defining BCC's TP_DATA_LOC_READ_CONST(dst, field, length) and TP_DATA_LOC_READ(dst, field),
// which copy a __data_loc field's bytes out of the record `args` points to.
std::string_view tracepointMacros();

}  // namespace probecc
