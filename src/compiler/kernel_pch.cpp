#include "compiler/kernel_pch.h"

#include "support/file_identity.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <vector>

#include <clang/Basic/Version.h>
#include <llvm/Support/MemoryBuffer.h>

#include "frontend/compile_files.h"
#include "frontend/preamble.h"

namespace probecc {
namespace {
namespace fs = std::filesystem;

// Everything the precompiled header is made of, besides the kernel types themselves.
std::string pchKey(const CompileRequest &request, const std::string &kernelKey) {
  std::string key = "probecc kernel types pch 1\n" PROBECC_VERSION "\n" + clang::getClangFullVersion() + "\n" + kernelKey;
  for (const auto &arg : kernelPchArguments(request, "")) key += arg + "\n";
  key += buildPreamble(request.kernel);
  for (const char *header : kLibbpfHeaders)
    key += fileIdentity(std::string(PROBECC_LIBBPF_INCLUDE_DIR) + "/bpf/" + header);
  return key;
}

// Each precompiled header is ~17 MB and a new kernel or probecc build makes a new one: keep the
// one just built and the newest other (another kernel-types mode), drop the rest.
void pruneOldHeaders(const std::string &cacheDir, const std::string &keep) {
  std::vector<std::pair<fs::file_time_type, fs::path>> others;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(cacheDir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name != keep && name.starts_with("kernel-") && name.ends_with(".pch"))
      others.emplace_back(entry.last_write_time(ec), entry.path());
  }
  std::sort(others.begin(), others.end(), std::greater<>());
  for (size_t i = 1; i < others.size(); ++i) fs::remove(others[i].second, ec);
}

}  // namespace

std::optional<CacheEntry> findKernelTypesPch(const CompileRequest &request, const std::string &cacheDir,
                                             const std::string &kernelKey, Diagnostics &diagnostics) {
  const std::string key = pchKey(request, kernelKey);
  return readCacheEntry(cacheDir, cacheEntryName("kernel", key, "pch"), key, diagnostics);
}

bool kernelTypesPchStored(const CompileRequest &request, const std::string &cacheDir, const std::string &kernelKey) {
  return access((cacheDir + "/" + cacheEntryName("kernel", pchKey(request, kernelKey), "pch")).c_str(), F_OK) == 0;
}

llvm::Error buildKernelTypesPch(CompileRequest request, const std::string &cacheDir, const std::string &kernelKey,
                                Diagnostics &diagnostics) {
  const std::string key = pchKey(request, kernelKey);
  const std::string name = cacheEntryName("kernel", key, "pch");
  if (readCacheEntry(cacheDir, name, key, diagnostics)) return llvm::Error::success();  // built meanwhile
  if (request.kernel.source == KernelTypes::Source::Btf && request.vmlinuxHeader.empty()) {
    auto header = dumpVmlinuxHeader(request.kernel.btfPath);
    if (!header) return header.takeError();
    request.vmlinuxHeader = std::move(*header);
  }
  const std::string temp = cacheDir + "/" + name + ".tmp." + std::to_string(getpid()) + ".build";
  if (auto error = precompileKernelTypes(request, temp)) {
    unlink(temp.c_str());
    return error;
  }
  request.vmlinuxHeader = std::string();  // ~8 MB, no longer needed
  auto pch = llvm::MemoryBuffer::getFile(temp, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  unlink(temp.c_str());
  if (!pch) return llvm::createStringError(pch.getError(), "cannot read the precompiled kernel types " + temp);
  if (auto error = writeCacheEntry(cacheDir, name, key, (*pch)->getBuffer())) return error;
  pruneOldHeaders(cacheDir, name);
  return llvm::Error::success();
}

}  // namespace probecc
