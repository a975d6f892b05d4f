#pragma once
// When the kernel's verifier refuses a program: where in the user's source, in plain words, and
// what usually fixes it. The verifier's log names the source line of each instruction it checks
// ("; text @ file:line", from the BTF line info the object carries); its last lines say why.
#include <optional>
#include <string>
#include <string_view>

namespace probecc {

// The program's source as the compiler saw it: its name in diagnostics ("<-e>", a path) and text.
struct UserSource {
  std::string name, text;
};

struct VerifierRefusal {
  std::string reason;     // the verifier's complaint in plain words
  std::string hint;       // what usually fixes it ("" if nothing is known)
  std::string complaint;  // the verifier's own line, as it said it
  std::string file;       // the source line of the refused instruction (empty if the log has none)
  unsigned line = 0;
  std::string lineText;   // as the verifier quotes it
};

// Reads the verifier's log of one program (libbpf's BEGIN/END PROG LOAD LOG section for it).
VerifierRefusal readVerifierLog(std::string_view log, std::string_view program);

// "FILE:LINE:COL: error: the verifier refused PROGRAM: REASON", the source line with a caret, the
// hint; the refused line is the user's own, or the last line of theirs the verifier passed. Where
// the log quotes the line without its number (kernels before 6.3), the one source line that reads
// so is taken.
// `logShown`: the whole log follows (-v), so the message does not send the user to -v for it.
std::string describeRefusal(VerifierRefusal refusal, std::string_view program, const UserSource &source,
                            bool logShown = false);

}  // namespace probecc
