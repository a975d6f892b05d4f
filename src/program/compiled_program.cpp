#include "program/compiled_program.h"

#include <type_traits>
#include <utility>
#include <variant>

#include <llvm/Support/Endian.h>

#include "support/error.h"

namespace probecc {
namespace {

constexpr llvm::StringLiteral kFormatName("probecc-program-");
constexpr llvm::StringLiteral kFormat("probecc-program-7");  // kFormatName and the version

// Each record's fields are listed once (the *Fields functions below) and walked by a Writer or
// a Reader, so writing and reading cannot disagree on the order.
class Writer {
public:
  Writer &operator()(uint64_t value) {
    char bytes[8];
    llvm::support::endian::write64le(bytes, value);
    out_.append(bytes, 8);
    return *this;
  }
  Writer &operator()(bool value) { return (*this)(uint64_t(value)); }
  Writer &operator()(unsigned value) { return (*this)(uint64_t(value)); }
  template <typename E> requires std::is_enum_v<E> Writer &operator()(E value) { return (*this)(uint64_t(value)); }
  Writer &operator()(llvm::StringRef value) {
    (*this)(uint64_t(value.size()));
    out_.append(value.data(), value.size());
    return *this;
  }
  Writer &operator()(const std::string &value) { return (*this)(llvm::StringRef(value)); }
  Writer &operator()(const llvm::SmallVector<char, 0> &value) { return (*this)(llvm::StringRef(value.data(), value.size())); }
  template <typename T> Writer &operator()(const std::vector<T> &values);
  template <typename T> Writer &operator()(const std::optional<T> &value);
  template <typename... T> Writer &operator()(const std::variant<T...> &value);
  template <typename T> requires std::is_class_v<T> Writer &operator()(const T &record);
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

class Reader {
public:
  explicit Reader(llvm::StringRef bytes) : rest_(bytes) {}
  Reader &operator()(uint64_t &value) {
    if (rest_.size() < 8) return fail();
    value = llvm::support::endian::read64le(rest_.data());
    rest_ = rest_.drop_front(8);
    return *this;
  }
  Reader &operator()(bool &value) { return number(value); }
  Reader &operator()(unsigned &value) { return number(value); }
  template <typename E> requires std::is_enum_v<E> Reader &operator()(E &value) { return number(value); }
  Reader &operator()(std::string &value) {
    uint64_t size = 0;
    (*this)(size);
    if (size > rest_.size()) return fail();
    value = rest_.take_front(size).str();
    rest_ = rest_.drop_front(size);
    return *this;
  }
  Reader &operator()(llvm::SmallVector<char, 0> &value) {
    std::string bytes;
    (*this)(bytes);
    value.assign(bytes.begin(), bytes.end());
    return *this;
  }
  template <typename T> Reader &operator()(std::vector<T> &values);
  template <typename T> Reader &operator()(std::optional<T> &value);
  template <typename... T> Reader &operator()(std::variant<T...> &value);
  template <typename T> requires std::is_class_v<T> Reader &operator()(T &record);
  Reader &check(bool valid) { return valid ? *this : fail(); }
  bool ok() const { return ok_; }
  bool atEnd() const { return rest_.empty(); }

private:
  template <typename T> Reader &number(T &value) {
    uint64_t raw = 0;
    (*this)(raw);
    value = static_cast<T>(raw);
    return *this;
  }
  Reader &fail() {
    ok_ = false;
    rest_ = {};
    return *this;
  }
  llvm::StringRef rest_;
  bool ok_ = true;
};

template <typename A, typename P> void fields(A &a, P &probe) requires std::is_same_v<std::remove_const_t<P>, ProbeSpec> {
  a(probe.function)(probe.kind)(probe.target)(probe.arguments)(probe.syscallArgCount)(probe.attach)(probe.location)
   (probe.fromSection)(probe.standsInFor)(probe.recordBytesRead);
}
// A target is its shape's index and that shape's fields (probe_target.h).
template <typename A, typename T> void fields(A &a, T &t) requires std::is_same_v<std::remove_const_t<T>, ProbeTarget> {
  a(t.value());
}
template <typename A, typename T> void fields(A &, T &) requires std::is_same_v<std::remove_const_t<T>, NoTarget> {}
template <typename A, typename T> void fields(A &a, T &t) requires std::is_same_v<std::remove_const_t<T>, KernelName> {
  a(t.name);
}
template <typename A, typename T> void fields(A &a, T &t) requires std::is_same_v<std::remove_const_t<T>, TracepointName> {
  a(t.category)(t.event);
}
template <typename A, typename T> void fields(A &a, T &t) requires std::is_same_v<std::remove_const_t<T>, UserFunction> {
  a(t.binary)(t.symbol)(t.offset);
}
template <typename A, typename T> void fields(A &a, T &t) requires std::is_same_v<std::remove_const_t<T>, UsdtTarget> {
  a(t.path)(t.provider)(t.probe);
}
template <typename A, typename T> void fields(A &a, T &t) requires std::is_same_v<std::remove_const_t<T>, PerfEventSpec> {
  a(t.type)(t.config)(t.period)(t.frequency)(t.oneCpu)(t.name)(t.spelling);
}
template <typename A, typename T> void fields(A &a, T &t) requires std::is_same_v<std::remove_const_t<T>, SectionName> {
  a(t.section);
}
template <typename A, typename K> void fields(A &a, K &k) requires std::is_same_v<std::remove_const_t<K>, KernelTypes> {
  a(k.source)(k.release)(k.buildDir)(k.sourceDir)(k.btfPath)(k.configPath)(k.portable);
}
template <typename A, typename E> void fields(A &a, E &e) requires std::is_same_v<std::remove_const_t<E>, EventType> {
  a(e.map)(e.typeName)(e.isTypedef);
}
template <typename A, typename S> void fields(A &a, S &s) requires std::is_same_v<std::remove_const_t<S>, SyscallSupport> {
  a(s.kprobes)(s.tracefs)(s.prefix);
}
template <typename A, typename S> void fields(A &a, S &s) requires std::is_same_v<std::remove_const_t<S>, Script> {
  a(s.name)(s.text);
}
template <typename A, typename P> void fields(A &a, P &p) requires std::is_same_v<std::remove_const_t<P>, CompiledProgram> {
  a(p.code)(p.probes)(p.kernel)(p.notes)(p.eventTypes)(p.printkFormats)(p.includedFiles);
}
template <typename A, typename O> void fields(A &a, O &o) requires std::is_same_v<std::remove_const_t<O>, PackageOrigin> {
  a(o.probeccVersion)(o.arch)(o.builtOnKernel)(o.sourceHash)(o.onlyForKernel)(o.onlyForKernelReason);
}
template <typename A, typename T> void fields(A &a, T &t) requires std::is_same_v<std::remove_const_t<T>, TracepointLayout> {
  a(t.tracepoint)(t.fields);
}
template <typename A, typename O> void fields(A &a, O &o) requires std::is_same_v<std::remove_const_t<O>, PackagedOutput> {
  a(o.format)(o.traceFields)(o.noMaps);
}
template <typename A, typename P> void fields(A &a, P &p) requires std::is_same_v<std::remove_const_t<P>, ProgramPackage> {
  a(p.origin)(p.script)(p.program)(p.tracepoints)(p.output);
}
template <typename A, typename O> void fields(A &a, O &o) requires std::is_same_v<std::remove_const_t<O>, CompileOutcome> {
  a(o.program)(o.error)(o.alreadyReported)(o.kernelPchMissing)(o.messages);
}
template <typename A, typename R> void outputFields(A &a, R &r) {
  a(r.script)(r.kernel)(r.includeDirs)(r.defines)(r.attachments)(r.syscalls)(r.emitKind)(r.emitAfter)(r.tracePipe);
}
template <typename A, typename R> void fields(A &a, R &r) requires std::is_same_v<std::remove_const_t<R>, ProgramRequest> {
  outputFields(a, r);
  a(r.colorDiagnostics)(r.verbose)(r.cacheDir)(r.kernelKey);
}

// A target read back is of its kind's shape, as its kind would have parsed it.
bool targetFitsKind(const ProbeSpec &probe) {
  if (probe.target.empty()) return true;
  auto parsed = parseTarget(probe.kind, probe.target.text());
  if (!parsed) return llvm::consumeError(parsed.takeError()), false;
  return *parsed == probe.target;
}

template <typename T> Writer &Writer::operator()(const std::vector<T> &values) {
  (*this)(uint64_t(values.size()));
  for (const auto &value : values) (*this)(value);
  return *this;
}
template <typename T> Writer &Writer::operator()(const std::optional<T> &value) {
  (*this)(value.has_value());
  if (value) (*this)(*value);
  return *this;
}
template <typename... T> Writer &Writer::operator()(const std::variant<T...> &value) {
  (*this)(uint64_t(value.index()));
  std::visit([&](const auto &alternative) { (*this)(alternative); }, value);
  return *this;
}
template <typename T> requires std::is_class_v<T> Writer &Writer::operator()(const T &record) {
  fields(*this, record);
  return *this;
}

template <typename T> Reader &Reader::operator()(std::vector<T> &values) {
  uint64_t size = 0;
  (*this)(size);
  for (uint64_t i = 0; ok_ && i < size; ++i) (*this)(values.emplace_back());
  return *this;
}
template <typename T> Reader &Reader::operator()(std::optional<T> &value) {
  bool present = false;
  (*this)(present);
  if (present) (*this)(value.emplace());
  return *this;
}
template <typename... T> Reader &Reader::operator()(std::variant<T...> &value) {
  uint64_t index = 0;
  (*this)(index);
  if (!check(index < sizeof...(T)).ok()) return *this;
  [&]<size_t... I>(std::index_sequence<I...>) {
    ((index == I ? (void)(*this)(value.template emplace<I>()) : void()), ...);
  }(std::index_sequence_for<T...>{});
  return *this;
}
template <typename T> requires std::is_class_v<T> Reader &Reader::operator()(T &record) {
  fields(*this, record);
  if constexpr (std::is_same_v<T, ProbeSpec>)
    check(record.kind <= ProbeKind::Other && record.arguments <= ArgumentSource::RawSyscallExitRecord &&
          targetFitsKind(record));
  if constexpr (std::is_same_v<T, KernelTypes>) check(record.source <= KernelTypes::Source::Btf);
  if constexpr (std::is_same_v<T, ProgramRequest>) check(record.emitKind <= EmitKind::LlvmIr);
  return *this;
}

template <typename T> std::string serialize(const T &record) {
  Writer w;
  w(llvm::StringRef(kFormat))(record);
  return w.take();
}

template <typename T> llvm::Expected<T> deserialize(llvm::StringRef bytes, llvm::StringRef what) {
  Reader r(bytes);
  std::string format;
  r(format);
  if (format != kFormat) return makeError(what + " has an unknown format");
  T record;
  r(record);
  if (!r.ok() || !r.atEnd()) return makeError(what + " is corrupt");
  return record;
}

}  // namespace

std::string serializeRequest(const ProgramRequest &request, RequestBytes which) {
  if (which == RequestBytes::Whole) return serialize(request);
  Writer w;
  w(llvm::StringRef(kFormat));
  outputFields(w, request);
  return w.take();
}
llvm::Expected<ProgramRequest> deserializeRequest(llvm::StringRef bytes) {
  return deserialize<ProgramRequest>(bytes, "compile request");
}
std::string serializeProgram(const CompiledProgram &program) { return serialize(program); }
llvm::Expected<CompiledProgram> deserializeProgram(llvm::StringRef bytes) {
  return deserialize<CompiledProgram>(bytes, "cached program");
}
std::string serializePackage(const ProgramPackage &package) { return serialize(package); }
llvm::Expected<ProgramPackage> deserializePackage(llvm::StringRef bytes) {
  return deserialize<ProgramPackage>(bytes, "package");
}
unsigned programFormatVersion(llvm::StringRef bytes) {
  Reader r(bytes);
  std::string format;
  r(format);
  llvm::StringRef version(format);
  unsigned number = 0;
  if (!r.ok() || !version.consume_front(kFormatName) || version.getAsInteger(10, number)) return 0;
  return number;
}
unsigned programFormatVersion() { return programFormatVersion(serialize(PackagedOutput{})); }
std::string serializeOutcome(const CompileOutcome &outcome) { return serialize(outcome); }
llvm::Expected<CompileOutcome> deserializeOutcome(llvm::StringRef bytes) {
  return deserialize<CompileOutcome>(bytes, "compiler's answer");
}

}  // namespace probecc
