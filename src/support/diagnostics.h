#pragma once
// Where probecc's own messages go: errors, warnings, notes, progress and -v's lines, each in the
// one shape ("probecc: warning: ..."). One sink per run, made in main() and passed down, so no
// module decides on its own where or whether to write.
#include <llvm/ADT/Twine.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>

namespace probecc {

class Diagnostics {
public:
  explicit Diagnostics(bool verbose, llvm::raw_ostream &out = llvm::errs()) : verbose_(verbose), out_(out) {}
  // -f json: every message one JSON record (README "JSON output"): {"type":"error","message":...},
  // with "file", "line", "col" where the message points at the user's source.
  void setJson(bool json) { json_ = json; }

  void warning(const llvm::Twine &message) { line("warning", message); }
  void note(const llvm::Twine &message) { line("note", message); }
  // What the user should see even without -v (a background build starting, skipped targets).
  void progress(const llvm::Twine &message) { line("", message); }
  // Only with -v: where things come from and go.
  void verbose(const llvm::Twine &message) {
    if (verbose_) line("", message);
  }
  bool isVerbose() const { return verbose_; }
  // Text already in its final shape (libbpf's log, loss summaries), passed through as it is.
  // With JSON, each of its lines becomes a record ("probecc: warning: ..." a warning's).
  void text(llvm::StringRef text);
  // Prints an error ("probecc: error: ...", a located error as it is, nothing for AlreadyReported);
  // returns the exit status to use.
  int error(llvm::Error error);

private:
  // "probecc: SEVERITY: message" (no severity: "probecc: message"), or its JSON record.
  void line(llvm::StringRef severity, const llvm::Twine &message);
  // A located message "FILE:LINE:COL: error: text\n<source lines>" as a JSON record.
  void locatedRecord(const std::string &message);
  bool verbose_;
  bool json_ = false;
  llvm::raw_ostream &out_;
};

}  // namespace probecc
