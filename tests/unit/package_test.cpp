#include "program/package.h"

#include <gtest/gtest.h>

using namespace probecc;

namespace {

ProgramPackage examplePackage() {
  ProgramPackage package;
  package.origin = {PROBECC_VERSION, "x86_64", "6.18.0", blake3Hex("int x;"), "", ""};
  package.script = {"probe.c", "int x;"};
  package.program.code = {'\x7f', 'E', 'L', 'F', '\0', '\1'};
  package.program.printkFormats = {"hello %d\n"};
  package.tracepoints = {{"syscalls/sys_enter_openat", {"filename 24 8"}}};
  package.output = {"json", true, false};
  return package;
}

std::string errorOf(llvm::Expected<ProgramPackage> package) {
  if (package) return "";
  return llvm::toString(package.takeError());
}

// The header's "format N" line rewritten to `format`.
std::string withFormat(std::string bytes, unsigned format) {
  const size_t at = bytes.find("format ");
  const size_t end = bytes.find('\n', at);
  return bytes.replace(at, end - at, "format " + std::to_string(format));
}

}  // namespace

TEST(Package, RoundTripsEverythingARunNeeds) {
  const std::string bytes = writePackage(examplePackage());
  ASSERT_TRUE(looksLikePackage(bytes));
  EXPECT_TRUE(llvm::StringRef(bytes).starts_with("probecc-package\nformat "));
  auto package = readPackage(bytes, "p.pkg", "x86_64");
  ASSERT_TRUE(!!package) << llvm::toString(package.takeError());
  EXPECT_EQ(package->script.text, "int x;");
  EXPECT_EQ(std::string(package->program.code.begin(), package->program.code.end()), std::string("\x7f" "ELF\0\1", 6));
  EXPECT_EQ(package->program.printkFormats, std::vector<std::string>{"hello %d\n"});
  ASSERT_EQ(package->tracepoints.size(), 1u);
  EXPECT_EQ(package->tracepoints[0].fields, std::vector<std::string>{"filename 24 8"});
  EXPECT_EQ(package->output.format, "json");
  EXPECT_TRUE(package->output.traceFields);
  EXPECT_EQ(package->origin.builtOnKernel, "6.18.0");
}

TEST(Package, RefusesAnotherArchitecture) {
  EXPECT_EQ(errorOf(readPackage(writePackage(examplePackage()), "p.pkg", "arm64")),
            "package p.pkg was built for x86_64; this machine is arm64");
}

TEST(Package, RefusesANewerAndAnOlderFormatSayingWhichProbeccToUse) {
  const std::string bytes = writePackage(examplePackage());
  const std::string newer = errorOf(readPackage(withFormat(bytes, programFormatVersion() + 1), "p.pkg", "x86_64"));
  EXPECT_NE(newer.find("is from a newer probecc"), std::string::npos) << newer;
  const std::string older = errorOf(readPackage(withFormat(bytes, programFormatVersion() - 1), "p.pkg", "x86_64"));
  EXPECT_NE(older.find("is from an older probecc"), std::string::npos) << older;
}

TEST(Package, RefusesATruncatedPackageAtEveryLength) {
  const std::string bytes = writePackage(examplePackage());
  for (size_t size = std::string("probecc-package\n").size(); size < bytes.size(); ++size) {
    const std::string error = errorOf(readPackage(bytes.substr(0, size), "p.pkg", "x86_64"));
    EXPECT_NE(error.find("truncated"), std::string::npos) << size << ": " << error;
  }
}

TEST(Package, RefusesAChangedByteAnywhereAfterTheHeader) {
  const std::string bytes = writePackage(examplePackage());
  const size_t record = bytes.find("\n\n") + 2;
  for (size_t at = record; at < bytes.size(); ++at) {
    std::string changed = bytes;
    changed[at] ^= 0x20;
    EXPECT_NE(errorOf(readPackage(changed, "p.pkg", "x86_64")).find("changed or damaged"), std::string::npos) << at;
  }
  EXPECT_NE(errorOf(readPackage(bytes + "x", "p.pkg", "x86_64")).find("1 bytes more than its header says"),
            std::string::npos);
}

TEST(Package, RefusesWhatIsNoPackage) {
  EXPECT_FALSE(looksLikePackage("int kprobe__x(void *ctx) { return 0; }"));
  EXPECT_NE(errorOf(readPackage("int x;", "x.c", "x86_64")).find("is not a probecc package"), std::string::npos);
}
