#include "driver/program_package.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "probe_targets.h"

using namespace probecc;
namespace fs = std::filesystem;

namespace {

// A tracefs directory holding one tracepoint, sched/sched_demo, with `fields` as its format's own fields.
class FakeTracefs {
public:
  explicit FakeTracefs(const std::string &fields)
      : dir_(fs::temp_directory_path() / ("probecc-tracefs-" + std::to_string(getpid()) + "-" + std::to_string(++count_))) {
    fs::create_directories(dir_ / "events/sched/sched_demo");
    std::ofstream(dir_ / "events/sched/sched_demo/id") << "1\n";
    std::ofstream(dir_ / "events/sched/sched_demo/format")
        << "name: sched_demo\nID: 1\nformat:\n"
           "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
           "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
        << fields << "\nprint fmt: \"\"\n";
  }
  ~FakeTracefs() { fs::remove_all(dir_); }
  std::string path() const { return dir_.string(); }

private:
  static inline int count_ = 0;
  fs::path dir_;
};

constexpr const char *kSource = "TRACEPOINT_PROBE(sched, sched_demo) { return args->prio; }";

// What the compiler makes of kSource: one probe on the tracepoint.
CompiledProgram compiled() {
  CompiledProgram program;
  program.probes.push_back(probeOf("tracepoint__sched__sched_demo", ProbeKind::Tracepoint, "sched/sched_demo"));
  return program;
}

std::string message(llvm::Error error) { return error ? llvm::toString(std::move(error)) : ""; }

}  // namespace

TEST(ProgramPackage, RecordsTheTracepointLayoutsItWasCompiledWithAndAcceptsTheSame) {
  FakeTracefs tracefs("\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n\tfield:int prio;\toffset:24;\tsize:4;\tsigned:1;");
  auto package = makePackage({"p.c", kSource}, compiled(), tracefs.path(), {});
  ASSERT_TRUE(!!package) << llvm::toString(package.takeError());
  ASSERT_EQ(package->tracepoints.size(), 1u);
  EXPECT_EQ(package->tracepoints[0].tracepoint, "sched/sched_demo");
  EXPECT_EQ(package->tracepoints[0].fields, (std::vector<std::string>{"comm 8 16", "prio 24 4"}));
  EXPECT_TRUE(package->origin.onlyForKernel.empty());
  EXPECT_EQ(message(checkRunsOnThisKernel(*package, tracefs.path())), "");
}

TEST(ProgramPackage, RefusesAKernelThatLaysATracepointOutDifferentlyNamingTheField) {
  ProgramPackage package;
  {
    FakeTracefs built("\tfield:int prio;\toffset:24;\tsize:4;\tsigned:1;");
    package = std::move(*makePackage({"p.c", kSource}, compiled(), built.path(), {}));
  }
  package.origin.builtOnKernel = "6.18.0";
  FakeTracefs moved("\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;");
  EXPECT_NE(message(checkRunsOnThisKernel(package, moved.path()))
                .find("tracepoint sched/sched_demo's field prio is laid out differently on this kernel"),
            std::string::npos);
  FakeTracefs gone("\tfield:int priority;\toffset:24;\tsize:4;\tsigned:1;");
  EXPECT_NE(message(checkRunsOnThisKernel(package, gone.path())).find("tracepoint sched/sched_demo has no field prio"),
            std::string::npos);
  FakeTracefs grown("\tfield:int prio;\toffset:24;\tsize:4;\tsigned:1;\n\tfield:int extra;\toffset:28;\tsize:4;\tsigned:1;");
  EXPECT_EQ(message(checkRunsOnThisKernel(package, grown.path())), "") << "a field added elsewhere is no matter";
}

TEST(ProgramPackage, AHeadersCompiledPackageRunsOnlyOnItsKernel) {
  FakeTracefs tracefs("");
  CompiledProgram program;
  program.kernel.source = KernelTypes::Source::HeadersDir;
  program.kernel.release = "5.10.0-other";
  auto package = makePackage({"p.c", "int x;"}, std::move(program), tracefs.path(), {});
  ASSERT_TRUE(!!package);
  EXPECT_EQ(package->origin.onlyForKernel, "5.10.0-other");
  utsname self{};
  uname(&self);
  EXPECT_NE(message(checkRunsOnThisKernel(*package, tracefs.path()))
                .find(std::string("this package runs only on kernel 5.10.0-other: it was compiled against kernel headers")),
            std::string::npos);
  package->origin.onlyForKernel = self.release;
  EXPECT_EQ(message(checkRunsOnThisKernel(*package, tracefs.path())), "");
}
