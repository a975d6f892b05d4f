#include "cache/program_cache.h"

#include <llvm/Support/Endian.h>

#include "support/error.h"

namespace probecc {
namespace {

constexpr llvm::StringLiteral kFormat("probecc-program-4");

class Writer {
public:
  Writer &number(uint64_t value) {
    char bytes[8];
    llvm::support::endian::write64le(bytes, value);
    out_.append(bytes, 8);
    return *this;
  }
  Writer &text(llvm::StringRef value) {
    number(value.size());
    out_.append(value.data(), value.size());
    return *this;
  }
  template <typename T> Writer &list(const std::vector<T> &values, void (*each)(Writer &, const T &)) {
    number(values.size());
    for (const auto &value : values) each(*this, value);
    return *this;
  }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

class Reader {
public:
  explicit Reader(llvm::StringRef bytes) : rest_(bytes) {}
  uint64_t number() {
    if (rest_.size() < 8) return fail();
    const uint64_t value = llvm::support::endian::read64le(rest_.data());
    rest_ = rest_.drop_front(8);
    return value;
  }
  std::string text() {
    const uint64_t size = number();
    if (size > rest_.size()) return fail(), std::string();
    std::string value = rest_.take_front(size).str();
    rest_ = rest_.drop_front(size);
    return value;
  }
  bool ok() const { return ok_; }
  bool atEnd() const { return rest_.empty(); }

private:
  uint64_t fail() {
    ok_ = false;
    rest_ = {};
    return 0;
  }
  llvm::StringRef rest_;
  bool ok_ = true;
};

void writeProbe(Writer &w, const ProbeSpec &probe) {
  w.text(probe.function).number(static_cast<uint64_t>(probe.kind)).text(probe.target);
  w.number(static_cast<uint64_t>(probe.arguments)).number(probe.syscallArgCount).number(probe.attach);
  w.text(probe.location);
}

void writeText(Writer &w, const std::string &text) { w.text(text); }

void writeEventType(Writer &w, const EventType &event) {
  w.text(event.map).text(event.typeName).number(event.isTypedef);
}

}  // namespace

std::string programCacheKey(const ProgramRequest &request, const std::string &kernel, const std::string &compiler) {
  Writer w;
  w.text(kFormat).text(PROBECC_VERSION).text(compiler).text(kernel);
  w.text(request.script.name).text(request.script.text);
  w.text(request.kernelTypes.headersDir).text(request.kernelTypes.btfPath).number(request.kernelTypes.preferBtf);
  w.list(request.includeDirs, writeText).list(request.defines, writeText).list(request.attachments, writeProbe);
  w.number(request.syscalls.kprobes).text(request.syscalls.tracefs).text(request.syscalls.prefix);
  w.number(static_cast<uint64_t>(request.emitKind)).number(request.tracePipe);
  return w.take();
}

std::string serializeProgram(const CompiledProgram &program) {
  Writer w;
  w.text(kFormat).text(llvm::StringRef(program.code.data(), program.code.size()));
  w.list(program.probes, writeProbe).list(program.notes, writeText);
  const KernelTypes &k = program.kernel;
  w.number(static_cast<uint64_t>(k.source)).text(k.release).text(k.buildDir).text(k.sourceDir).text(k.btfPath);
  w.list(program.eventTypes, writeEventType).list(program.printkFormats, writeText).list(program.includedFiles, writeText);
  return w.take();
}

llvm::Expected<CompiledProgram> deserializeProgram(llvm::StringRef bytes) {
  Reader r(bytes);
  CompiledProgram program;
  if (r.text() != kFormat) return makeError("cached program has an unknown format");
  const std::string code = r.text();
  program.code.assign(code.begin(), code.end());
  for (uint64_t i = 0, n = r.number(); r.ok() && i < n; ++i) {
    ProbeSpec probe;
    probe.function = r.text();
    probe.kind = static_cast<ProbeKind>(r.number());
    probe.target = r.text();
    probe.arguments = static_cast<ArgumentSource>(r.number());
    probe.syscallArgCount = static_cast<unsigned>(r.number());
    probe.attach = r.number() != 0;
    probe.location = r.text();
    if (probe.kind > ProbeKind::Other || probe.arguments > ArgumentSource::BtfArray) return makeError("cached program is corrupt");
    program.probes.push_back(std::move(probe));
  }
  for (uint64_t i = 0, n = r.number(); r.ok() && i < n; ++i) program.notes.push_back(r.text());
  KernelTypes &k = program.kernel;
  k.source = r.number() ? KernelTypes::Source::Btf : KernelTypes::Source::HeadersDir;
  k.release = r.text();
  k.buildDir = r.text();
  k.sourceDir = r.text();
  k.btfPath = r.text();
  for (uint64_t i = 0, n = r.number(); r.ok() && i < n; ++i) {
    EventType event;
    event.map = r.text();
    event.typeName = r.text();
    event.isTypedef = r.number() != 0;
    program.eventTypes.push_back(std::move(event));
  }
  for (uint64_t i = 0, n = r.number(); r.ok() && i < n; ++i) program.printkFormats.push_back(r.text());
  for (uint64_t i = 0, n = r.number(); r.ok() && i < n; ++i) program.includedFiles.push_back(r.text());
  if (!r.ok() || !r.atEnd()) return makeError("cached program is corrupt");
  return program;
}

}  // namespace probecc
