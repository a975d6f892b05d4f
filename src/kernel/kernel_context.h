#pragma once
// What a run knows of the kernel it runs on, found once and shared by everything that asks: where
// tracefs is, what the kernel can do (kernel/features.h) and what it can probe by name
// (kernel/kernel_targets.h, each list read on first use).
#include <string>

#include "kernel/features.h"
#include "kernel/kernel_targets.h"

namespace probecc {

class KernelContext {
public:
  explicit KernelContext(const std::string &tracefs)
      : targets_(tracefs), features_(FeatureSources{tracefs}, targets_) {}
  KernelContext(const KernelContext &) = delete;
  KernelContext &operator=(const KernelContext &) = delete;

  const std::string &tracefs() const { return targets_.tracefs(); }
  KernelFeatures &features() { return features_; }
  bool has(Feature feature) { return features_.has(feature); }
  KernelTargets &targets() { return targets_; }

private:
  KernelTargets targets_;  // before features_, which reads the kernel's BTF from it
  KernelFeatures features_;
};

}  // namespace probecc
