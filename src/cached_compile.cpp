#include "cached_compile.h"

#include <llvm/Support/raw_ostream.h>

#include "cache/cache_dir.h"
#include "cache/cache_entry.h"
#include "cache/kernel_key.h"
#include "cache/program_cache.h"
#include "compiler_library.h"
#include "lean_restart.h"

namespace probecc {
namespace {

void warn(llvm::Error error, llvm::StringRef consequence) {
  llvm::errs() << "probecc: warning: " << llvm::toString(std::move(error)) << " (" << consequence << ")\n";
}

}  // namespace

llvm::Expected<CompiledProgram> compileThroughCache(ProgramRequest request, const CacheSettings &cache) {
  if (!cache.enabled) return compileWithLibrary(std::move(request));
  if (auto error = prepareCacheDir(cache.dir)) {
    warn(std::move(error), "compiling without the cache");
    return compileWithLibrary(std::move(request));
  }
  KernelTypesRequest kernelRequest = request.kernelTypes;
  kernelRequest.preferBtf |= includesVmlinuxHeader(request.script.text);
  auto kernel = discoverKernelTypes(kernelRequest);
  if (!kernel) return kernel.takeError();
  auto kernelIdentity = kernelKey(*kernel);
  if (!kernelIdentity) {
    warn(kernelIdentity.takeError(), "compiling without the cache");
    return compileWithLibrary(std::move(request));
  }

  const std::string compiler = compilerIdentity();
  const std::string key = programCacheKey(request, *kernelIdentity, compiler);
  const std::string name = cacheEntryName("object", key, "obj");
  if (auto entry = readCacheEntry(cache.dir, name, key)) {
    auto program = deserializeProgram(entry->payload());
    if (program) {
      if (request.verbose) llvm::errs() << "probecc: loaded the compiled program from " << cache.dir << "/" << name << "\n";
      return program;
    }
    warn(program.takeError(), "rebuilding it");
  }

  const bool verbose = request.verbose;
  request.cacheDir = cache.dir;
  // A rebuilt compiler may precompile differently: its identity is part of the types' key too.
  request.kernelKey = *kernelIdentity + "compiler " + compiler + "\n";
  auto program = compileWithLibrary(std::move(request));
  if (!program) return program.takeError();
  if (auto error = writeCacheEntry(cache.dir, name, key, serializeProgram(*program)))
    warn(std::move(error), "the program is not cached");
  else if (cache.restartAfterCompile)
    restartFromCache();
  else if (verbose)
    llvm::errs() << "probecc: cached the compiled program as " << cache.dir << "/" << name << "\n";
  return program;
}

}  // namespace probecc
