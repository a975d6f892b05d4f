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

  void warning(const llvm::Twine &message) { line("warning: " + message); }
  void note(const llvm::Twine &message) { line("note: " + message); }
  // What the user should see even without -v (a background build starting, skipped targets).
  void progress(const llvm::Twine &message) { line(message); }
  // Only with -v: where things come from and go.
  void verbose(const llvm::Twine &message) {
    if (verbose_) line(message);
  }
  bool isVerbose() const { return verbose_; }
  // Text already in its final shape (libbpf's log, loss summaries), passed through as it is.
  void text(llvm::StringRef text) { out_ << text; }
  // Prints an error ("probecc: error: ...", a located error as it is, nothing for AlreadyReported);
  // returns the exit status to use.
  int error(llvm::Error error);

private:
  void line(const llvm::Twine &message) { out_ << "probecc: " << message << "\n"; }
  bool verbose_;
  llvm::raw_ostream &out_;
};

}  // namespace probecc
