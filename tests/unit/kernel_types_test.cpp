#include "frontend/kernel_types.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace probecc;
namespace fs = std::filesystem;

namespace {
// A fake Debian-style split headers tree: build/ (arch, generated) and source/ (common).
struct FakeHeaders {
  fs::path root = fs::temp_directory_path() / ("probecc-headers-" + std::to_string(getpid()));
  FakeHeaders() {
    for (const char *dir : {"build/include/generated/uapi", "build/arch/x86/include/generated/uapi",
                            "source/include/linux", "source/include/uapi", "source/arch/x86/include/uapi"})
      fs::create_directories(root / dir);
    fs::create_directories(root / "build/source");  // not a tree: no include/linux inside
  }
  ~FakeHeaders() { fs::remove_all(root); }
};
}  // namespace

TEST(KernelTypes, ExplicitHeadersDirectoryIsUsed) {
  FakeHeaders headers;
  auto kernel = discoverKernelTypes({(headers.root / "source").string()});
  ASSERT_TRUE(static_cast<bool>(kernel)) << llvm::toString(kernel.takeError());
  EXPECT_EQ(kernel->source, KernelTypes::Source::HeadersDir);
  EXPECT_NE(kernel->describe().find("kernel headers"), std::string::npos);
}

TEST(KernelTypes, ExplicitDebianArchTreeFindsItsCommonTreeThroughTheMakefile) {
  FakeHeaders headers;
  std::ofstream(headers.root / "build/Makefile") << "# generated\ninclude " << (headers.root / "source").string()
                                                 << "/Makefile\n";
  auto kernel = discoverKernelTypes({(headers.root / "build").string()});
  ASSERT_TRUE(static_cast<bool>(kernel)) << llvm::toString(kernel.takeError());
  EXPECT_EQ(kernel->buildDir, fs::weakly_canonical(headers.root / "build").string());
  EXPECT_EQ(kernel->sourceDir, fs::weakly_canonical(headers.root / "source").string());
}

TEST(KernelTypes, ExplicitDirectoryWithoutIncludeIsAnError) {
  auto kernel = discoverKernelTypes({"/nonexistent-headers"});
  ASSERT_FALSE(static_cast<bool>(kernel));
  EXPECT_NE(llvm::toString(kernel.takeError()).find("/nonexistent-headers"), std::string::npos);
}

TEST(KernelTypes, PreferBtfOverridesHeaders) {
  if (!fs::exists("/sys/kernel/btf/vmlinux")) GTEST_SKIP() << "this kernel has no /sys/kernel/btf/vmlinux";
  FakeHeaders headers;
  KernelTypesRequest request{(headers.root / "source").string()};
  request.preferBtf = true;
  auto kernel = discoverKernelTypes(request);
  ASSERT_TRUE(static_cast<bool>(kernel));
  EXPECT_EQ(kernel->source, KernelTypes::Source::Btf);
  EXPECT_NE(kernel->describe().find("BTF"), std::string::npos);
}

TEST(KernelTypes, IncludeOrderFollowsKbuildArchFirstBuildBeforeSource) {
  FakeHeaders headers;
  KernelTypes kernel;
  kernel.source = KernelTypes::Source::HeadersDir;
  kernel.buildDir = (headers.root / "build").string();
  kernel.sourceDir = (headers.root / "source").string();
  const auto dirs = kernelIncludeDirs(kernel, "x86");
  const std::vector<std::string> expected = {
      kernel.buildDir + "/arch/x86/include", kernel.sourceDir + "/arch/x86/include",
      kernel.buildDir + "/arch/x86/include/generated", kernel.buildDir + "/include",
      kernel.sourceDir + "/include", kernel.sourceDir + "/arch/x86/include/uapi",
      kernel.buildDir + "/arch/x86/include/generated/uapi", kernel.sourceDir + "/include/uapi",
      kernel.buildDir + "/include/generated/uapi"};
  EXPECT_EQ(dirs, expected);
}

TEST(KernelTypes, BtfDumpsToVmlinuxHeader) {
  if (!fs::exists("/sys/kernel/btf/vmlinux")) GTEST_SKIP() << "this kernel has no /sys/kernel/btf/vmlinux";
  auto header = dumpVmlinuxHeader("/sys/kernel/btf/vmlinux");
  ASSERT_TRUE(static_cast<bool>(header)) << llvm::toString(header.takeError());
  EXPECT_NE(header->find("struct task_struct {"), std::string::npos);
  EXPECT_NE(header->find("preserve_access_index"), std::string::npos);
  EXPECT_NE(header->find("#define __VMLINUX_H__"), std::string::npos);
}

TEST(KernelTypes, PartialBtfDumpHoldsWhatTheNamesNeed) {
  if (!fs::exists("/sys/kernel/btf/vmlinux")) GTEST_SKIP() << "this kernel has no /sys/kernel/btf/vmlinux";
  TypeNames names;
  names.tags.insert("trace_event_raw_sys_enter");
  for (const char *name : {"u32", "BPF_ANY", "task_struct"}) names.ordinary.insert(name);  // no struct tags
  auto header = dumpVmlinuxHeader("/sys/kernel/btf/vmlinux", &names);
  ASSERT_TRUE(static_cast<bool>(header)) << llvm::toString(header.takeError());
  EXPECT_NE(header->find("struct trace_event_raw_sys_enter {"), std::string::npos);
  EXPECT_NE(header->find("struct trace_entry {"), std::string::npos);  // a dependency
  EXPECT_NE(header->find("typedef __u32 u32;"), std::string::npos);
  EXPECT_NE(header->find("BPF_ANY = 0"), std::string::npos);
  EXPECT_EQ(header->find("struct task_struct {"), std::string::npos);
  EXPECT_LT(header->size(), 100000u);
}

// The kernel's kfuncs (BTF decl tag "bpf_kfunc", pahole 1.26+), declared as bpftool 7.4 declares them.
TEST(KernelTypes, KfuncsAreDeclaredInFullAndPartialDumps) {
  if (!fs::exists("/sys/kernel/btf/vmlinux")) GTEST_SKIP() << "this kernel has no /sys/kernel/btf/vmlinux";
  auto full = dumpVmlinuxHeader("/sys/kernel/btf/vmlinux");
  ASSERT_TRUE(static_cast<bool>(full)) << llvm::toString(full.takeError());
  if (full->find("#ifndef BPF_NO_KFUNC_PROTOTYPES") == std::string::npos)
    GTEST_SKIP() << "this kernel's BTF tags no kfuncs (built with pahole older than 1.26)";
  const std::string declaration =
      "extern struct task_struct *bpf_task_from_pid(s32 pid) __attribute__((weak)) __attribute__((section(\".ksyms\")));";
  EXPECT_NE(full->find(declaration), std::string::npos);
  EXPECT_LT(full->find("struct task_struct {"), full->find(declaration));
  TypeNames names;
  names.ordinary.insert("bpf_task_from_pid");
  auto partial = dumpVmlinuxHeader("/sys/kernel/btf/vmlinux", &names);
  ASSERT_TRUE(static_cast<bool>(partial)) << llvm::toString(partial.takeError());
  EXPECT_NE(partial->find(declaration), std::string::npos);
  EXPECT_NE(partial->find("typedef __s32 s32;"), std::string::npos);  // what its prototype needs
  EXPECT_EQ(partial->find("bpf_task_release"), std::string::npos);   // not named
}

TEST(KernelTypes, UnreadableBtfIsAnError) {
  auto header = dumpVmlinuxHeader("/nonexistent/vmlinux");
  ASSERT_FALSE(static_cast<bool>(header));
  EXPECT_NE(llvm::toString(header.takeError()).find("/nonexistent/vmlinux"), std::string::npos);
}

TEST(KernelTypes, VmlinuxHeaderCountsOnlyInAnIncludeDirective) {
  EXPECT_TRUE(includesVmlinuxHeader("#include \"vmlinux.h\"\nint x;"));
  EXPECT_TRUE(includesVmlinuxHeader("int y;\n  #  include <vmlinux.h>\n"));
  EXPECT_FALSE(includesVmlinuxHeader("// #include \"vmlinux.h\" is for libbpf tools\nint x;"));
  EXPECT_FALSE(includesVmlinuxHeader("const char *s = \"#include <vmlinux.h>\";"));
  EXPECT_FALSE(includesVmlinuxHeader("#include \"my_vmlinux.h\"\n"));
}
