#include "attach/target_listing.h"

#include <bpf/btf.h>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/MemoryBuffer.h>

#include "attach/attach_kinds.h"
#include "kernel/btf_signature.h"
#include "kernel/tracefs.h"
#include "support/error.h"

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

}  // namespace

void TargetLister::emit(ProbeKind kind, const std::string &target, std::string signature,
                        std::optional<std::vector<std::string>> fields) {
  ++emitted_[kind];
  out_(ListedTarget{std::string(kindInfo(kind).name) + ":" + target, std::move(signature), std::move(fields)});
}

size_t TargetLister::emitted(ProbeKind kind) const {
  const auto found = emitted_.find(kind);
  return found == emitted_.end() ? 0 : found->second;
}

std::string TargetLister::signatureOf(const std::string &btfName, const std::string &shownName) {
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

std::optional<std::vector<std::string>> TargetLister::fieldsOf(const std::string &categorySlashEvent) {
  if (!request_.verbose) return std::nullopt;
  return tracepointFields(targets_.tracefs(), categorySlashEvent);
}

void TargetLister::note(const std::string &text) {
  if (notes_.find(text) == std::string::npos) notes_ += text;
}

llvm::Error listTargets(const ListRequest &request, KernelTargets &targets,
                        const std::function<void(const ListedTarget &)> &out, std::string &notes) {
  TargetLister lister(request, targets, out);
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
    const auto &row = attachKind(kind);
    if (!row.list) return makeError("-l cannot list " + llvm::Twine(kindInfo(kind).name) + " targets");
    if (auto error = row.list(lister, kind, pattern)) return error;
  }
  notes += lister.notes();
  return llvm::Error::success();
}

}  // namespace probecc
