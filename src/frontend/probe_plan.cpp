#include "frontend/probe_plan.h"

#include <array>
#include <cctype>

#include "program/perf_event_spec.h"
#include "program/usdt_target.h"
#include "support/error.h"

namespace probecc {
namespace {

using K = ProbeKind;

bool isIdentifierLike(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  return true;
}

// The rest of a BCC name as its kind's target; nullopt when it names none.
std::optional<std::string> identifier(std::string_view rest) {
  return isIdentifierLike(rest) ? std::optional<std::string>(rest) : std::nullopt;
}
// BCC's KFUNC_PROBE names carry the module: kfunc__vmlinux__do_unlinkat
std::optional<std::string> btfFunction(std::string_view rest) {
  return identifier(rest.starts_with("vmlinux__") ? rest.substr(9) : rest);
}

// BCC function-name prefixes. The rest of the name is the target; "__" separates tracepoint parts.
struct NamePrefix {
  std::string_view prefix;
  ProbeKind kind;
  std::optional<std::string> (*target)(std::string_view rest);
  std::string_view malformed;  // what to say when the rest names no target ("": "names no KIND target")
};
constexpr std::string_view kTracepointName =
    "is not a tracepoint name: write tracepoint__CATEGORY__EVENT, e.g. tracepoint__syscalls__sys_enter_openat";
constexpr std::array kNamePrefixes{
    NamePrefix{"kprobe__", K::Kprobe, identifier, ""},
    NamePrefix{"kretprobe__", K::Kretprobe, identifier, ""},
    NamePrefix{"syscall__", K::Syscall, identifier, ""},
    NamePrefix{"tracepoint__", K::Tracepoint, tracepointFromBccName, kTracepointName},
    NamePrefix{"raw_tracepoint__", K::RawTracepoint, identifier, ""},
    NamePrefix{"kfunc__", K::Fentry, btfFunction, ""},
    NamePrefix{"kretfunc__", K::Fexit, btfFunction, ""},
    NamePrefix{"lsm__", K::Lsm, identifier, ""},
};

}  // namespace

std::optional<std::string> tracepointFromBccName(std::string_view rest) {
  const auto split = rest.find("__");
  if (split == std::string_view::npos || split == 0 || split + 2 >= rest.size()) return std::nullopt;
  return std::string(rest.substr(0, split)) + "/" + std::string(rest.substr(split + 2));
}

llvm::Expected<std::optional<ProbeSpec>> planFromName(std::string_view function) {
  for (const auto &[prefix, kind, targetOf, malformed] : kNamePrefixes) {
    if (!function.starts_with(prefix)) continue;
    const auto target = targetOf(function.substr(prefix.size()));
    if (!target && !malformed.empty()) return makeError("'" + llvm::Twine(function) + "' " + malformed);
    if (!target)
      return makeError("'" + llvm::Twine(function) + "' names no " + kindInfo(kind).name + " target after '" + prefix + "'");
    ProbeSpec spec{std::string(function), kind, {}, kindInfo(kind).arguments};
    if (auto error = spec.setTarget(*target)) return error;
    return spec;
  }
  return std::nullopt;
}

llvm::Expected<ProbeSpec> planFromSection(std::string_view function, std::string_view section) {
  if (section == "perf_event") return ProbeSpec{std::string(function), K::PerfEvent, {}};  // -a names the event
  const auto slash = section.find('/');
  const auto kind = kindFromSpelling(section.substr(0, slash));
  if (!kind) return ProbeSpec{std::string(function), K::Other, SectionName{std::string(section)}};
  // libbpf-style programs read their arguments themselves (BPF_KPROBE, PT_REGS_PARM*). SEC("uprobe")
  // alone has an empty target: its loader gives one (placeholderTarget refuses it).
  ProbeSpec spec{std::string(function), *kind, {}};
  spec.fromSection = true;
  if (auto error = spec.setTarget(slash == std::string_view::npos ? "" : section.substr(slash + 1)))
    return makeError("SEC(\"" + llvm::Twine(section) + "\"): " + llvm::toString(std::move(error)));
  return spec;
}

llvm::Error placeholderTarget(const ProbeSpec &probe, std::string_view section) {
  const auto &info = probe.info();
  const std::string how = "-a " + std::string(info.name) + ":" + std::string(targetPlaceholder(info.targets)) + "=" +
                          probe.function;
  if (probe.target.empty() && info.targets != TargetSpace::PerfEvent && info.targets != TargetSpace::None)
    return makeError(probe.location + "SEC(\"" + llvm::Twine(section) + "\") names no target: the tool's loader " +
                     "chooses it at run time; give one with " + how);
  if (const auto *function = probe.target.as<UserFunction>(); function && function->binary.empty())
    return makeError(probe.location + "SEC(\"" + llvm::Twine(section) + "\") names no binary for " + probe.target.text() +
                     ": the tool's loader chooses it at run time; give it with -a " + std::string(info.name) +
                     ":PATH:" + probe.target.text() + "=" + probe.function + " (a path, or a library's name: c, ssl)");
  return llvm::Error::success();
}

llvm::Expected<ProbeSpec> planFromAttachOption(std::string_view option) {
  const auto equals = option.rfind('=');
  const auto colon = option.find(':');
  if (equals == std::string_view::npos || colon == std::string_view::npos || colon > equals)
    return makeError("-a " + llvm::Twine(option) + ": expected TYPE:TARGET=FUNCTION\n" + attachOptionHelp());
  const auto type = option.substr(0, colon);
  std::string target(option.substr(colon + 1, equals - colon - 1));
  std::string function(option.substr(equals + 1));
  const auto kind = kindFromSpelling(type);
  if (!kind) return makeError("-a " + llvm::Twine(option) + ": unknown probe type '" + type + "'\n" + attachOptionHelp());
  if (target.empty() || function.empty())
    return makeError("-a " + llvm::Twine(option) + ": both the target and the function are needed");
  auto parsed = parseOptionTarget(*kind, type, target);
  if (!parsed) return makeError("-a " + llvm::Twine(option) + ": " + llvm::toString(parsed.takeError()));
  ProbeSpec spec{function, *kind, std::move(*parsed), kindInfo(*kind).arguments};
  spec.location = "-a " + std::string(option) + ": ";
  return spec;
}

std::string attachOptionHelp() {
  return "  -a kprobe:FUNC=fn            run fn when kernel function FUNC is entered\n"
         "  -a kretprobe:FUNC=fn         ... when FUNC returns (PT_REGS_RC(ctx) is its value)\n"
         "  -a syscall:NAME=fn           ... when syscall NAME is entered (kretsyscall: returns)\n"
         "  -a tracepoint:CAT:EVENT=fn   ... at tracepoint CAT:EVENT\n"
         "  -a raw_tracepoint:EVENT=fn   ... at raw tracepoint EVENT\n"
         "  (for a function with a SEC(), -a gives or replaces its target: a libbpf tool's placeholder)\n"
         "  -a uprobe:PATH:SYMBOL=fn     ... when user function SYMBOL of PATH is entered (uretprobe: returns);\n"
         "                               PATH may be a library's name (c, pthread, ssl) or a program on PATH\n"
         "  FUNC, EVENT and SYMBOL may be wildcards: -a 'kprobe:vfs_*=fn', -a 'tracepoint:sched:sched_*=fn',\n"
         "  -a 'uprobe:/lib/x86_64-linux-gnu/libc.so.6:str*=fn' (at most --max-probes targets; those that\n"
         "  cannot be probed are skipped and counted)\n" +
         usdtTargetHelp() + perfEventHelp();
}

std::string noProbeMessage() {
  return "the program has no probe: name a function kprobe__FUNC, tracepoint__CAT__EVENT, ... "
         "give it a SEC(\"...\"), or attach it with -a (see --help)";
}

}  // namespace probecc
