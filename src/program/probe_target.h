#pragma once
// A probe's target, parsed once (when the probe is planned) into a value of its kind's shape, and
// carried so through the cache, the package and the loader: nobody splits "PATH:SYMBOL" or
// re-parses a perf event spelling after the planner has.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include <llvm/Support/Error.h>

#include "program/perf_event_spec.h"
#include "program/usdt_target.h"

namespace probecc {

enum class TargetSpace;
enum class ProbeKind;

// A SEC("uprobe") or SEC("perf_event") without a target: the tool's loader gives one (-a).
struct NoTarget {
  bool operator==(const NoTarget &) const = default;
};
// A kernel function, syscall, raw tracepoint, BTF function or LSM hook: one name (or pattern).
struct KernelName {
  std::string name;
  bool operator==(const KernelName &) const = default;
};
struct TracepointName {
  std::string category;  // empty for a SEC("tp/EVENT") that names none (it attaches nowhere)
  std::string event;
  bool operator==(const TracepointName &) const = default;
};
// libbpf's PATH:SYMBOL[+OFFSET], or PATH:ADDRESS (symbol empty, offset the file address).
struct UserFunction {
  std::string binary;  // empty: a SEC("uretprobe/readline") whose loader names the binary
  std::string symbol;
  uint64_t offset = 0;
  bool operator==(const UserFunction &) const = default;
};
// A section libbpf knows and probecc does not: attached by libbpf as the section says.
struct SectionName {
  std::string section;
  bool operator==(const SectionName &) const = default;
};

class ProbeTarget {
public:
  using Value = std::variant<NoTarget, KernelName, TracepointName, UserFunction, UsdtTarget, PerfEventSpec, SectionName>;
  ProbeTarget() = default;
  template <typename T> requires std::is_constructible_v<Value, T>
  ProbeTarget(T value) : value_(std::move(value)) {}  // NOLINT: a target of each shape converts

  const Value &value() const { return value_; }
  Value &value() { return value_; }
  template <typename T> const T *as() const { return std::get_if<T>(&value_); }
  template <typename T> T *as() { return std::get_if<T>(&value_); }
  bool empty() const { return std::holds_alternative<NoTarget>(value_); }
  // As a libbpf SEC() spells it after the kind's prefix: "sched/sched_switch", "/bin/bash:readline".
  std::string text() const;
  // As -a and messages spell it: "sched:sched_switch".
  std::string shown() const;
  // Has shell wildcards: expanded to what exists before attaching.
  bool isPattern() const;
  bool operator==(const ProbeTarget &) const = default;

private:
  Value value_;
};

// `text` as a SEC() (or BCC name) spells a target of this kind; tracepoints also take "CAT:EVENT".
// An empty text is NoTarget for every kind.
llvm::Expected<ProbeTarget> parseTarget(ProbeKind kind, std::string_view text);

// As -a writes it, after "TYPE:" (tracepoint:CAT:EVENT, uprobe:PATH:SYMBOL, profile:hz:99): an
// error says how to write it.
llvm::Expected<ProbeTarget> parseOptionTarget(ProbeKind kind, std::string_view type, std::string_view text);

// "PATH:SYMBOL" at its last ':' (a path may hold ':', a symbol not); nullopt without a ':'.
// The one split of a user function's spelling: parseTarget's, and -l uprobe:PATH[:PATTERN]'s.
std::optional<std::pair<std::string, std::string>> splitPathSymbol(std::string_view text);

}  // namespace probecc
