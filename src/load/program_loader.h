#pragma once
// Opening, preparing and loading the compiled object, choosing between alternative programs.
//
// libbpf-tools objects carry two programs for one hook (fentry/X and kprobe/X, fexit/X and
// kretprobe/X, tp_btf/X and raw_tp/X) and decide in user space which to load. probecc loads the
// BTF-typed one (fentry, fexit, tp_btf) and, if the kernel refuses it, loads the object again with
// the other one instead: the kernel's own verdict is the feature probe.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"
#include "load/bpf_object.h"
#include "load/map_setup.h"

namespace probecc {

struct AlternativePrograms {
  std::string preferred, fallback;  // function names
};
// Pairs of probes on one hook, the BTF-typed one first.
std::vector<AlternativePrograms> findAlternatives(const std::vector<ProbeSpec> &probes);

struct LoadedProgram {
  BpfObjectPtr object;
  MapSetup maps;
  std::set<std::string> skipped;  // alternatives not loaded (not to attach)
  std::vector<std::string> notes;  // which alternative was chosen and why, for -v
};

// `prepare` runs on each opened object before it is loaded (wildcard expansion sets attach types).
llvm::Expected<LoadedProgram> loadProgram(llvm::ArrayRef<char> elf, const std::vector<ProbeSpec> &probes,
                                          LibbpfLog &log, bool verbose, const UserSource &source,
                                          const std::function<llvm::Error(bpf_object &)> &prepare);

}  // namespace probecc
