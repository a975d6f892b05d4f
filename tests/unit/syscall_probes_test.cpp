#include "frontend/syscall_probes.h"
#include "frontend/probe_plan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fake_tracefs.h"

using namespace probecc;
namespace fs = std::filesystem;

namespace {
ProbeSpec spec(const char *name) {
  auto planned = planFromName(name);
  EXPECT_TRUE(planned && planned->has_value()) << name;
  return **planned;
}

}  // namespace

TEST(SyscallProbes, RecognisesEverySpellingOfASyscallProbe) {
  EXPECT_EQ(syscallOf(spec("syscall__openat")), "openat");
  EXPECT_EQ(syscallOf(spec("kprobe__sys_clone")), "clone");
  EXPECT_EQ(syscallOf(spec("kprobe____x64_sys_clone")), "clone");
  EXPECT_EQ(syscallOf(spec("kretprobe____x64_sys_clone")), "clone");
  EXPECT_EQ(syscallOf(spec("kprobe__do_unlinkat")), "");
  EXPECT_EQ(syscallOf(spec("tracepoint__syscalls__sys_enter_openat")), "");
}

TEST(SyscallProbes, WithKprobesAttachToThePrefixedFunctionAndReadInnerRegisters) {
  std::vector<ProbeSpec> probes{spec("syscall__openat"), spec("kretprobe__sys_clone"), spec("kprobe__vfs_read")};
  const auto notes = resolveSyscallProbes(probes, {true, "", "__x64_sys_"});
  EXPECT_TRUE(notes.empty());
  EXPECT_EQ(probes[0].section(), "kprobe/__x64_sys_openat");
  EXPECT_EQ(probes[0].arguments, ArgumentSource::SyscallInnerRegs);
  EXPECT_EQ(probes[1].section(), "kretprobe/__x64_sys_clone");
  EXPECT_EQ(probes[2].section(), "kprobe/vfs_read");
  EXPECT_EQ(probes[2].arguments, ArgumentSource::Registers);
}

TEST(SyscallProbes, KernelsWithoutWrappersReadTheFunctionsOwnRegisters) {
  std::vector<ProbeSpec> probes{spec("syscall__openat")};
  resolveSyscallProbes(probes, {true, "", "sys_"});
  EXPECT_EQ(probes[0].section(), "kprobe/sys_openat");
  EXPECT_EQ(probes[0].arguments, ArgumentSource::Registers);
}

TEST(SyscallProbes, WithoutKprobesFallBackToTheSyscallTracepointsAndSaySo) {
  FakeTracefs tracefs{"sys_enter_openat", "sys_exit_clone"};
  std::vector<ProbeSpec> probes{spec("syscall__openat"), spec("kretprobe____x64_sys_clone"),
                                spec("syscall__nosuchcall")};
  const auto notes = resolveSyscallProbes(probes, {false, tracefs.root.string(), ""});
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("syscalls:sys_enter_openat"), std::string::npos);
  EXPECT_EQ(probes[0].section(), "tracepoint/syscalls/sys_enter_openat");
  EXPECT_EQ(probes[0].arguments, ArgumentSource::SyscallEnterTracepoint);
  EXPECT_EQ(probes[0].syscallArgCount, 2u);  // the record holds dfd and filename only
  EXPECT_EQ(probes[1].section(), "tracepoint/syscalls/sys_exit_clone");
  EXPECT_EQ(probes[1].arguments, ArgumentSource::SyscallExitTracepoint);
  EXPECT_EQ(probes[2].kind, ProbeKind::Syscall);  // no tracepoint: left for attach to explain
}

TEST(SyscallProbes, PrefixComesFromKallsyms) {
  const auto path = fs::temp_directory_path() / ("probecc-kallsyms-" + std::to_string(getpid()));
  std::ofstream(path) << "ffffffff81000000 T _stext\nffffffff81234560 T __x64_sys_bpf\n";
  EXPECT_EQ(syscallPrefixFromKallsyms(path), "__x64_sys_");
  std::ofstream(path) << "ffffffff81234560 T sys_bpf\n";
  EXPECT_EQ(syscallPrefixFromKallsyms(path), "sys_");
  fs::remove(path);
}
