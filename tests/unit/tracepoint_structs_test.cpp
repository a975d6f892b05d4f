// Tracepoint argument structs: finding the tracepoints a program uses, and laying out
// struct tracepoint__CAT__EVENT from tracefs format files.
#include "frontend/tracepoint_structs.h"
#include "frontend/program_facts.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "compiler/compile_program.h"
#include "btf_kernel.h"
#include "frontend/probe_plan.h"

using namespace probecc;

namespace {

// Format files as this machine's kernel (6.18) writes them (print fmt lines shortened).
constexpr const char *kOpenatFormat =
    "name: sys_enter_openat\n"
    "ID: 782\n"
    "format:\n"
    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
    "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
    "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
    "\n"
    "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
    "\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
    "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
    "\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
    "\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n"
    "\n"
    "print fmt: \"dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx\", "
    "((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename)), ((unsigned long)(REC->flags)), "
    "((unsigned long)(REC->mode))\n";

constexpr const char *kProcessExecFormat =
    "name: sched_process_exec\n"
    "ID: 365\n"
    "format:\n"
    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
    "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
    "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
    "\n"
    "\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n"
    "\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
    "\tfield:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;\n"
    "\n"
    "print fmt: \"filename=%s pid=%d old_pid=%d\", __get_str(filename), REC->pid, REC->old_pid\n";

constexpr const char *kCommonFields =
    "format:\n"
    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
    "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
    "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
    "\n";

const std::string kSchedSwitchFormat = std::string("name: sched_switch\nID: 372\n") + kCommonFields +
                                       "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
                                       "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
                                       "\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
                                       "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
                                       "\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;\n"
                                       "\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;\n"
                                       "\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;\n"
                                       "\nprint fmt: \"prev_comm=%s\", REC->prev_comm\n";

const std::string kRawSysEnterFormat = std::string("name: sys_enter\nID: 443\n") + kCommonFields +
                                       "\tfield:long id;\toffset:8;\tsize:8;\tsigned:1;\n"
                                       "\tfield:unsigned long args[6];\toffset:16;\tsize:48;\tsigned:0;\n"
                                       "\nprint fmt: \"NR %ld\", REC->id\n";

// Types neither header mode can be trusted to name, and a kernel-packed u64.
const std::string kOddTypesFormat = std::string("name: odd\nID: 1\n") + kCommonFields +
                                    "\tfield:enum migrate_mode mode;\toffset:8;\tsize:4;\tsigned:0;\n"
                                    "\tfield:u64 packed;\toffset:12;\tsize:8;\tsigned:0;\n"
                                    "\tfield:xfs_ino_t ino;\toffset:24;\tsize:8;\tsigned:0;\n"
                                    "\tfield:sigset_t * set;\toffset:32;\tsize:8;\tsigned:0;\n"
                                    "\tfield:const char *const * argv;\toffset:40;\tsize:8;\tsigned:0;\n"
                                    "\tfield:struct sockaddr * addr;\toffset:48;\tsize:8;\tsigned:0;\n"
                                    "\tfield:struct foo value;\toffset:56;\tsize:12;\tsigned:0;\n"
                                    "\tfield:const int level;\toffset:68;\tsize:4;\tsigned:1;\n"
                                    "\tfield:char comm[TASK_COMM_LEN];\toffset:72;\tsize:16;\tsigned:0;\n"
                                    "\tfield:__data_loc u8[] bytes;\toffset:88;\tsize:4;\tsigned:0;\n";

std::string structOrError(const TracepointRef &tp, std::string_view format) {
  auto text = structFromFormat(tp, format);
  if (!text) return "error: " + llvm::toString(text.takeError());
  return *text;
}

std::vector<TracepointRef> tracepointsNamed(std::string_view text) { return readProgramFacts(text).tracepoints; }

std::vector<std::string> names(const std::vector<TracepointRef> &refs) {
  std::vector<std::string> out;
  for (const auto &ref : refs) out.push_back(ref.category + ":" + ref.event);
  return out;
}

}  // namespace

TEST(TracepointRefs, FindsBothSpellingsInOrderWithoutDuplicates) {
  const auto refs = tracepointsNamed(R"(
int tracepoint__syscalls__sys_enter_openat(struct tracepoint__syscalls__sys_enter_openat *args) {
  return args->dfd;
}
TRACEPOINT_PROBE(sched, sched_process_exec) { return 0; }
TRACEPOINT_PROBE( sched ,
                  sched_switch ) { return 0; }
TRACEPOINT_PROBE(syscalls, sys_enter_openat) { return 1; }
)");
  EXPECT_EQ(names(refs), (std::vector<std::string>{"syscalls:sys_enter_openat", "sched:sched_process_exec",
                                                   "sched:sched_switch"}));
}

TEST(TracepointRefs, CategoryEndsAtTheFirstDoubleUnderscore) {
  EXPECT_EQ(names(tracepointsNamed("int tracepoint__cat__ev__with__parts(void *a) { return 0; }")),
            std::vector<std::string>{"cat:ev__with__parts"});
}

TEST(TracepointRefs, IgnoresCommentsStringsOtherPrefixesAndMalformedNames) {
  const auto refs = tracepointsNamed(R"(
// tracepoint__a__b
/* TRACEPOINT_PROBE(c, d)
   tracepoint__e__f */
const char *s = "tracepoint__g__h \" tracepoint__i__j";
char q = '"'; int tracepoint__k__l_is_not_in_a_string;
int raw_tracepoint__sys_enter(void *ctx) { return 0; }
int my_tracepoint__m__n(void) { return 0; }
int tracepoint__nocategory(void) { return 0; }
int tracepoint____noevent(void) { return 0; }
int tracepoint__cat__(void) { return 0; }
RAW_TRACEPOINT_PROBE(sched_switch) { return 0; }
TRACEPOINT_PROBE(onlyone) { return 0; }
)");
  EXPECT_EQ(names(refs), std::vector<std::string>{"k:l_is_not_in_a_string"});
}

TEST(TracepointStruct, SysEnterOpenatKeepsDeclaredTypesInTheirSlots) {
  EXPECT_EQ(structOrError({"syscalls", "sys_enter_openat"}, kOpenatFormat),
            "struct tracepoint__syscalls__sys_enter_openat {\n"
            "  u64 __do_not_use__;\n"
            "  int __syscall_nr;\n"
            "  char __pad_12[4];\n"
            "  int dfd;\n"
            "  char __pad_20[4];\n"
            "  const char *filename;\n"
            "  int flags;\n"
            "  char __pad_36[4];\n"
            "  umode_t mode;\n"
            "  char __pad_42[6];\n"
            "};\n");
}

TEST(TracepointStruct, SchedProcessExecHasADataLocField) {
  EXPECT_EQ(structOrError({"sched", "sched_process_exec"}, kProcessExecFormat),
            "struct tracepoint__sched__sched_process_exec {\n"
            "  u64 __do_not_use__;\n"
            "  int data_loc_filename;\n"
            "  pid_t pid;\n"
            "  pid_t old_pid;\n"
            "};\n");
}

TEST(TracepointStruct, ArraysKeepTheirElementType) {
  EXPECT_EQ(structOrError({"sched", "sched_switch"}, kSchedSwitchFormat),
            "struct tracepoint__sched__sched_switch {\n"
            "  u64 __do_not_use__;\n"
            "  char prev_comm[16];\n"
            "  pid_t prev_pid;\n"
            "  int prev_prio;\n"
            "  long prev_state;\n"
            "  char next_comm[16];\n"
            "  pid_t next_pid;\n"
            "  int next_prio;\n"
            "};\n");
  EXPECT_EQ(structOrError({"raw_syscalls", "sys_enter"}, kRawSysEnterFormat),
            "struct tracepoint__raw_syscalls__sys_enter {\n"
            "  u64 __do_not_use__;\n"
            "  long id;\n"
            "  unsigned long args[6];\n"
            "};\n");
}

TEST(TracepointStruct, UnnameableTypesBecomeIntegersOrBytesOfTheFieldSize) {
  EXPECT_EQ(structOrError({"test", "odd"}, kOddTypesFormat),
            "struct tracepoint__test__odd {\n"
            "  u64 __do_not_use__;\n"
            "  u32 mode;\n"
            "  u64 packed __attribute__((packed));\n"
            "  char __pad_20[4];\n"
            "  u64 ino;\n"
            "  void *set;\n"
            "  const char *const *argv;\n"
            "  struct sockaddr *addr;\n"
            "  u8 value[12];\n"
            "  int level;\n"
            "  char comm[16];\n"
            "  int data_loc_bytes;\n"
            "};\n");
}

TEST(TracepointStruct, RejectsMalformedAndOverlappingFormats) {
  const TracepointRef tp{"a", "b"};
  auto malformed = structFromFormat(tp, std::string(kCommonFields) + "\tfield:int x;\tsize:4;\tsigned:1;\n");
  ASSERT_FALSE(static_cast<bool>(malformed));
  EXPECT_NE(llvm::toString(malformed.takeError()).find("a:b"), std::string::npos);
  auto overlapping = structFromFormat(tp, std::string(kCommonFields) +
                                              "\tfield:u64 x;\toffset:8;\tsize:8;\tsigned:0;\n"
                                              "\tfield:u32 y;\toffset:12;\tsize:4;\tsigned:0;\n");
  ASSERT_FALSE(static_cast<bool>(overlapping));
  EXPECT_NE(llvm::toString(overlapping.takeError()).find("'y'"), std::string::npos);
  auto empty = structFromFormat(tp, "name: b\nID: 1\nformat:\n");
  EXPECT_FALSE(static_cast<bool>(empty));
  llvm::consumeError(empty.takeError());
}

TEST(TracepointStruct, GeneratedStructsCompileWithTheKernelsOffsets) {
  if (!std::filesystem::exists("/sys/kernel/btf/vmlinux")) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux";
  std::string source;
  for (const auto &[tp, format] : std::vector<std::pair<TracepointRef, std::string>>{
           {{"syscalls", "sys_enter_openat"}, kOpenatFormat},
           {{"sched", "sched_process_exec"}, kProcessExecFormat},
           {{"sched", "sched_switch"}, kSchedSwitchFormat},
           {{"test", "odd"}, kOddTypesFormat}}) {
    auto text = structFromFormat(tp, format);
    ASSERT_TRUE(static_cast<bool>(text)) << llvm::toString(text.takeError());
    source += *text;
  }
  source += tracepointMacros();
  source += R"(
#define AT(s, f, n) _Static_assert(__builtin_offsetof(struct tracepoint__##s, f) == n, #f)
AT(syscalls__sys_enter_openat, __syscall_nr, 8); AT(syscalls__sys_enter_openat, dfd, 16);
AT(syscalls__sys_enter_openat, filename, 24); AT(syscalls__sys_enter_openat, flags, 32);
AT(syscalls__sys_enter_openat, mode, 40);
_Static_assert(sizeof(struct tracepoint__syscalls__sys_enter_openat) == 48, "openat size");
AT(sched__sched_process_exec, data_loc_filename, 8); AT(sched__sched_process_exec, pid, 12);
AT(sched__sched_process_exec, old_pid, 16);
AT(sched__sched_switch, prev_comm, 8); AT(sched__sched_switch, prev_pid, 24);
AT(sched__sched_switch, prev_state, 32); AT(sched__sched_switch, next_comm, 40);
AT(sched__sched_switch, next_pid, 56); AT(sched__sched_switch, next_prio, 60);
AT(test__odd, mode, 8); AT(test__odd, packed, 12); AT(test__odd, ino, 24); AT(test__odd, set, 32);
AT(test__odd, argv, 40); AT(test__odd, addr, 48); AT(test__odd, value, 56); AT(test__odd, level, 68);
AT(test__odd, comm, 72); AT(test__odd, data_loc_bytes, 88);

TRACEPOINT_PROBE(sched, sched_process_exec) {
  char name[32];
  TP_DATA_LOC_READ_CONST(name, filename, sizeof(name));
  TP_DATA_LOC_READ(name, filename);
  bpf_trace_printk("%s %d\n", name, args->pid);
  return 0;
}
int tracepoint__syscalls__sys_enter_openat(struct tracepoint__syscalls__sys_enter_openat *args) {
  char path[16];
  bpf_probe_read_user_str(path, sizeof(path), args->filename);
  return args->dfd == -100;
}
)";
  ProgramRequest request;
  request.script = {"tracepoints.c", source};
  request.kernel = btfKernelTypes();
  auto program = compileProgram(std::move(request));
  ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError()) << "\n" << source;
  // the two, and the openat program's raw_syscalls stand-in, which knows the program reads up to
  // the end of `filename` (offset 24, 8 bytes): syscalls with shorter records it must not serve
  ASSERT_EQ(program->probes.size(), 3u);
  EXPECT_EQ(program->probes.back().standsInFor, "tracepoint__syscalls__sys_enter_openat");
  EXPECT_EQ(program->probes.back().recordBytesRead, 32u);
}

TEST(TracepointStructs, ReadsFormatFilesAndSkipsMissingTracepoints) {
  const auto tracefs = std::filesystem::path(testing::TempDir()) / "probecc_tracefs";
  std::filesystem::remove_all(tracefs);
  std::filesystem::create_directories(tracefs / "events/sched/sched_process_exec");
  std::ofstream(tracefs / "events/sched/sched_process_exec/format") << kProcessExecFormat;
  auto structs = tracepointStructs(tracefs.string(), {{"nosuch", "event"}, {"sched", "sched_process_exec"}});
  ASSERT_TRUE(static_cast<bool>(structs)) << llvm::toString(structs.takeError());
  EXPECT_EQ(*structs, structOrError({"sched", "sched_process_exec"}, kProcessExecFormat));
  std::filesystem::remove_all(tracefs);
}

TEST(TracepointStructs, ReadsThisKernelsTracefs) {
  const std::string tracefs = "/sys/kernel/tracing";
  if (!std::filesystem::exists(tracefs + "/events/syscalls/sys_enter_openat/format"))
    GTEST_SKIP() << "needs tracefs at " << tracefs << " with syscall tracepoints";
  auto structs = tracepointStructs(tracefs, tracepointsNamed(R"(
TRACEPOINT_PROBE(syscalls, sys_enter_openat) { return 0; }
TRACEPOINT_PROBE(sched, sched_process_exec) { return 0; }
TRACEPOINT_PROBE(no_such_category, no_such_event) { return 0; }
)"));
  ASSERT_TRUE(static_cast<bool>(structs)) << llvm::toString(structs.takeError());
  EXPECT_NE(structs->find("struct tracepoint__syscalls__sys_enter_openat {\n  u64 __do_not_use__;\n"),
            std::string::npos) << *structs;
  EXPECT_NE(structs->find("  const char *filename;\n"), std::string::npos) << *structs;
  EXPECT_NE(structs->find("  int data_loc_filename;\n"), std::string::npos) << *structs;
  EXPECT_EQ(structs->find("no_such"), std::string::npos) << *structs;
}

TEST(TracepointMacros, DefineBccsDataLocReaders) {
  const std::string macros(tracepointMacros());
  EXPECT_NE(macros.find("#define TP_DATA_LOC_READ_CONST(dst, field, length)"), std::string::npos);
  EXPECT_NE(macros.find("#define TP_DATA_LOC_READ(dst, field)"), std::string::npos);
  EXPECT_NE(macros.find("args->data_loc_##field & 0xFFFF"), std::string::npos);
  EXPECT_NE(macros.find("bpf_probe_read_kernel"), std::string::npos);
}
