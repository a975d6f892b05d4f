#include "frontend/compile_files.h"

#include <array>

#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include "frontend/kernel_macros.h"

namespace probecc {
namespace {

// The top-level directories of kernel include trees (<linux/...>, <uapi/...>, <net/...>).
constexpr std::array kKernelIncludeRoots{"linux", "uapi", "asm", "asm-generic", "net", "trace",
                                         "generated", "crypto", "keys", "scsi", "drm", "sound",
                                         "rdma", "xen", "kvm", "soc", "video", "media", "acpi"};

// Answers every kernel-style header path below kKernelStubIncludeDir with an empty file, or with
// the macros that header defines in a kernel tree (kernel_macros.h).
class KernelHeaderStubs : public llvm::vfs::FileSystem {
public:
  KernelHeaderStubs() {
    files_->addFile(std::string(kKernelStubIncludeDir) + "/.probecc-stub-dir", 0, llvm::MemoryBuffer::getMemBuffer(""));
  }
  llvm::ErrorOr<llvm::vfs::Status> status(const llvm::Twine &path) override {
    materialize(path);
    return files_->status(path);
  }
  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>> openFileForRead(const llvm::Twine &path) override {
    materialize(path);
    return files_->openFileForRead(path);
  }
  llvm::vfs::directory_iterator dir_begin(const llvm::Twine &dir, std::error_code &ec) override {
    return files_->dir_begin(dir, ec);
  }
  std::error_code setCurrentWorkingDirectory(const llvm::Twine &path) override {
    return files_->setCurrentWorkingDirectory(path);
  }
  llvm::ErrorOr<std::string> getCurrentWorkingDirectory() const override {
    return files_->getCurrentWorkingDirectory();
  }

private:
  // Creates the stub (or, for a directory such as .../uapi/linux, a placeholder inside it, since
  // Clang looks at a header's directory before the header) the first time a path is asked for.
  void materialize(const llvm::Twine &twine) {
    const std::string path = twine.str();
    llvm::StringRef rest(path);
    if (!rest.consume_front(kKernelStubIncludeDir)) return;
    if (rest.empty()) return;  // the root itself exists from the start
    if (!rest.consume_front("/")) return;
    const auto top = rest.split('/').first;
    if (std::find(kKernelIncludeRoots.begin(), kKernelIncludeRoots.end(), top) == kKernelIncludeRoots.end()) return;
    if (files_->exists(path)) return;
    const bool header = rest.ends_with(".h");
    if (header)  // empty, or the macros the real header would define (net/sock.h: sk_daddr, ...)
      files_->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(kernelHeaderStub(rest), path));
    else
      files_->addFile(path + "/.probecc-stub-dir", 0, llvm::MemoryBuffer::getMemBuffer("", path));
  }

  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> files_{new llvm::vfs::InMemoryFileSystem};
};

}  // namespace

CompileFiles::CompileFiles()
    : memory_(new llvm::vfs::InMemoryFileSystem),
      overlay_(new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem())) {
  overlay_->pushOverlay(memory_);
  if (auto cwd = llvm::vfs::getRealFileSystem()->getCurrentWorkingDirectory())
    memory_->setCurrentWorkingDirectory(*cwd);
}

void CompileFiles::add(const std::string &path, std::string contents) {
  memory_->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(contents, path));
}

void CompileFiles::addUnowned(const std::string &path, llvm::StringRef contents) {
  memory_->addFile(path, 0, llvm::MemoryBuffer::getMemBuffer(contents, path, /*RequiresNullTerminator=*/false));
}

void CompileFiles::addLibbpfHeaders(const std::string &libbpfIncludeDir) {
  for (const char *name : kLibbpfHeaders) {
    const std::string from = libbpfIncludeDir + "/bpf/" + name;
    if (auto buffer = llvm::MemoryBuffer::getFile(from))
      memory_->addFile(std::string(kVirtualIncludeDir) + "/bpf/" + name, 0, std::move(*buffer));
  }
}

void CompileFiles::enableKernelHeaderStubs() {
  overlay_->pushOverlay(llvm::makeIntrusiveRefCnt<KernelHeaderStubs>());
}

}  // namespace probecc
