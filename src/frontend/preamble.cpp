#include "frontend/preamble.h"

#include "frontend/bcc_maps.h"
#include "frontend/kernel_build_defines.h"
#include "frontend/kernel_config.h"
#include "frontend/kernel_macros.h"
#include "frontend/libbpf_compat.h"
#include "frontend/load_time_kernel_facts.h"

namespace probecc {
namespace {

// Kernel headers contain x86 asm that BPF cannot express; like BCC, neutralise the constructs
// that would otherwise be emitted into probe code.
constexpr const char *kHeadersDirTypes = R"(
#define asm_volatile_goto(x...) asm volatile("invalid use of asm_volatile_goto")
#define asm_goto_output(x...) asm volatile("invalid use of asm_goto_output")
#define asm_inline asm
#include <linux/kconfig.h>
)";
constexpr const char *kHeadersDirTypesAfterKconfig = R"(
#include <linux/version.h> /* as BCC's helpers.h: programs pick private structs' layouts by version */
#include <linux/types.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <uapi/linux/bpf.h>
)";

// BTF-only kernels: vmlinux.h has every type but none of the macros; define the ones BCC
// programs commonly use. Kernel #includes resolve to empty stubs (see compile_files.cpp).
constexpr const char *kExactOffsets = R"(
/* The types come from the running kernel's own BTF and compiled objects are cached per kernel, so
   field offsets are exact: no CO-RE relocations are needed, and libbpf does not load the kernel's
   BTF to apply them (half of a cached run's start-up). BPF_CORE_READ and friends still relocate.
   A portable program (a package) leaves this out: vmlinux.h's records then preserve their access
   indices, and every kernel-type access is a CO-RE relocation, resolved on the loading kernel. */
#define BPF_NO_PRESERVE_ACCESS_INDEX
)";
constexpr const char *kBtfTypes = R"(
#include "vmlinux.h"
#define __user
#define __kernel
#define __force
#define __iomem
#define __rcu
#define __percpu
#ifndef offsetof
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
)";

constexpr const char *kCommon = R"(
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* BCC's bpf_trace_printk takes the format alone; the kernel's wants its size too. */
#undef bpf_trace_printk
#define bpf_trace_printk(fmt, ...) \
  ({ static const char ____probecc_fmt[] = fmt; \
     _Static_assert(__probecc_count_args(__VA_ARGS__) <= 3, \
                    "bpf_trace_printk takes at most 3 arguments after the format"); \
     ((long (*)(const char *, __u32, ...))6)(____probecc_fmt, sizeof(____probecc_fmt), ##__VA_ARGS__); })
/* libbpf's bpf_printk passes an array and its size: call the helper itself, not the BCC form. */
#undef __bpf_printk
#define __bpf_printk(fmt, ...) \
  ({ static const char ____fmt[] = fmt; \
     ((long (*)(const char *, __u32, ...))6)(____fmt, sizeof(____fmt), ##__VA_ARGS__); })
/* The session's own printk channel; the compiler routes bpf_trace_printk here (or removes it, with
   --trace-pipe or when nothing prints). The loader sizes it. */
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } __probecc_printk__map SEC(".maps");
__u64 __probecc_lost____probecc_printk SEC(".bss");
__u32 __probecc_printk_self SEC(".bss"); /* probecc's own pid: what it does while tracing prints nothing */
#define __probecc_count_args(...) __probecc_count_args_(0, ##__VA_ARGS__, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define __probecc_count_args_(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, n, ...) n

/* A kernel address that probecc prints as the function it is in (map keys, event members):
   BPF_HASH(calls, probecc_ksym_t); ... calls.increment(PT_REGS_IP(ctx)); */
typedef __u64 probecc_ksym_t;
/* Map members probecc reads back: a stack map's id, printed as the stack it names (a user stack
   symbolised in the process a probecc_pid_t member of the same entry names). */
typedef int probecc_kstack_id_t;
typedef int probecc_ustack_id_t;
typedef __u32 probecc_pid_t;

/* BPF_LICENSE(NAME); in the program, or -DBPF_LICENSE=NAME as BCC takes it (commandLineLicense) */
#ifndef BPF_LICENSE
#define BPF_LICENSE(name) char _license[] SEC("license") = #name
#endif

/* BCC's probe-definition macros */
#define TRACEPOINT_PROBE(category, event) \
  int tracepoint__##category##__##event(struct tracepoint__##category##__##event *args)
#define RAW_TRACEPOINT_PROBE(event) int raw_tracepoint__##event(struct bpf_raw_tracepoint_args *ctx)
/* fentry/fexit/LSM: typed arguments straight from BTF, through libbpf's BPF_PROG */
#define KFUNC_PROBE(event, args...) int BPF_PROG(kfunc__vmlinux__##event, ##args)
#define KRETFUNC_PROBE(event, args...) int BPF_PROG(kretfunc__vmlinux__##event, ##args)
#define LSM_PROBE(hook, args...) int BPF_PROG(lsm__##hook, ##args)
)";

}  // namespace

std::string commandLineLicense(const std::vector<std::string> &defines) {
  std::string license;
  for (const auto &define : defines)
    if (define.starts_with("BPF_LICENSE=")) license = define.substr(12);
  if (license.empty()) return "";
  std::string quoted;
  for (char c : license) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return "char _license[] __attribute__((section(\"license\"), used)) = \"" + quoted + "\";\n";
}

bool isLibbpfStyle(const ProgramFacts &program) {
  return program.includesHeader("vmlinux.h") || program.includesHeader("bpf/bpf_helpers.h");
}

std::string buildPreamble(const KernelTypes &kernel) {
  std::string preamble = "#pragma clang system_header\n#define __PROBECC__ 1\n";
  const bool btf = kernel.source == KernelTypes::Source::Btf;
  if (!btf)
    preamble += kHeadersDirTypes + kernelBuildDefines() + kHeadersDirTypesAfterKconfig;
  else if (kernel.portable)
    preamble += std::string(kBtfTypes) + btfKernelMacros();
  else
    preamble += kernelConfigMacros(readKernelConfig(kernel.configPath)) + kExactOffsets + kBtfTypes +
                btfKernelMacros() + kernelVersionMacros(kernel.release);
  preamble += kCommon;
  preamble += libbpfCompatDefinitions();
  if (btf && kernel.portable) preamble += loadTimeKernelFacts();
  preamble += bccMapDeclarations();
  return preamble;
}

}  // namespace probecc
