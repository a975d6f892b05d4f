#include "driver/program_package.h"

#include <sys/utsname.h>

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

// The event's own fields of a tracepoint format file, as "NAME OFFSET SIZE" ("" if unreadable).
// A field line: "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;".
std::vector<std::string> fieldLayout(const std::string &tracefs, const std::string &tracepoint) {
  auto format = llvm::MemoryBuffer::getFileAsStream(tracepointFormatPath(tracefs, tracepoint));
  if (!format) return {};
  std::vector<std::string> fields;
  llvm::SmallVector<llvm::StringRef> lines;
  (*format)->getBuffer().split(lines, '\n');
  for (llvm::StringRef line : lines) {
    line = line.trim();
    if (!line.consume_front("field:")) continue;
    auto value = [&](llvm::StringRef key) {
      const size_t at = line.find(key);
      return at == llvm::StringRef::npos ? llvm::StringRef() : line.substr(at + key.size()).split(';').first.trim();
    };
    llvm::StringRef declaration = line.split(';').first.trim();
    declaration = declaration.split('[').first.rtrim();  // "char comm[16]" → "char comm"
    const llvm::StringRef name = declaration.substr(declaration.find_last_of(" *") + 1);
    if (name.starts_with("common_")) continue;
    fields.push_back((name + " " + value("offset:") + " " + value("size:")).str());
  }
  return fields;
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
  for (const auto &tp : findTracepointProbes(script.text)) {
    const std::string name = tp.category + "/" + tp.event;
    if (tracepointExists(tracefs, name)) package.tracepoints.push_back({name, fieldLayout(tracefs, name)});
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
