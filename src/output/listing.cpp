#include "output/listing.h"

#include <bpf/btf.h>

#include <map>
#include <unordered_map>
#include <vector>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/MemoryBuffer.h>

#include "kernel/syscalls.h"
#include "output/records.h"
#include "kernel/tracefs.h"
#include "program/probe_kinds.h"
#include "kernel/btf_signature.h"
#include "elf/elf_functions.h"
#include "support/error.h"
#include "support/name_pattern.h"

namespace probecc {
namespace {

// The fields of a tracepoint's record, from its format file, without the common_ ones.
std::vector<std::string> tracepointFields(const std::string &tracefs, const std::string &categorySlashEvent) {
  std::vector<std::string> fields;
  auto format = llvm::MemoryBuffer::getFileAsStream(tracepointFormatPath(tracefs, categorySlashEvent));
  if (!format) return fields;
  llvm::StringRef rest = (*format)->getBuffer();
  while (!rest.empty()) {
    llvm::StringRef line;
    std::tie(line, rest) = rest.split('\n');
    const size_t at = line.find("field:");
    if (at == llvm::StringRef::npos) continue;
    const llvm::StringRef field = line.drop_front(at + 6).split(';').first.trim();
    if (!field.contains(" common_")) fields.push_back(field.str());
  }
  return fields;
}

class Lister {
public:
  Lister(const ListRequest &request, KernelTargets &targets, OutputSink &out)
      : request_(request), targets_(targets), out_(out) {}

  // One probe: "TYPE:TARGET" and, with -v, its details (a signature, or fields).
  void emit(ProbeKind kind, const std::string &target, const std::string &signature,
            const std::vector<std::string> &fields) {
    const std::string probe = std::string(kindInfo(kind).name) + ":" + target;
    ++emitted_[kind];
    ProbeRecord record{probe, signature, std::nullopt};
    if (request_.verbose && (kind == ProbeKind::Tracepoint || kind == ProbeKind::Syscall)) record.fields = fields;
    out_.render(record);
  }

  // A BTF function's prototype (kprobe, kfunc, lsm), only with -v.
  std::string signatureOf(const std::string &btfName, const std::string &shownName) {
    if (!request_.verbose) return "";
    const btf *types = targets_.vmlinuxBtf();
    if (!types) return "";
    if (btfIds_.empty())
      for (uint32_t id = 1, n = btf__type_cnt(types); id < n; ++id) {
        const btf_type *t = btf__type_by_id(types, id);
        if (btf_is_func(t) || btf_is_typedef(t)) btfIds_.emplace(btf__name_by_offset(types, t->name_off), id);
      }
    const auto found = btfIds_.find(btfName);
    return found == btfIds_.end() ? "" : functionSignature(types, found->second, shownName);
  }

  std::vector<std::string> fieldsOf(const std::string &categorySlashEvent) {
    return request_.verbose ? tracepointFields(targets_.tracefs(), categorySlashEvent) : std::vector<std::string>{};
  }

  llvm::Error list(ProbeKind kind, const std::string &pattern) {
    switch (kindInfo(kind).targets) {
      case TargetSpace::KernelFunction:
        for (const auto &name : targets_.kprobeFunctions())
          if (matchesPattern(pattern, name)) emit(kind, name, signatureOf(name, name), {});
        break;
      case TargetSpace::Tracepoint: {
        std::string slashed = pattern;
        if (const auto colon = slashed.find(':'); colon != std::string::npos) slashed[colon] = '/';
        for (const auto &name : targets_.tracepoints())
          if (matchesPattern(slashed, name, true)) {
            std::string shown = name;
            shown[shown.find('/')] = ':';
            emit(kind, shown, "", fieldsOf(name));
          }
        break;
      }
      case TargetSpace::RawTracepoint:
        for (const auto &name : targets_.rawTracepoints())
          if (matchesPattern(pattern, name)) emit(kind, name, signatureOf("btf_trace_" + name, name), {});
        break;
      case TargetSpace::BtfFunction:
        for (const auto &name : targets_.btfFunctions())
          if (matchesPattern(pattern, name)) emit(kind, name, signatureOf(name, name), {});
        break;
      case TargetSpace::LsmHook:
        for (const auto &name : targets_.btfFunctions())
          if (llvm::StringRef(name).starts_with("bpf_lsm_") && matchesPattern(pattern, name.substr(8)))
            emit(kind, name.substr(8), signatureOf(name, name.substr(8)), {});
        break;
      case TargetSpace::Syscall:
        for (const auto &name : targets_.syscalls())
          if (matchesPattern(pattern, name)) emit(kind, name, "", fieldsOf(syscallTracepoint(name, false)));
        break;
      case TargetSpace::UserFunction: {
        // PATH[:PATTERN]; a path may itself hold no ':'
        const auto colon = pattern.rfind(':');
        const std::string binary = colon == std::string::npos ? pattern : pattern.substr(0, colon);
        const std::string symbols = colon == std::string::npos ? "*" : pattern.substr(colon + 1);
        auto elf = readElfFunctions(binary);
        if (!elf) return elf.takeError();
        std::vector<std::string> names;
        for (const auto &function : elf->functions)
          if (matchesPattern(symbols, function.name)) names.push_back(function.name);
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        for (const auto &name : names) emit(kind, binary + ":" + name, "", {});
        break;
      }
      default:
        return makeError("-l cannot list " + llvm::Twine(kindInfo(kind).name) + " targets");
    }
    return llvm::Error::success();
  }

private:
  const ListRequest &request_;
  KernelTargets &targets_;
  OutputSink &out_;
  std::unordered_map<std::string, uint32_t> btfIds_;

public:
  std::map<ProbeKind, size_t> emitted_;
};

}  // namespace

llvm::Error listProbes(const ListRequest &request, KernelTargets &targets, OutputSink &out, std::string &notes) {
  Lister lister(request, targets, out);
  const auto colon = request.pattern.find(':');
  std::vector<ProbeKind> kinds{ProbeKind::Kprobe, ProbeKind::Tracepoint, ProbeKind::RawTracepoint, ProbeKind::Fentry};
  std::string pattern = request.pattern.empty() ? "*" : request.pattern;
  if (colon != std::string::npos)
    if (const auto kind = kindFromSpelling(request.pattern.substr(0, colon))) {
      kinds = {*kind};
      std::string rest = request.pattern.substr(colon + 1);
      pattern = rest.empty() ? std::string("*") : std::move(rest);
    }
  for (const auto kind : kinds) {
    if (auto error = lister.list(kind, pattern)) return error;
    if (lister.emitted_[kind] && (kind == ProbeKind::Kprobe || kind == ProbeKind::Kretprobe) &&
        !targets.hasFtraceFunctions())
      notes += "probecc: note: " + targets.tracefs() +
               "/available_filter_functions is unreadable; kprobe targets are listed from /proc/kallsyms\n";
  }
  return llvm::Error::success();
}

}  // namespace probecc
