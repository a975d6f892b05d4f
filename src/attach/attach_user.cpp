#include "attach/attach_user.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "elf/elf_functions.h"
#include "program/usdt_target.h"
#include "attach/target_process.h"
#include "elf/usdt_names.h"
#include "support/error.h"

namespace probecc {
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
  auto target = parseUsdtTarget(probe.target);
  if (!target) return makeError("usdt:" + probe.target + ": " + llvm::toString(target.takeError()));
  if (target->path.empty()) {
    if (pid <= 0)
      return makeError("usdt:" + probe.target + " names no binary: write usdt:PATH:" + probe.target +
                       " (a PATH contains '/'), or give -p PID to probe that process's executable");
    auto executable = executableOf(pid);
    if (!executable) return executable.takeError();
    target->path = *executable;
  }
  if (access(target->path.c_str(), R_OK) != 0)
    return makeError("cannot attach " + probe.function + " (usdt " + probe.target + "): no file " + target->path);
  auto names = readUsdtNames(target->path);
  if (!names) return names.takeError();
  std::vector<UsdtName> matching;
  for (const auto &name : *names)
    if (name.probe == target->probe && (target->provider.empty() || name.provider == target->provider))
      matching.push_back(name);
  const std::string what = "cannot attach " + probe.function + " (usdt " + probe.target + "): ";
  if (matching.empty())
    return makeError(what + target->path +
                     (names->empty() ? " has no USDT probes" : " has no such USDT probe; it has " + listed(*names)));
  if (matching.size() > 1)
    return makeError(what + "several providers have a probe '" + target->probe + "': name one (" + listed(matching) +
                     ")");
  target->provider = matching.front().provider;
  return *target;
}

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
  std::optional<uint64_t> offset;
  for (const auto &function : elf->functions) {
    if (function.name != symbol) continue;
    if (function.indirect || (offset && *offset != function.fileOffset)) return std::nullopt;
    offset = function.fileOffset;
  }
  return offset;
}

}  // namespace

llvm::Expected<BpfLinkPtr> attachUsdt(bpf_program &program, const ProbeSpec &probe, pid_t pid) {
  auto target = resolve(probe, pid);
  if (!target) return target.takeError();
  BpfLinkPtr link(bpf_program__attach_usdt(&program, pid, target->path.c_str(), target->provider.c_str(),
                                           target->probe.c_str(), nullptr));
  if (!link) {
    const int error = errno;
    std::string what = "cannot attach " + probe.function + " (usdt " + target->path + ":" + target->provider + ":" +
                       target->probe + "): ";
    if (error == ESRCH) return makeError(what + "the -p process is gone");
    if (error == EPERM || error == EACCES) return makeError(what + "permission denied (probecc needs root)");
    return makeError(what + strerror(error) + " (run with -v for libbpf's reasons)");
  }
  return link;
}

llvm::Expected<BpfLinkPtr> attachUprobe(bpf_program &program, const ProbeSpec &probe, pid_t pid, KernelContext &kernel) {
  const auto colon = probe.target.rfind(':');
  const std::string binary = probe.target.substr(0, colon), symbol = probe.target.substr(colon + 1);
  bpf_uprobe_opts options{};
  options.sz = sizeof options;
  options.retprobe = probe.info().onReturn;
  const auto offset = sharedFileOffset(binary, symbol);
  if (!offset) options.func_name = symbol.c_str();
  BpfLinkPtr link(bpf_program__attach_uprobe_opts(&program, pid > 0 ? pid : -1, binary.c_str(), offset.value_or(0),
                                                  &options));
  if (!link) return makeError(explainAttachFailure(probe, -errno, kernel));
  return link;
}

}  // namespace probecc
