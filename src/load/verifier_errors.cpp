#include "load/verifier_errors.h"

#include <algorithm>
#include <array>

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>

namespace probecc {
namespace {

struct KnownComplaint {
  std::string_view pattern;  // a part of the verifier's line
  std::string_view reason, hint;
};

// The verifier's complaints a BCC-style program most often meets, checked in order.
constexpr std::array kKnownComplaints{
    KnownComplaint{"_or_null'", "it uses a pointer that may be NULL",
                   "check what lookup() (bpf_map_lookup_elem) returns before using it: if (!value) return 0;"},
    KnownComplaint{"invalid mem access 'scalar'", "it dereferences a number as if it were a pointer",
                   "read kernel memory with bpf_probe_read_kernel() and user memory with bpf_probe_read_user()"},
    KnownComplaint{"back-edge", "it has a loop the verifier cannot prove ends",
                   "bound the loop by a constant (for (int i = 0; i < 16; i++)) or use bpf_loop()"},
    KnownComplaint{"infinite loop detected", "it has a loop the verifier cannot prove ends",
                   "bound the loop by a constant (for (int i = 0; i < 16; i++)) or use bpf_loop()"},
    KnownComplaint{"BPF program is too large", "it is too complex for the verifier to follow every path",
                   "fewer branches or unrolled loops; split the work with tail calls (BPF_PROG_ARRAY)"},
    KnownComplaint{"too complex", "it is too complex for the verifier to follow every path",
                   "fewer branches or unrolled loops; split the work with tail calls (BPF_PROG_ARRAY)"},
    KnownComplaint{"combined stack size", "its stack is over the kernel's 512 bytes",
                   "keep large buffers in a map value (a BPF_PERCPU_ARRAY of one entry) instead of on the stack"},
    KnownComplaint{"invalid bpf_context access", "it reads its context (ctx/args) where that has no field",
                   "a tracepoint's args end with its format's last field (tracefs events/CAT/EVENT/format); "
                   "read other memory with bpf_probe_read_kernel()"},
    KnownComplaint{"cannot call GPL-restricted function from non-GPL compatible program",
                   "it calls a GPL-only helper, and its license is not GPL-compatible",
                   "GPL-only helpers need a GPL-compatible license: BPF_LICENSE(GPL), -DBPF_LICENSE=GPL or "
                   "char _license[] SEC(\"license\") = \"GPL\""},
    KnownComplaint{"program of this type cannot use helper", "it calls a helper this type of program may not use",
                   "this probe type cannot call that helper; move the call to a probe type that can"},
    KnownComplaint{"unknown func", "it calls a helper this kernel or this type of program does not have",
                   "this probe type cannot call that helper here; check the helper against the kernel version"},
    KnownComplaint{"misaligned stack access", "it reads or writes the stack at a misaligned address",
                   "align the variable (use a __u64, or __attribute__((aligned(8))))"},
    KnownComplaint{"invalid access to map value", "it reads or writes past the end of a map value",
                   "check the index or offset against the value's size before the access (if (i >= N) return 0;)"},
    KnownComplaint{"unbounded memory access", "it indexes memory with a value it never bounds",
                   "check the index against the size before the access (if (i >= N) return 0;)"},
    KnownComplaint{"outside of the allowed memory range", "it reads or writes past the end of a map value or buffer",
                   "check the index or offset against the size before the access (if (i >= N) return 0;)"},
    KnownComplaint{"invalid indirect read from stack", "it passes a helper a stack buffer that is not all set",
                   "initialise the buffer first (struct data_t data = {};)"},
    KnownComplaint{"!read_ok", "it uses a variable before giving it a value", "initialise the variable"},
    KnownComplaint{"Unreleased reference", "a record it reserved is neither submitted nor discarded on some path",
                   "call ringbuf_submit() or ringbuf_discard() on every path after ringbuf_reserve()"},
    KnownComplaint{"expected=ctx", "it passes a helper something other than the program's own ctx",
                   "pass the probe's first argument (ctx) itself, unchanged"},
    KnownComplaint{"invalid stack", "it reads or writes outside its stack frame", ""},
};

// libbpf's section of the log for one program: after "prog 'NAME': -- BEGIN PROG LOAD LOG --".
std::string_view programLog(std::string_view log, std::string_view program) {
  const std::string begin = "prog '" + std::string(program) + "': -- BEGIN PROG LOAD LOG --";
  const size_t start = log.rfind(begin);
  if (start == std::string_view::npos) return log;
  log.remove_prefix(start + begin.size());
  return log.substr(0, log.find("-- END PROG LOAD LOG --"));
}

// "; text @ file:line" → its parts.
bool parseSourceLine(llvm::StringRef line, std::string &file, unsigned &number, std::string &text) {
  if (!line.consume_front("; ")) return false;
  const size_t at = line.rfind(" @ ");
  if (at == llvm::StringRef::npos) {  // kernels before 6.3 quote the line without saying where
    file.clear();
    number = 0;
    text = line.str();
    return true;
  }
  llvm::StringRef where = line.drop_front(at + 3);
  const size_t colon = where.rfind(':');
  if (colon == llvm::StringRef::npos || where.drop_front(colon + 1).getAsInteger(10, number)) return false;
  file = where.take_front(colon).str();
  text = line.take_front(at).str();
  return true;
}

// The verifier's complaint: the last line that is neither its statistics nor an instruction.
bool isComplaint(llvm::StringRef line) {
  if (line.empty() || line.starts_with(";") || line.starts_with("processed ") || line.starts_with("verification time") ||
      line.starts_with("stack depth") || line.starts_with("libbpf:") || line.starts_with("arg#") ||
      line.starts_with("caller:") || line.starts_with("callee:") || line.starts_with("frame") ||
      (line.starts_with("R") && line.contains("=") && !line.contains(" ")))
    return false;
  const size_t colon = line.find(": ");
  return colon == llvm::StringRef::npos || !llvm::all_of(line.take_front(colon), [](char c) { return c >= '0' && c <= '9'; });
}

const KnownComplaint *knownComplaint(std::string_view line) {
  for (const auto &known : kKnownComplaints)
    if (line.find(known.pattern) != std::string_view::npos) return &known;
  return nullptr;
}

// Some complaints end an instruction's line ("10: (ad) if r7 < r0 goto pc-6 BPF program is too large").
bool isKnownComplaint(llvm::StringRef line) { return knownComplaint(line) != nullptr; }

std::string sourceLine(std::string_view text, unsigned number) {
  size_t start = 0;
  for (unsigned i = 1; i < number && start != std::string_view::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos || start > text.size()) return "";
  return std::string(text.substr(start, text.find('\n', start) - start));
}

}  // namespace

VerifierRefusal readVerifierLog(std::string_view log, std::string_view program) {
  VerifierRefusal refusal;
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(programLog(log, program)).split(lines, '\n', -1, false);
  for (auto line : lines) {
    line = line.trim();
    std::string file, text;
    unsigned number = 0;
    if (parseSourceLine(line, file, number, text)) {
      refusal.file = std::move(file);
      refusal.line = number;
      refusal.lineText = std::move(text);
    } else if (isComplaint(line) || isKnownComplaint(line)) {
      refusal.complaint = line.str();
      break;  // the first complaint is the verdict; what follows is its aftermath
    }
  }
  refusal.reason = refusal.complaint;
  if (const auto *known = knownComplaint(refusal.complaint)) {
    refusal.reason = known->reason;
    refusal.hint = known->hint;
  }
  if (refusal.reason.empty()) refusal.reason = "see the verifier's log (-v)";
  return refusal;
}

namespace {

// Where the kernel did not say which line it quotes: the one line of the source that reads so.
unsigned findQuotedLine(std::string_view text, llvm::StringRef quoted) {
  unsigned found = 0, number = 1;
  for (size_t start = 0; start <= text.size(); ++number) {
    const size_t end = std::min(text.find('\n', start), text.size());
    if (llvm::StringRef(text.data() + start, end - start).trim() == quoted.trim()) {
      if (found) return 0;
      found = number;
    }
    start = end + 1;
  }
  return found;
}

}  // namespace

std::string describeRefusal(VerifierRefusal refusal, std::string_view program, const UserSource &source,
                            bool logShown) {
  const std::string baseName = source.name.substr(source.name.rfind('/') + 1);
  if (refusal.file.empty() && !refusal.lineText.empty())
    if (const unsigned line = findQuotedLine(source.text, refusal.lineText)) {
      refusal.file = baseName;
      refusal.line = line;
    }
  // The kernel quotes the file's base name only.
  const bool ours = !refusal.file.empty() && refusal.file == baseName;
  std::string out;
  std::string text;
  if (ours) {
    text = sourceLine(source.text, refusal.line);
    const size_t column = text.find_first_not_of(" \t");
    out += source.name + ":" + std::to_string(refusal.line) + ":" +
           std::to_string(column == std::string::npos ? 1 : column + 1) + ": ";
  } else if (!source.name.empty()) {
    out += source.name + ": ";
  }
  out += "error: the verifier refused " + std::string(program) + ": " + refusal.reason + "\n";
  if (ours && !text.empty()) {
    const size_t column = text.find_first_not_of(" \t");
    const std::string number = std::to_string(refusal.line);
    out += "  " + number + " | " + text + "\n";
    out += "  " + std::string(number.size(), ' ') + " | " +
           std::string(column == std::string::npos ? 0 : column, ' ') + "^\n";
  } else if (!refusal.lineText.empty()) {
    out += "  in: " + refusal.lineText + (refusal.file.empty() ? "" : " (" + refusal.file + ":" + std::to_string(refusal.line) + ")") + "\n";
  }
  if (!refusal.hint.empty()) out += "hint: " + refusal.hint + "\n";
  if (!refusal.complaint.empty() && refusal.complaint != refusal.reason)
    out += "verifier: " + refusal.complaint + "\n";
  if (!logShown) out += "(the verifier's whole log: run again with -v)";
  else if (out.ends_with('\n')) out.pop_back();
  return out;
}

}  // namespace probecc
