#include "attach/attach_user.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <optional>
#include <set>

#include "elf/elf_functions.h"
#include "program/usdt_target.h"
#include "attach/target_process.h"
#include "attach/attach.h"
#include "attach/attach_targets.h"
#include "attach/target_listing.h"
#include "elf/usdt_names.h"
#include "support/closest_names.h"
#include "support/error.h"
#include "support/name_pattern.h"

namespace probecc {

// libbpf 1.1 finds a function with several symbol versions ambiguous even where they all name
// the same code (glibc's pthread_create@GLIBC_2.2.5 and pthread_create@@GLIBC_2.34), so a uprobe
// attaches at the function's file offset whenever the symbol tables give one. nullopt: leave the
// name to libbpf (an IFUNC, versions with different code, or no such function: libbpf says so).
std::optional<uint64_t> sharedFileOffset(const std::string &binary, const std::string &symbol) {
  auto elf = readElfFunctions(binary);
  if (!elf) {
    llvm::consumeError(elf.takeError());
    return std::nullopt;
  }
  return sharedFileOffset(*elf, symbol);
}

std::optional<uint64_t> sharedFileOffset(const ElfFunctions &functions, const std::string &symbol) {
  std::optional<uint64_t> offset;
  for (const auto &function : functions.functions) {
    if (function.name != symbol) continue;
    if (function.indirect || (offset && *offset != function.fileOffset)) return std::nullopt;
    offset = function.fileOffset;
  }
  return offset;
}

namespace {

std::string listed(const std::vector<UsdtName> &names) {
  std::string out;
  const size_t shown = std::min<size_t>(names.size(), 20);
  for (size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + names[i].provider + ":" + names[i].probe;
  if (names.size() > shown) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

// Fills in the path (the -p process's executable) and the provider (the one that has the probe).
llvm::Expected<UsdtTarget> resolve(const ProbeSpec &probe, pid_t pid) {
  const auto *named = probe.target.as<UsdtTarget>();
  if (!named) return makeError("cannot attach " + probe.function + ": usdt needs a target: -a usdt:PATH:PROVIDER:PROBE=" + probe.function);
  std::optional<UsdtTarget> target = *named;
  const std::string written = probe.target.text();
  if (target->path.empty()) {
    if (pid <= 0)
      return makeError("usdt:" + written + " names no binary: write usdt:PATH:" + written +
                       " (a PATH contains '/'), or give -p PID to probe that process's executable");
    auto executable = executableOf(pid);
    if (!executable) return executable.takeError();
    target->path = *executable;
  }
  if (access(target->path.c_str(), R_OK) != 0)
    return makeError("cannot attach " + probe.function + " (usdt " + written + "): no file " + target->path);
  auto names = readUsdtNames(target->path);
  if (!names) return names.takeError();
  std::vector<UsdtName> matching;
  for (const auto &name : *names)
    if (name.probe == target->probe && (target->provider.empty() || name.provider == target->provider))
      matching.push_back(name);
  const std::string what = "cannot attach " + probe.function + " (usdt " + written + "): ";
  if (matching.empty())
    return makeError(what + target->path +
                     (names->empty() ? " has no USDT probes" : " has no such USDT probe; it has " + listed(*names)));
  if (matching.size() > 1)
    return makeError(what + "several providers have a probe '" + target->probe + "': name one (" + listed(matching) +
                     ")");
  target->provider = matching.front().provider;
  return *target;
}

// The one uprobe attach path: at a file address, or at a symbol (+ offset), where the symbol
// tables give its file offset; else by name, left to libbpf.
Attachment attachUprobe(bpf_program &program, const ProbeSpec &probe, const AttachEnv &env) {
  const auto *function = probe.target.as<UserFunction>();
  if (!function) {
    errno = EINVAL;
    return {};
  }
  bpf_uprobe_opts options{};
  options.sz = sizeof options;
  options.retprobe = probe.info().onReturn;
  uint64_t offset = function->offset;
  if (!function->symbol.empty()) {
    if (const auto at = sharedFileOffset(function->binary, function->symbol)) offset += *at;
    else options.func_name = function->symbol.c_str();
  }
  return {BpfLinkPtr(bpf_program__attach_uprobe_opts(&program, env.pid > 0 ? env.pid : -1, function->binary.c_str(),
                                                     offset, &options)),
          {}};
}

llvm::Error expandUprobe(ExpandedProbe &expanded, KernelTargets &) {
  const auto *pattern = expanded.probe.target.as<UserFunction>();
  if (!pattern) return makeError(expanded.probe.location + "write uprobe:PATH:PATTERN");
  auto elf = readElfFunctions(pattern->binary);
  if (!elf)
    return makeError(expanded.probe.location + "cannot attach " + expanded.probe.function + " (" +
                     std::string(expanded.probe.info().name) + ":" + expanded.probe.target.shown() +
                     "): " + llvm::toString(elf.takeError()));
  std::set<uint64_t> offsets;  // aliases (strchr and index) share their code: probe it once
  for (const auto &function : elf->functions) {
    if (!matchesPattern(pattern->symbol, function.name)) continue;
    if (function.indirect)
      expanded.untraceable.push_back(function.name);
    else if (offsets.insert(function.fileOffset).second)
      expanded.targets.push_back({function.name, UserFunction{pattern->binary, "", function.fileOffset}});
  }
  expanded.untraceableWhy = "IFUNC symbols, whose code only picks the implementation";
  return llvm::Error::success();
}

// libbpf also takes SYMBOL+OFFSET and raw addresses: the symbol alone is checked.
std::optional<std::string> missingUserFunction(const ProbeSpec &probe, KernelTargets &) {
  const auto *function = probe.target.as<UserFunction>();
  if (!function || function->binary.empty()) return std::nullopt;
  if (access(function->binary.c_str(), F_OK) != 0) return "no file " + function->binary;
  if (function->symbol.empty()) return std::nullopt;
  auto elf = readElfFunctions(function->binary);
  if (!elf) return llvm::toString(elf.takeError());
  std::vector<std::string> names;
  for (const auto &candidate : elf->functions) names.push_back(candidate.name);
  if (std::find(names.begin(), names.end(), function->symbol) != names.end()) return std::nullopt;
  return "no function '" + function->symbol + "' in " + function->binary + "'s symbol tables" +
         didYouMean(closestNames(function->symbol, names));
}

// -l uprobe:PATH[:PATTERN]; a path may itself hold no ':'
llvm::Error listUserFunctions(TargetLister &lister, ProbeKind kind, const std::string &pattern) {
  const auto split = splitPathSymbol(pattern);
  const std::string binary = split ? split->first : pattern, symbols = split ? split->second : "*";
  auto elf = readElfFunctions(binary);
  if (!elf) return elf.takeError();
  std::vector<std::string> names;
  for (const auto &function : elf->functions)
    if (matchesPattern(symbols, function.name)) names.push_back(function.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const auto &name : names) lister.emit(kind, binary + ":" + name);
  return llvm::Error::success();
}

std::optional<std::string> uprobeRefusal(int error) {
  if (error == 524 /* ENOTSUPP */) return "refused: their first instruction cannot be probed";
  return std::nullopt;
}

llvm::Error attachUsdt(bpf_program &program, const ProbeSpec &probe, const AttachEnv &env, AttachedProbes &into) {
  auto target = resolve(probe, env.pid);
  if (!target) return target.takeError();
  BpfLinkPtr link(bpf_program__attach_usdt(&program, env.pid, target->path.c_str(), target->provider.c_str(),
                                           target->probe.c_str(), nullptr));
  if (!link) {
    ProbeSpec resolved = probe;
    resolved.target = *target;
    return makeError(explainAttachFailure(resolved, -errno, env.kernel));
  }
  into.add(Attachment{std::move(link), {}}, probe.kind);
  return llvm::Error::success();
}

std::optional<std::string> explainUsdt(const ProbeSpec &, int error, KernelContext &) {
  if (error == EPERM || error == EACCES || error == ESRCH) return std::nullopt;  // as every kind says them
  return std::string(strerror(error)) + " (run with -v for libbpf's reasons)";
}

}  // namespace

//                          attach             at one target  wildcards     exists?              list               explain      refusal
const AttachKind kUprobeRow{attachAtOwnTarget, attachUprobe,  expandUprobe, missingUserFunction, listUserFunctions, nullptr,     uprobeRefusal, MultiLink::Uprobe};
const AttachKind kUsdtRow{attachUsdt, nullptr, nullptr, nullptr, nullptr, explainUsdt, nullptr};

}  // namespace probecc
