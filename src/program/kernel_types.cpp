#include "program/kernel_types.h"

namespace probecc {

std::string KernelTypes::describe() const {
  if (source == Source::HeadersDir)
    return "kernel headers " + buildDir + (sourceDir != buildDir ? " + " + sourceDir : "");
  return "kernel BTF " + btfPath + " (no headers directory used)" +
         (configPath.empty() ? ", no kernel configuration" : ", configuration from " + configPath);
}

}  // namespace probecc
