#pragma once
// The file system the in-process compiler sees: the real one, plus in-memory files (the user's
// source, the preamble, vmlinux.h, libbpf's BPF headers) and, on BTF-only kernels, empty stubs for
// kernel headers (<linux/sched.h>, ...) whose types vmlinux.h already declares.
#include <array>
#include <string>

#include <llvm/ADT/IntrusiveRefCntPtr.h>
#include <llvm/Support/VirtualFileSystem.h>

namespace probecc {

// libbpf's BPF-side headers programs may include as <bpf/NAME>, offered from the compiler's memory.
inline constexpr std::array<const char *, 6> kLibbpfHeaders{"bpf_helpers.h", "bpf_helper_defs.h", "bpf_tracing.h",
                                                           "bpf_core_read.h", "bpf_endian.h", "usdt.bpf.h"};

// Directories that exist only in memory.
inline constexpr const char *kVirtualIncludeDir = "/probecc/include";    // vmlinux.h, bpf/*.h, preamble
inline constexpr const char *kKernelStubIncludeDir = "/probecc/kernel-stubs";

class CompileFiles {
public:
  CompileFiles();
  void add(const std::string &path, std::string contents);
  // `contents` must outlive the compile (e.g. a precompiled header mapped from the cache).
  void addUnowned(const std::string &path, llvm::StringRef contents);
  // Copies libbpf's BPF-side headers (bpf/bpf_helpers.h, ...) under kVirtualIncludeDir/bpf.
  void addLibbpfHeaders(const std::string &libbpfIncludeDir);
  // Any kernel-style header under kKernelStubIncludeDir reads as an empty file.
  void enableKernelHeaderStubs();
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fileSystem() const { return overlay_; }

private:
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> memory_;
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> overlay_;
};

}  // namespace probecc
