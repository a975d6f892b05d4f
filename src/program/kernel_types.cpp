#include "program/kernel_types.h"

namespace probecc {

std::string KernelTypes::describe() const {
  if (source == Source::HeadersDir)
    return "kernel headers " + buildDir + (sourceDir != buildDir ? " + " + sourceDir : "");
  return "kernel BTF " + btfPath + " (no headers directory used)" +
         (portable ? ", portable: CO-RE relocations, configuration and version read at load time"
                  : configPath.empty() ? ", no kernel configuration" : ", configuration from " + configPath);
}

}  // namespace probecc
