// Probe targets by name: did-you-mean, wildcards, what the kernel offers (from a fake tracefs and
// kallsyms), listing, ELF function symbols, and kernel addresses printed as functions.
#include <bpf/btf.h>
#include <gtest/gtest.h>

#include "probe_targets.h"
#include <unistd.h>

#include <filesystem>
#include <cstring>
#include <fstream>
#include <memory>

#include "output/btf_format.h"
#include "elf/elf_functions.h"
#include "kernel/kernel_symbols.h"
#include "kernel/kernel_targets.h"
#include "attach/target_listing.h"
#include "output/records.h"
#include "attach/target_check.h"
#include "support/closest_names.h"
#include "support/name_pattern.h"

using namespace probecc;
namespace fs = std::filesystem;

extern "C" __attribute__((noinline, used)) int probecc_targets_test_marker(int x) { return x * 5 + 2; }

TEST(ClosestNames, NearestFirstAndNothingUnrelated) {
  const std::vector<std::string> names{"vfs_read", "vfs_readv", "vfs_write", "do_sys_open", "ksys_read"};
  EXPECT_EQ(closestNames("vfs_raed", names), (std::vector<std::string>{"vfs_read"}));
  EXPECT_EQ(closestNames("vfs_reed", names), (std::vector<std::string>{"vfs_read", "vfs_readv"}));
  EXPECT_EQ(closestNames("vfs_wirte", names), (std::vector<std::string>{"vfs_write"}));
  EXPECT_TRUE(closestNames("tcp_sendmsg", names).empty());
  EXPECT_EQ(closestNames("vfs_reed", names, 1), (std::vector<std::string>{"vfs_read"}));
  EXPECT_EQ(didYouMean({}), "");
  EXPECT_EQ(didYouMean({"a"}), "; did you mean a?");
  EXPECT_EQ(didYouMean({"a", "b", "c"}), "; did you mean a, b or c?");
}

TEST(NamePattern, ShellWildcards) {
  EXPECT_TRUE(hasWildcard("vfs_*"));
  EXPECT_TRUE(hasWildcard("sched_?witch"));
  EXPECT_TRUE(hasWildcard("str[a-c]*"));
  EXPECT_FALSE(hasWildcard("vfs_read"));
  EXPECT_TRUE(matchesPattern("vfs_*", "vfs_read"));
  EXPECT_FALSE(matchesPattern("vfs_*", "do_vfs_read"));
  EXPECT_TRUE(matchesPattern("sched/*", "sched/sched_switch", true));
  EXPECT_FALSE(matchesPattern("*", "sched/sched_switch", true));  // '*' stays inside the category
}

class FakeKernel : public testing::Test {
protected:
  void SetUp() override {
    root = fs::temp_directory_path() / ("probecc-targets-" + std::to_string(getpid()));
    fs::create_directories(root / "tracing/events/sched/sched_switch");
    fs::create_directories(root / "tracing/events/syscalls/sys_enter_openat");
    std::ofstream(root / "tracing/events/sched/sched_switch/id") << "316\n";
    std::ofstream(root / "tracing/events/sched/sched_switch/format")
        << "name: sched_switch\nID: 316\nformat:\n"
           "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
           "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
           "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n";
    std::ofstream(root / "tracing/events/syscalls/sys_enter_openat/id") << "600\n";
    std::ofstream(root / "tracing/available_events") << "sched:sched_switch\nsched:sched_wakeup\nsyscalls:sys_enter_openat\n";
    std::ofstream(root / "kallsyms") << "ffffffff81000000 T _stext\nffffffff81000100 t __pfx_vfs_read\n"
                                        "ffffffff81000110 T vfs_read\nffffffff81000200 T vfs_write\n"
                                        "ffffffff81000300 t vfs_notrace_helper\nffffffff81000400 t vfs_write.cold\n"
                                        "ffffffff81000500 T __x64_sys_openat\nffffffff81000600 d some_data\n";
  }
  void TearDown() override { fs::remove_all(root); }
  void withFtrace() { std::ofstream(root / "tracing/available_filter_functions") << "vfs_read\nvfs_write [ext4]\n"; }
  KernelTargets targets() { return KernelTargets((root / "tracing").string(), (root / "no-btf").string(), (root / "kallsyms").string()); }
  std::string list(const std::string &pattern, bool verbose = false, OutputFormat format = OutputFormat::Text) {
    auto kernel = targets();
    const auto renderer = makeRenderer(format);
    OutputSink out(*renderer);
    std::string notes;
    EXPECT_FALSE(static_cast<bool>(
        listTargets({pattern, verbose}, kernel, [&](const ListedTarget &target) { out.render(target); }, notes)));
    return out.take();
  }
  fs::path root;
};

TEST_F(FakeKernel, KallsymsFunctionsWithoutPaddingColdPartsOrData) {
  auto kernel = targets();
  EXPECT_EQ(kernel.kernelFunctions(),
            (std::vector<std::string>{"__x64_sys_openat", "_stext", "vfs_notrace_helper", "vfs_read", "vfs_write"}));
  EXPECT_FALSE(kernel.hasFtraceFunctions());
  EXPECT_EQ(&kernel.kprobeFunctions(), &kernel.kernelFunctions());
  EXPECT_EQ(kernel.tracepoints(), (std::vector<std::string>{"sched/sched_switch", "sched/sched_wakeup", "syscalls/sys_enter_openat"}));
  EXPECT_EQ(kernel.syscalls(), (std::vector<std::string>{"openat"}));
  // without BTF, raw tracepoints are the events' names
  EXPECT_EQ(kernel.rawTracepoints(), (std::vector<std::string>{"sched_switch", "sched_wakeup", "sys_enter_openat"}));
}

TEST_F(FakeKernel, RawTracepointsAreVmlinuxBtfsAndLoadedModulesTraceEvents) {
  // vmlinux's BTF names sched_switch (and a tracepoint without a trace event); sys_enter_openat and
  // sched_wakeup stand for a module's tracepoints, which have trace events but no vmlinux BTF.
  std::unique_ptr<btf, decltype(&btf__free)> types(btf__new_empty(), btf__free);
  const int intType = btf__add_int(types.get(), "int", 4, BTF_INT_SIGNED);
  ASSERT_GT(btf__add_typedef(types.get(), "btf_trace_sched_switch", intType), 0);
  ASSERT_GT(btf__add_typedef(types.get(), "btf_trace_no_event_here", intType), 0);
  uint32_t size = 0;
  const void *raw = btf__raw_data(types.get(), &size);
  std::ofstream(root / "vmlinux.btf", std::ios::binary).write(static_cast<const char *>(raw), size);
  KernelTargets kernel((root / "tracing").string(), (root / "vmlinux.btf").string(), (root / "kallsyms").string());
  EXPECT_EQ(kernel.rawTracepoints(),
            (std::vector<std::string>{"no_event_here", "sched_switch", "sched_wakeup", "sys_enter_openat"}));
}

TEST_F(FakeKernel, FtraceListDecidesWhatKprobesOffer) {
  withFtrace();
  auto kernel = targets();
  EXPECT_EQ(kernel.kprobeFunctions(), (std::vector<std::string>{"vfs_read", "vfs_write"}));
}

TEST_F(FakeKernel, MissingTargetsNameTheNearestOnes) {
  auto kernel = targets();
  auto missing = [&](ProbeKind kind, const std::string &target) {
    return missingTarget(probeOf("fn", kind, target), kernel).value_or("(exists)");
  };
  EXPECT_EQ(missing(ProbeKind::Tracepoint, "sched/sched_swich"), "no tracepoint sched:sched_swich; did you mean sched:sched_switch?");
  EXPECT_EQ(missing(ProbeKind::Tracepoint, "sched/sched_switch"), "(exists)");
  EXPECT_EQ(missing(ProbeKind::Kprobe, "vfs_raed"), "no kernel function 'vfs_raed'; did you mean vfs_read?");
  EXPECT_EQ(missing(ProbeKind::Kretprobe, "vfs_notrace_helper"), "(exists)");  // kallsyms has it
  EXPECT_EQ(missing(ProbeKind::Kprobe, "__x64_sys_opnat"), "no syscall 'opnat'; did you mean openat?");
  EXPECT_EQ(missing(ProbeKind::Syscall, "opnat"), "no syscall 'opnat'; did you mean openat?");
  EXPECT_EQ(missing(ProbeKind::RawTracepoint, "sched_wakeupp"), "no raw tracepoint 'sched_wakeupp'; did you mean sched_wakeup?");
  EXPECT_EQ(missing(ProbeKind::Kprobe, "vfs_*"), "(exists)");  // wildcards are expanded, not checked
  EXPECT_EQ(missing(ProbeKind::Uprobe, "/no/such/binary:main"), "no file /no/such/binary");
  EXPECT_EQ(missing(ProbeKind::Uprobe, "/proc/self/exe:probecc_targets_test_markr"),
            "no function 'probecc_targets_test_markr' in /proc/self/exe's symbol tables; did you mean "
            "probecc_targets_test_marker?");
  EXPECT_EQ(missing(ProbeKind::Uprobe, "/proc/self/exe:probecc_targets_test_marker"), "(exists)");
}

TEST_F(FakeKernel, ListingIsOnePerLineAsDashASpellsIt) {
  EXPECT_EQ(list("kprobe:vfs_*"), "kprobe:vfs_notrace_helper\nkprobe:vfs_read\nkprobe:vfs_write\n");
  EXPECT_EQ(list("sched:sched_*"), "tracepoint:sched:sched_switch\ntracepoint:sched:sched_wakeup\n");
  EXPECT_EQ(list("tracepoint:*:sys_enter_*"), "tracepoint:syscalls:sys_enter_openat\n");
  EXPECT_EQ(list("vfs_wr*"), "kprobe:vfs_write\n");  // no BTF here: no kfunc lines
  EXPECT_EQ(list("syscall:open*"), "syscall:openat\n");
  EXPECT_EQ(list("tracepoint:sched:sched_switch", true),
            "tracepoint:sched:sched_switch\n    char prev_comm[16];\n    pid_t prev_pid;\n");
  EXPECT_EQ(list("tracepoint:sched:sched_switch", true, OutputFormat::Json),
            "{\"probe\":\"tracepoint:sched:sched_switch\",\"fields\":[\"char prev_comm[16]\",\"pid_t prev_pid\"],\"schema\":1}\n");
  const auto symbols = list("uprobe:/proc/self/exe:probecc_targets_test_*");
  EXPECT_EQ(symbols, "uprobe:/proc/self/exe:probecc_targets_test_marker\n");
}

TEST(ElfFunctions, FindsThisBinarysFunctionAtItsFileOffset) {
  auto elf = readElfFunctions("/proc/self/exe");
  ASSERT_TRUE(static_cast<bool>(elf)) << llvm::toString(elf.takeError());
  const auto found = std::find_if(elf->functions.begin(), elf->functions.end(),
                                  [](const ElfFunction &f) { return f.name == "probecc_targets_test_marker"; });
  ASSERT_NE(found, elf->functions.end());
  EXPECT_FALSE(found->indirect);
  // the code at that file offset is the function's own
  std::ifstream self("/proc/self/exe", std::ios::binary);
  self.seekg(static_cast<std::streamoff>(found->fileOffset));
  unsigned char fromFile[8];
  self.read(reinterpret_cast<char *>(fromFile), sizeof fromFile);
  EXPECT_EQ(std::memcmp(fromFile, reinterpret_cast<const void *>(&probecc_targets_test_marker), sizeof fromFile), 0);
  auto notElf = readElfFunctions("/etc/hostname");
  EXPECT_FALSE(static_cast<bool>(notElf));
  llvm::consumeError(notElf.takeError());
}

TEST(BtfFormat, KernelSymbolTypedefPrintsTheFunction) {
  const auto kallsyms = fs::temp_directory_path() / ("probecc-ksym-" + std::to_string(getpid()));
  std::ofstream(kallsyms) << "ffffffff81000000 T _stext\nffffffff81000200 T vfs_read\nffffffff81000300 T vfs_write\n";
  KernelSymbols symbols(kallsyms.string());
  btf *types = btf__new_empty();
  const int u64 = btf__add_int(types, "unsigned long long", 8, 0);
  const int ksym = btf__add_typedef(types, kKernelSymbolTypedef, u64);
  const int key = btf__add_struct(types, "key_t", 16);
  btf__add_field(types, "ip", ksym, 0, 0);
  btf__add_field(types, "count", u64, 64, 0);
  const uint64_t data[2] = {0xffffffff81000204ULL, 7};
  const auto *bytes = reinterpret_cast<const uint8_t *>(data);
  const JsonValue decoded = BtfFormatter(types, &symbols).value(key, bytes);
  EXPECT_EQ(textOf(decoded), "{ip: vfs_read, count: 7}");
  EXPECT_EQ(jsonText(decoded), "{\"ip\":\"vfs_read\",\"count\":7}");
  EXPECT_EQ(textOf(BtfFormatter(types).value(ksym, bytes)), std::to_string(data[0]));  // without symbols, the number
  btf__free(types);
  fs::remove(kallsyms);
}
