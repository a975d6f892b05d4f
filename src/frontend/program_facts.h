#pragma once
// What the program's own text says, read with Clang's lexer, so that nothing in a comment or a
// string literal counts: the headers it includes, whether it names USDT, the tracepoints it names.
// (Compiler side only: the lexer is Clang's.)
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/tracepoint_structs.h"

namespace probecc {

struct ProgramFacts {
  std::vector<std::string> includes;  // each #include's header, without its quotes or brackets
  // an identifier spelled with "usdt" in either case (bpf_usdt_readarg, BPF_USDT), or SEC("usdt...")
  bool namesUsdt = false;
  // tracepoint__CAT__EVENT or TRACEPOINT_PROBE(CAT, EVENT), in order of first use, no duplicates
  std::vector<TracepointRef> tracepoints;

  bool includesHeader(std::string_view header) const {
    return std::find(includes.begin(), includes.end(), header) != includes.end();
  }
};

ProgramFacts readProgramFacts(std::string_view text);

}  // namespace probecc
