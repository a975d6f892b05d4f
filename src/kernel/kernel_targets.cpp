#include "kernel/kernel_targets.h"

#include <bpf/btf.h>

#include <algorithm>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/MemoryBuffer.h>

#include "kernel/syscalls.h"

namespace probecc {
namespace {

void sortUnique(std::vector<std::string> &names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
}

// Calls `line` for each line of a (proc or tracefs) file, read whole: these files report no
// size, and one large read is much faster than a line-by-line stream.
template <typename F>
void forEachLine(const std::string &path, F line) {
  auto buffer = llvm::MemoryBuffer::getFileAsStream(path);
  if (!buffer) return;
  llvm::StringRef rest = (*buffer)->getBuffer();
  while (!rest.empty()) {
    auto [head, tail] = rest.split('\n');
    line(head);
    rest = tail;
  }
}

}  // namespace

KernelTargets::KernelTargets(std::string tracefs, std::string btfPath, std::string kallsymsPath)
    : tracefs_(std::move(tracefs)), btfPath_(std::move(btfPath)), kallsymsPath_(std::move(kallsymsPath)) {}


bool KernelTargets::contains(const std::vector<std::string> &sorted, const std::string &name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

const std::vector<std::string> &KernelTargets::ftraceFunctions() {
  if (ftrace_) return *ftrace_;
  ftrace_.emplace();
  // "name" or "name [module]"
  forEachLine(tracefs_ + "/available_filter_functions",
              [&](llvm::StringRef line) { ftrace_->push_back(line.split(' ').first.str()); });
  std::erase(*ftrace_, "");
  sortUnique(*ftrace_);
  return *ftrace_;
}

const std::vector<std::string> &KernelTargets::kernelFunctions() {
  if (kallsyms_) return *kallsyms_;
  kallsyms_.emplace();
  // "ffffffff81000000 T _stext [module]"
  forEachLine(kallsymsPath_, [&](llvm::StringRef line) {
    llvm::StringRef address, type, name;
    std::tie(address, line) = line.split(' ');
    std::tie(type, line) = line.split(' ');
    name = line.split('\t').first.split(' ').first;
    if (type.size() != 1 || (type != "t" && type != "T" && type != "w" && type != "W")) return;
    // padding before functions, and the cold parts split off them, are no functions to probe
    if (name.empty() || name.starts_with("__pfx_") || name.starts_with("__cfi_") || name.ends_with(".cold")) return;
    kallsyms_->push_back(name.str());
  });
  sortUnique(*kallsyms_);
  return *kallsyms_;
}

const std::vector<std::string> &KernelTargets::kprobeFunctions() {
  return hasFtraceFunctions() ? ftraceFunctions() : kernelFunctions();
}

const std::vector<std::string> &KernelTargets::tracepoints() {
  if (tracepoints_) return *tracepoints_;
  tracepoints_.emplace();
  // "category:event"
  forEachLine(tracefs_ + "/available_events", [&](llvm::StringRef line) {
    auto [category, event] = line.split(':');
    if (!category.empty() && !event.empty()) tracepoints_->push_back((category + "/" + event).str());
  });
  sortUnique(*tracepoints_);
  return *tracepoints_;
}

const btf *KernelTargets::vmlinuxBtf() {
  if (!btfLoaded_) {
    btfLoaded_ = true;
    btf_.reset(btf__parse_raw(btfPath_.c_str()));  // nullptr on failure
  }
  return btf_.get();
}

const std::vector<std::string> &KernelTargets::vmlinuxTracepoints() {
  if (vmlinuxTracepoints_) return *vmlinuxTracepoints_;
  vmlinuxTracepoints_.emplace();
  if (const btf *types = vmlinuxBtf()) {
    for (uint32_t id = 1, n = btf__type_cnt(types); id < n; ++id) {
      const btf_type *t = btf__type_by_id(types, id);
      if (!btf_is_typedef(t)) continue;
      const llvm::StringRef name = btf__name_by_offset(types, t->name_off);
      if (name.starts_with("btf_trace_")) vmlinuxTracepoints_->push_back(name.drop_front(10).str());
    }
  }
  sortUnique(*vmlinuxTracepoints_);
  return *vmlinuxTracepoints_;
}

const std::vector<std::string> &KernelTargets::rawTracepoints() {
  if (raw_) return *raw_;
  // Every tracepoint of vmlinux, including those without a trace event, has a btf_trace_NAME
  // typedef; a loaded module's tracepoints are not in vmlinux's BTF but have trace events.
  raw_ = vmlinuxTracepoints();
  for (const auto &tracepoint : tracepoints()) raw_->push_back(tracepoint.substr(tracepoint.find('/') + 1));
  sortUnique(*raw_);
  return *raw_;
}

const std::vector<std::string> &KernelTargets::btfFunctions() {
  if (btfFunctions_) return *btfFunctions_;
  btfFunctions_.emplace();
  if (const btf *types = vmlinuxBtf())
    for (uint32_t id = 1, n = btf__type_cnt(types); id < n; ++id) {
      const btf_type *t = btf__type_by_id(types, id);
      if (btf_is_func(t)) btfFunctions_->push_back(btf__name_by_offset(types, t->name_off));
    }
  sortUnique(*btfFunctions_);
  return *btfFunctions_;
}

const std::vector<std::string> &KernelTargets::syscalls() {
  if (syscalls_) return *syscalls_;
  syscalls_.emplace();
  for (const auto &tracepoint : tracepoints())
    if (auto name = syscallOfTracepoint(tracepoint); !name.empty()) syscalls_->push_back(name);
  if (syscalls_->empty())  // no syscall tracepoints: the syscalls' kernel functions say
    for (const auto &function : kernelFunctions())
      if (auto name = syscallOfEntryPoint(function); !name.empty()) syscalls_->push_back(name);
  sortUnique(*syscalls_);
  return *syscalls_;
}

}  // namespace probecc
