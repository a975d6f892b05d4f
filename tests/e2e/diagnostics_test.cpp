// Issue 12: the user's own errors, and nothing but them: no counts from a discarded compile
// attempt, Clang's error limit, no warnings from probecc's preamble.
#include <regex>

#include "e2e_support.h"

using namespace e2e;

using Diagnostics = ProbeccTest;

TEST_F(Diagnostics, TheUsersErrorComesFirstWithOneCountAfterIt) {
  // BTF mode compiles first against the kernel types the program names; that attempt fails too,
  // and its diagnostics and its "1 error generated." must not be shown.
  auto r = probecc({"--no-cache", "-e", "int tracepoint__syscalls__sys_enter_unlinkat(void *args) {\n  return 0\n}"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.err.starts_with("<-e>:2:11: error: expected ';'")) << r.err;
  EXPECT_EQ(countOf(r.err, "error generated"), 1u) << r.err;
  EXPECT_EQ(countOf(r.err, "error:"), 1u) << r.err;
}

TEST_F(Diagnostics, ClangStopsAfterNineteenErrorsAsItsDriverDoes) {
  std::string program;
  for (int i = 0; i < 60; ++i) program += "int f" + std::to_string(i) + "(void) { return undeclared" + std::to_string(i) + "; }\n";
  auto r = probecc({"--no-cache", "-e", program});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(countOf(r.err, ": error: use of undeclared identifier"), 19u) << r.err;
  EXPECT_NE(r.err.find("too many errors emitted"), std::string::npos) << r.err;
}

TEST_F(Diagnostics, ABinaryFedAsAScriptIsOneError) {
  auto r = probecc({"/bin/true"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "probecc: error: /bin/true is not C source: it contains NUL bytes (a binary?)\n");
}

TEST_F(Diagnostics, OnlyTheUsersOwnWarningsAreShown) {
  // The program uses the preamble's macros (printk, maps, tracepoint structs) and has one warning
  // of its own; compiled with and without the precompiled kernel types.
  const std::string program =
      "BPF_HASH(counts, u32, u64);\n"
      "TRACEPOINT_PROBE(syscalls, sys_enter_unlinkat) {\n"
      "  char *p = (int *)0;\n"
      "  u32 key = 1;\n"
      "  counts.increment(key);\n"
      "  bpf_trace_printk(\"%s %d\\n\", args->pathname, args->dfd);\n"
      "  return 0;\n"
      "}\n";
  for (const std::string cache : {"--no-cache", "--btf"}) {  // --btf: through the compile cache
    // a comment that makes each run a cache miss (a hit compiles nothing, so warns of nothing)
    auto r = probecc({cache, "-n", "-e", program + "// " + uniquePath("warnings") + "\n"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(countOf(r.err, "warning:"), 1u) << cache << "\n" << r.err;
    EXPECT_NE(r.err.find("<-e>:3:9: warning: incompatible pointer types"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("probecc_"), std::string::npos) << r.err;
  }
}
