#pragma once
// The kernel macros BCC programs use that BTF cannot carry (kernel BTF has types and enums, no
// macros), for the BTF-mode preamble: constants generated from a real headers tree
// (kernel_constants.inc, see scripts/gen-kernel-constants.sh) and the expression macros
// (min, htons, TCP_SKB_CB, ...) written over BTF's types; and the member-renaming macros
// (sk_daddr, inet_dport) a kernel header defines, for the empty header stubs of BTF mode.
#include <string>
#include <string_view>

namespace probecc {

std::string btfKernelMacros();

// What the headers' generated <linux/version.h> says, for the release `uname -r` gives
// ("6.1.0-18-amd64"): LINUX_VERSION_CODE (its sublevel capped at 255, as the kernel's is) and
// LINUX_VERSION_MAJOR/PATCHLEVEL/SUBLEVEL; nothing for a release that does not start X.Y.
std::string kernelVersionMacros(const std::string &release);

// What the stub of kernel header `header` ("net/sock.h") defines in BTF mode: the macro groups
// that header defines, or includes the header of, in a kernel tree; "" for most headers.
std::string kernelHeaderStub(std::string_view header);

// #undefs of every macro btfKernelMacros() defines, and of BCC's bpf_trace_printk, increment and
// lock_xadd: a libbpf-style
// program (vmlinux.h, bpf/bpf_helpers.h) expects none of them, as bpftool's vmlinux.h has none.
std::string bccMacroUndefines();

// READ and WRITE (the kernel's I/O directions, in btfKernelMacros) are too generic for a program
// that names them itself, as libbpf-tools' filetop does with `enum op { READ, WRITE }` (the
// program's parse decides: TypeNames::ownsReadWrite): #undefs of the two after the preamble.
inline constexpr const char *kReadWriteUndefines = "#undef READ\n#undef WRITE\n";

}  // namespace probecc
