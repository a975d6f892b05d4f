// Issue 12: a program the verifier refuses is an error at the user's own line, in plain words,
// with a hint; the verifier's whole log only under -v. One known-bad program per hint.
#include <unistd.h>

#include <cstdio>

#include "e2e_support.h"

using namespace e2e;

namespace {

struct BadProgram {
  const char *name;
  const char *source;
  const char *located;  // the first line after "<-e>:"
  const char *excerpt;  // the user's line as shown
  const char *hint;
};

constexpr const char *kProbe = "tracepoint__syscalls__sys_enter_getpid";

const BadProgram kBadPrograms[] = {
    {"NullCheckAfterLookup", R"(BPF_HASH(counts, u32, u64);
int tracepoint__syscalls__sys_enter_getpid(void *args)
{
    u32 key = 1;
    u64 *value = counts.lookup(&key);
    *value += 1;
    return 0;
})",
     "6:5: error: the verifier refused tracepoint__syscalls__sys_enter_getpid: it uses a pointer that may be NULL",
     "  6 |     *value += 1;\n    |     ^\n", "hint: check what lookup() (bpf_map_lookup_elem) returns before using it"},
    {"UnboundedLoop", R"(int tracepoint__syscalls__sys_enter_getpid(void *args)
{
    volatile int spin = 1;
    while (spin)
        ;
    return 0;
})",
     "4:5: error: the verifier refused tracepoint__syscalls__sys_enter_getpid: it has a loop the verifier cannot prove ends",
     "  4 |     while (spin)\n", "hint: bound the loop by a constant"},
    {"ContextPastItsFields", R"(int raw_tracepoint__sched_switch(struct bpf_raw_tracepoint_args *ctx)
{
    u64 prev = ctx->args[40];
    return prev;
})",
     "3:5: error: the verifier refused raw_tracepoint__sched_switch: it reads its context (ctx/args) where that has no field",
     "  3 |     u64 prev = ctx->args[40];\n", "hint: a tracepoint's args end with its format's last field"},
    {"HelperNotForThisProgramType", R"(int tracepoint__syscalls__sys_enter_getpid(void *args)
{
    char buf[4];
    bpf_skb_load_bytes(args, 0, buf, sizeof(buf));
    return 0;
})",
     "4:5: error: the verifier refused tracepoint__syscalls__sys_enter_getpid: it calls a helper this type of program may not use",
     "  4 |     bpf_skb_load_bytes(args, 0, buf, sizeof(buf));\n", "hint: this probe type cannot call that helper"},
    {"MapValueIndexNeverBounded", R"(struct value { char bytes[8]; };
BPF_ARRAY(values, struct value, 1);
int tracepoint__syscalls__sys_enter_getpid(void *args)
{
    int zero = 0;
    struct value *v = values.lookup(&zero);
    if (!v) return 0;
    u32 i = bpf_get_prandom_u32();
    v->bytes[i] = 1;
    return 0;
})",
     "9:5: error: the verifier refused tracepoint__syscalls__sys_enter_getpid: it indexes memory with a value it never bounds",
     "  9 |     v->bytes[i] = 1;\n", "hint: check the index against the size before the access"},
    {"NumberUsedAsPointer", R"(int tracepoint__syscalls__sys_enter_getpid(void *args)
{
    u64 address = bpf_get_prandom_u32();
    int x = *(int *)address;
    return x;
})",
     "4:5: error: the verifier refused tracepoint__syscalls__sys_enter_getpid: it dereferences a number as if it were a pointer",
     "  4 |     int x = *(int *)address;\n", "hint: read kernel memory with bpf_probe_read_kernel()"},
    {"ReservedRecordNeverSubmitted", R"(BPF_RINGBUF_OUTPUT(events, 8);
int tracepoint__syscalls__sys_enter_getpid(void *args)
{
    u64 *slot = events.ringbuf_reserve(sizeof(u64));
    if (!slot) return 0;
    *slot = 1;
    return 0;
})",
     "8:1: error: the verifier refused tracepoint__syscalls__sys_enter_getpid: a record it reserved is neither submitted nor discarded on some path",
     "  8 | }\n", "hint: call ringbuf_submit() or ringbuf_discard() on every path"},
};

class VerifierErrors : public ProbeccTest, public testing::WithParamInterface<BadProgram> {};

}  // namespace

TEST_P(VerifierErrors, PointAtTheUsersLineWithAHint) {
  const auto &bad = GetParam();
  auto r = probecc({"-e", bad.source});  // attaching would need the load first: nothing attaches
  EXPECT_EQ(r.status, 1) << r.err;
  const auto at = r.err.find("<-e>:");
  ASSERT_NE(at, std::string::npos) << r.err;
  EXPECT_EQ(r.err.substr(at + 5, r.err.find('\n', at) - at - 5), bad.located) << r.err;
  EXPECT_NE(r.err.find(bad.excerpt), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad.hint), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("BEGIN PROG LOAD LOG"), std::string::npos) << "the whole log only under -v:\n" << r.err;
  EXPECT_EQ(r.err.find("probecc: error:"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Corpus, VerifierErrors, testing::ValuesIn(kBadPrograms),
                         [](const testing::TestParamInfo<BadProgram> &info) { return info.param.name; });

using VerifierLog = ProbeccTest;

TEST_F(VerifierLog, VerboseAddsTheWholeLogAndAFileKeepsItsPath) {
  const auto path = uniquePath("bad") + ".c";
  {
    FILE *file = fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr);
    fputs(kBadPrograms[0].source, file);
    fclose(file);
  }
  auto r = probecc({"--dry-run", "-v", path});
  unlink(path.c_str());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find(path + ":6:5: error: the verifier refused " + std::string(kProbe)), std::string::npos) << r.err;
  // the program's own log (bpf_program__set_log_buf), once, and no "run again with -v"
  EXPECT_EQ(countOf(r.err, "the verifier's log:\n"), 1u) << r.err;
  EXPECT_EQ(countOf(r.err, "\n  0: R1=ctx"), 1u) << r.err;
  EXPECT_EQ(r.err.find("run again with -v"), std::string::npos) << r.err;
}
