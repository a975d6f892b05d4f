#include "program/probe_kinds.h"

#include <array>

namespace probecc {
namespace {

using K = ProbeKind;
using T = TargetSpace;
using A = ArgumentSource;
constexpr bool R = true, _ = false;
// clang-format off
//                       name              SEC() prefix       targets            arguments     return reads kprobes -p  BTF-typed twin  at attach  concurrent release
constexpr std::array kKinds{
    ProbeKindInfo{K::Kprobe,        "kprobe",         "kprobe/",         T::KernelFunction, A::Registers, _, R, R, _, K::Fentry, R, R},
    ProbeKindInfo{K::Kretprobe,     "kretprobe",      "kretprobe/",      T::KernelFunction, A::Registers, R, R, R, _, K::Fexit, R, R},
    ProbeKindInfo{K::Syscall,       "syscall",        "ksyscall/",       T::Syscall,        A::Registers, _, R, R, _, K::Other, _, R},
    ProbeKindInfo{K::SyscallReturn, "kretsyscall",    "kretsyscall/",    T::Syscall,        A::None,      R, R, R, _, K::Other, _, R},
    ProbeKindInfo{K::Tracepoint,    "tracepoint",     "tracepoint/",     T::Tracepoint,     A::None,      _, R, _, _, K::Other, R, R},
    ProbeKindInfo{K::RawTracepoint, "raw_tracepoint", "raw_tracepoint/", T::RawTracepoint,  A::None,      _, R, _, _, K::TpBtf, R, R},
    ProbeKindInfo{K::TpBtf,         "tp_btf",         "tp_btf/",         T::RawTracepoint,  A::None,      _, _, _, _, K::TpBtf, _, R},
    ProbeKindInfo{K::Fentry,        "kfunc",          "fentry/",         T::BtfFunction,    A::BtfArray,  _, _, _, _, K::Fentry, _, R},
    ProbeKindInfo{K::Fexit,         "kretfunc",       "fexit/",          T::BtfFunction,    A::BtfArray,  R, _, _, _, K::Fexit, _, R},
    ProbeKindInfo{K::Lsm,           "lsm",            "lsm/",            T::LsmHook,        A::BtfArray,  _, _, _, _, K::Other, _, R},
    ProbeKindInfo{K::Uprobe,        "uprobe",         "uprobe/",         T::UserFunction,   A::Registers, _, _, _, R, K::Other, R, R},
    ProbeKindInfo{K::Uretprobe,     "uretprobe",      "uretprobe/",      T::UserFunction,   A::Registers, R, _, _, R, K::Other, R, R},
    ProbeKindInfo{K::Usdt,          "usdt",           "usdt/",           T::UsdtProbe,      A::None,      _, _, _, R, K::Other, R, _},
    ProbeKindInfo{K::PerfEvent,     "perf",           "perf_event",      T::PerfEvent,      A::None,      _, R, _, R, K::Other, R, R},
    ProbeKindInfo{K::Other,         "program",        "",                T::None,           A::None,      _, _, _, _, K::Other, _, R},
};
// clang-format on
// Return probes take their typed arguments from the registers too, as BCC's do (whatever the
// registers hold at return): programs share one signature between entry and return (deadlock).

// libbpf SEC() prefixes and -a spellings, including libbpf's short aliases.
struct Alias {
  std::string_view spelling;
  ProbeKind kind;
};
constexpr std::array kAliases{
    Alias{"kprobe", K::Kprobe},         Alias{"kretprobe", K::Kretprobe},
    Alias{"ksyscall", K::Syscall},      Alias{"syscall", K::Syscall},
    Alias{"kretsyscall", K::SyscallReturn},
    Alias{"tracepoint", K::Tracepoint}, Alias{"tp", K::Tracepoint},
    Alias{"raw_tracepoint", K::RawTracepoint}, Alias{"raw_tp", K::RawTracepoint},
    Alias{"tp_btf", K::TpBtf},
    Alias{"fentry", K::Fentry},         Alias{"kfunc", K::Fentry},
    Alias{"fexit", K::Fexit},           Alias{"kretfunc", K::Fexit},
    Alias{"lsm", K::Lsm},
    Alias{"uprobe", K::Uprobe},         Alias{"uretprobe", K::Uretprobe},
    Alias{"usdt", K::Usdt},
    Alias{"perf", K::PerfEvent},        Alias{"profile", K::PerfEvent},  Alias{"interval", K::PerfEvent},
};

}  // namespace

std::optional<ProbeKind> kindFromSpelling(std::string_view spelling) {
  for (const auto &alias : kAliases)
    if (alias.spelling == spelling) return alias.kind;
  return std::nullopt;
}

std::string_view targetPlaceholder(TargetSpace targets) {
  switch (targets) {
    case T::KernelFunction: case T::BtfFunction: return "FUNC";
    case T::Syscall: return "NAME";
    case T::Tracepoint: return "CAT:EVENT";
    case T::RawTracepoint: return "EVENT";
    case T::LsmHook: return "HOOK";
    case T::UserFunction: return "PATH:SYMBOL";
    case T::UsdtProbe: return "PATH:PROVIDER:PROBE";
    case T::PerfEvent: return "TYPE:CONFIG:PERIOD";
    case T::None: return "";
  }
  return "";
}

const ProbeKindInfo &kindInfo(ProbeKind kind) {
  for (const auto &info : kKinds)
    if (info.kind == kind) return info;
  return kKinds.back();
}

std::string ProbeSpec::section() const {
  if (kind == K::PerfEvent) return "perf_event";  // the event is chosen at attach time, not named here
  return std::string(kindInfo(kind).sectionPrefix) + target.text();
}

llvm::Error ProbeSpec::setTarget(std::string_view text) {
  auto parsed = parseTarget(kind, text);
  if (!parsed) return parsed.takeError();
  target = std::move(*parsed);
  return llvm::Error::success();
}

}  // namespace probecc
