#include "driver/program_package.h"

#include <sys/utsname.h>

#include <algorithm>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/MemoryBuffer.h>

#include "frontend/tracepoint_structs.h"
#include "kernel/arch.h"
#include "kernel/tracefs.h"
#include "program/package.h"
#include "support/error.h"

namespace probecc {
namespace {

std::string runningRelease() {
  utsname name{};
  uname(&name);
  return name.release;
}

// The event's own fields of a tracepoint's format file, "NAME OFFSET SIZE" each (none if unreadable).
std::vector<std::string> fieldLayout(const std::string &tracefs, const std::string &tracepoint) {
  auto format = llvm::MemoryBuffer::getFileAsStream(tracepointFormatPath(tracefs, tracepoint));
  if (!format) return {};
  const llvm::StringRef text = (*format)->getBuffer();
  return tracepointFieldLayout(std::string_view(text.data(), text.size()));
}

}  // namespace

llvm::Expected<ProgramPackage> makePackage(const Script &script, CompiledProgram program, const std::string &tracefs,
                                           PackagedOutput output) {
  ProgramPackage package;
  package.origin = {PROBECC_VERSION, std::string(hostArch().triplePrefix), runningRelease(), blake3Hex(script.text), "", ""};
  if (program.kernel.source == KernelTypes::Source::HeadersDir) {
    package.origin.onlyForKernel = program.kernel.release;
    package.origin.onlyForKernelReason = "it was compiled against kernel headers, whose layouts are that kernel's "
                                         "(build it with --btf to run it on any kernel with BTF)";
  }
  for (const auto &probe : program.probes) {
    const std::string name = probe.target.text();
    const bool seen = std::any_of(package.tracepoints.begin(), package.tracepoints.end(),
                                  [&](const auto &layout) { return layout.tracepoint == name; });
    if (probe.kind == ProbeKind::Tracepoint && !seen && tracepointExists(tracefs, name))
      package.tracepoints.push_back({name, fieldLayout(tracefs, name)});
  }
  package.script = script;
  package.program = std::move(program);
  package.output = std::move(output);
  return package;
}

llvm::Error checkRunsOnThisKernel(const ProgramPackage &package, const std::string &tracefs) {
  const std::string release = runningRelease();
  const auto &origin = package.origin;
  if (!origin.onlyForKernel.empty() && origin.onlyForKernel != release)
    return makeError("this package runs only on kernel " + origin.onlyForKernel + ": " + origin.onlyForKernelReason +
                     "; this kernel is " + release);
  for (const auto &layout : package.tracepoints) {
    if (!tracepointExists(tracefs, layout.tracepoint)) continue;  // attaching says it is unknown, with suggestions
    const auto here = fieldLayout(tracefs, layout.tracepoint);
    for (const auto &field : layout.fields) {
      const llvm::StringRef name = llvm::StringRef(field).split(' ').first;
      auto same = std::find_if(here.begin(), here.end(), [&](const std::string &f) { return llvm::StringRef(f).split(' ').first == name; });
      if (same == here.end())
        return makeError("tracepoint " + layout.tracepoint + " has no field " + name + " on this kernel (" + release +
                         "); the package was compiled for its layout on " + origin.builtOnKernel);
      if (*same != field)
        return makeError("tracepoint " + layout.tracepoint + "'s field " + name + " is laid out differently on this kernel (" +
                         release + ": offset and size " + llvm::StringRef(*same).split(' ').second + ") than on " +
                         origin.builtOnKernel + " (" + llvm::StringRef(field).split(' ').second +
                         "), which the package was compiled for");
    }
  }
  return llvm::Error::success();
}

}  // namespace probecc
