#pragma once
// The names of the USDT probes a binary declares (its .note.stapsdt notes): only provider and
// probe names, to find a probe's provider and to say which probes exist. Locations, arguments
// and semaphores are libbpf's business (bpf_program__attach_usdt).
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

namespace probecc {

struct UsdtName {
  std::string provider, probe;
  bool operator==(const UsdtName &) const = default;
};

// In note order, without repeats (a probe used at several sites has one note per site).
llvm::Expected<std::vector<UsdtName>> readUsdtNames(const std::string &path);

}  // namespace probecc
