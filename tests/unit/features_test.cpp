// Kernel features (kernel/features.h): each asked at most once, each absence with its reason.
// The checks that read files run against a fake sysfs and tracefs; those that ask the kernel are
// held to the kernel release that brought the feature.
#include <gtest/gtest.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include "kernel/features.h"

using namespace probecc;
namespace fs = std::filesystem;

namespace {

class FakeSysfs : public ::testing::Test {
protected:
  void SetUp() override {
    root = fs::temp_directory_path() / ("probecc-features-" + std::to_string(getpid()));
    fs::create_directories(root / "tracing");
  }
  void TearDown() override { fs::remove_all(root); }
  FeatureSources sources() const { return {(root / "tracing").string(), (root / "kprobe-pmu-type").string()}; }
  KernelTargets &targets() {
    if (!targets_) targets_.emplace((root / "tracing").string(), (root / "vmlinux").string());
    return *targets_;
  }
  fs::path root;
  std::optional<KernelTargets> targets_;
};

// The running kernel's release as major * 100 + minor (6.18 → 618).
int kernelRelease() {
  utsname system{};
  uname(&system);
  int major = 0, minor = 0;
  std::sscanf(system.release, "%d.%d", &major, &minor);
  return major * 100 + minor;
}

}  // namespace

TEST_F(FakeSysfs, KprobesAbsentSaysWhereItLookedAndIsAskedOnce) {
  KernelFeatures features(sources(), targets());
  const FeatureCheck &first = features.check(Feature::Kprobes);
  EXPECT_FALSE(first);
  EXPECT_NE(first.why.find("CONFIG_KPROBES is not set"), std::string::npos) << first.why;
  EXPECT_NE(first.why.find((root / "tracing/kprobe_events").string()), std::string::npos) << first.why;
  // the answer is the run's: a kprobe_events file appearing later does not change it
  std::ofstream(root / "tracing/kprobe_events") << "";
  EXPECT_FALSE(features.has(Feature::Kprobes));
  EXPECT_EQ(&features.check(Feature::Kprobes), &first);
  EXPECT_TRUE(KernelFeatures(sources(), targets()).has(Feature::Kprobes));  // a new run asks again
}

TEST_F(FakeSysfs, KprobesFromTheKprobePmuAlone) {
  std::ofstream(root / "kprobe-pmu-type") << "6\n";
  KernelFeatures features(sources(), targets());
  EXPECT_TRUE(features.has(Feature::Kprobes));
  EXPECT_TRUE(features.check(Feature::Kprobes).why.empty());
}

TEST_F(FakeSysfs, KprobeMultiWithoutKprobesGivesKprobesReason) {
  KernelFeatures features(sources(), targets());
  const FeatureCheck &multi = features.check(Feature::KprobeMulti);
  EXPECT_FALSE(multi);
  EXPECT_EQ(multi.why, features.check(Feature::Kprobes).why);
}

TEST_F(FakeSysfs, BtfAbsentAndWhatNeedsItSayWhy) {
  KernelFeatures features(sources(), targets());
  const FeatureCheck &btf = features.check(Feature::Btf);
  EXPECT_FALSE(btf);
  EXPECT_NE(btf.why.find("CONFIG_DEBUG_INFO_BTF"), std::string::npos) << btf.why;
  EXPECT_EQ(features.check(Feature::Fentry).why, btf.why);
  EXPECT_EQ(features.check(Feature::BpfStreams).why, btf.why);
}

TEST_F(FakeSysfs, BtfThatIsNotBtfIsAbsent) {
  std::ofstream(root / "vmlinux") << "not BTF";
  const FeatureCheck btf = KernelFeatures(sources(), targets()).check(Feature::Btf);
  EXPECT_FALSE(btf);
  EXPECT_NE(btf.why.find("is not readable BTF"), std::string::npos) << btf.why;
}

TEST(KernelFeatureNames, AsTheKernelSpellsThem) {
  EXPECT_EQ(KernelFeatures::name(Feature::KprobeMulti), "kprobe_multi");
  EXPECT_EQ(KernelFeatures::name(Feature::UprobeMulti), "uprobe_multi");
  EXPECT_EQ(KernelFeatures::name(Feature::Btf), "BTF");
}

// What the running kernel says, against the release each feature came in.
class RunningKernel : public ::testing::Test {
protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "asking the kernel for BPF features needs root (CAP_BPF)";
  }
  KernelTargets targets{"/sys/kernel/tracing"};
  KernelFeatures features{FeatureSources{"/sys/kernel/tracing"}, targets};
};

TEST_F(RunningKernel, RingBufferSince58) {
  EXPECT_EQ(features.has(Feature::RingBuffer), kernelRelease() >= 508) << features.check(Feature::RingBuffer).why;
}

TEST_F(RunningKernel, UprobeMultiSince66) {
  EXPECT_EQ(features.has(Feature::UprobeMulti), kernelRelease() >= 606) << features.check(Feature::UprobeMulti).why;
}

TEST_F(RunningKernel, BtfAndStreamsWhereTheKernelHasThem) {
  if (!fs::exists("/sys/kernel/btf/vmlinux")) GTEST_SKIP() << "this kernel has no BTF: nothing to compare with";
  EXPECT_TRUE(features.has(Feature::Btf));
  EXPECT_EQ(features.has(Feature::BpfStreams), kernelRelease() >= 617) << features.check(Feature::BpfStreams).why;
}

TEST_F(RunningKernel, AnAbsentFeatureSaysWhy) {
  for (Feature feature : {Feature::Kprobes, Feature::KprobeMulti, Feature::UprobeMulti, Feature::Fentry,
                          Feature::RingBuffer, Feature::BpfStreams, Feature::Btf}) {
    const FeatureCheck &check = features.check(feature);
    EXPECT_EQ(check.present, check.why.empty()) << KernelFeatures::name(feature) << ": " << check.why;
  }
}
