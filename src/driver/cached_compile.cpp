#include "driver/cached_compile.h"

#include "cache/builder_lock.h"
#include "cache/cache_dir.h"
#include "cache/cache_entry.h"
#include "cache/kernel_key.h"
#include "cache/program_cache.h"
#include "driver/compiler_library.h"
#include "support/file_identity.h"
#include "driver/type_cache_builder.h"

namespace probecc {
namespace {

// The first of the user's headers that is not as it was when `program` was compiled, or "".
std::string firstChangedFile(const CompiledProgram &program) {
  for (const auto &identity : program.includedFiles) {
    const std::string path = identity.substr(0, identity.find(':'));
    if (fileIdentity(path) != identity) return path;
  }
  return "";
}

void warn(Diagnostics &diagnostics, llvm::Error error, llvm::StringRef consequence) {
  diagnostics.warning(llvm::toString(std::move(error)) + " (" + consequence + ")");
}

}  // namespace

llvm::Expected<std::string> kernelTypesKey(const KernelTypes &kernel) {
  auto key = kernelKey(kernel);
  if (!key) return key.takeError();
  return *key + "compiler " + compilerIdentity();
}

llvm::Expected<CacheOutcome> compileThroughCache(ProgramRequest request, const CacheSettings &cache,
                                                 Diagnostics &diagnostics) {
  auto compileNow = [&](const ProgramRequest &request) -> llvm::Expected<CacheOutcome> {
    auto outcome = compileWithLibrary(request);
    if (!outcome) return outcome.takeError();
    diagnostics.text(outcome->messages);
    auto program = programOf(std::move(*outcome));
    if (!program) return program.takeError();
    return CacheOutcome{std::move(*program)};
  };
  if (!cache.enabled) return compileNow(request);
  if (auto error = prepareCacheDir(cache.dir, diagnostics)) {
    warn(diagnostics, std::move(error), "compiling without the cache");
    return compileNow(request);
  }
  auto kernelIdentity = kernelKey(request.kernel);
  if (!kernelIdentity) {
    warn(diagnostics, kernelIdentity.takeError(), "compiling without the cache");
    return compileNow(request);
  }

  const std::string compiler = compilerIdentity();
  const std::string key = programCacheKey(request, *kernelIdentity, compiler);
  const std::string name = cacheEntryName("object", key, "obj");
  if (auto entry = readCacheEntry(cache.dir, name, key, diagnostics)) {
    auto program = deserializeProgram(entry->payload());
    if (!program) {
      warn(diagnostics, program.takeError(), "rebuilding it");
    } else if (const std::string changed = firstChangedFile(*program); !changed.empty()) {
      diagnostics.verbose(changed + " changed since the program was cached; recompiling");
    } else {
      diagnostics.verbose("loaded the compiled program from " + cache.dir + "/" + name);
      return CacheOutcome{std::move(*program)};
    }
  }

  request.cacheDir = cache.dir;
  request.kernelKey = *kernelIdentity + "compiler " + compiler;  // as kernelTypesKey()
  // Taken before compiling: a concurrent run then knows a builder is (about to be) on its way.
  auto builderLock = BuilderLock::tryAcquire(cache.dir);
  if (!builderLock) warn(diagnostics, builderLock.takeError(), "not precompiling the kernel types");
  auto outcome = compileWithLibrary(request);
  if (!outcome) return outcome.takeError();
  diagnostics.text(outcome->messages);
  const std::string &release = request.kernel.release;
  if (outcome->kernelPchMissing && builderLock && *builderLock) {
    if (auto error = startTypeCacheBuilder(std::move(**builderLock), request.kernel))
      warn(diagnostics, std::move(error), "the kernel types stay unprecompiled");
    else
      diagnostics.progress("building kernel type cache for " + release + " in the background");
  } else if (outcome->kernelPchMissing) {
    diagnostics.verbose("kernel type cache for " + release + " is being built by another probecc; compiled without it");
  }
  auto program = programOf(std::move(*outcome));
  if (!program) return program.takeError();
  if (auto error = writeCacheEntry(cache.dir, name, key, serializeProgram(*program))) {
    warn(diagnostics, std::move(error), "the program is not cached");
    return CacheOutcome{std::move(*program)};
  }
  diagnostics.verbose("cached the compiled program as " + cache.dir + "/" + name);
  return CacheOutcome{std::move(*program), true};
}

}  // namespace probecc
