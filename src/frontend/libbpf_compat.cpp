#include "frontend/libbpf_compat.h"

namespace probecc {
namespace {

constexpr std::string_view kDefinitions = R"(
/* ---- newer libbpf's macros, where this system's libbpf headers lack them ---- */
/* uprobes read their arguments from the registers as kprobes do */
#ifndef BPF_UPROBE
#define BPF_UPROBE(name, args...) BPF_KPROBE(name, ##args)
#endif
#ifndef BPF_URETPROBE
#define BPF_URETPROBE(name, args...) BPF_KRETPROBE(name, ##args)
#endif
/* the sixth argument (x86_64's r9) */
#if defined(__TARGET_ARCH_x86) && !defined(PT_REGS_PARM6)
#define PT_REGS_PARM6(x) (((const struct pt_regs *)(x))->r9)
#define PT_REGS_PARM6_CORE(x) BPF_CORE_READ((const struct pt_regs *)(x), r9)
#endif
/* whether a __weak __ksym symbol (a kfunc, a kernel variable) exists on this kernel */
#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) \
  ({ _Static_assert(!__builtin_constant_p(!!(sym)), #sym " must be declared __weak"); !!(sym); })
#endif
/* global (BPF-to-BPF) function argument annotations */
#ifndef __arg_ctx
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#endif
#ifndef __arg_nonnull
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))
#endif
#ifndef __arg_nullable
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))
#endif
#ifndef __arg_trusted
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#endif
#ifndef __arg_arena
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))
#endif
/* kernel pointers kept in maps, and the node types of BPF-owned collections */
#ifndef __kptr_untrusted
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#endif
#ifndef __percpu_kptr
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
#endif
#ifndef __uptr
#define __uptr __attribute__((btf_type_tag("uptr")))
#endif
#ifndef __contains
#define __contains(name, node) __attribute__((btf_decl_tag("contains:" #name ":" #node)))
#endif
/* a kernel pointer read as a BTF type (the kfunc bpf_rdonly_cast) */
#ifndef bpf_core_cast
#define bpf_core_cast(ptr, type) ((__typeof__(type) *)bpf_rdonly_cast((ptr), bpf_core_type_id_kernel(type)))
#endif
/* open-coded iterators over the kernel's bpf_iter_* kfuncs: the iterator lives on the stack and
   is destroyed when the loop's scope ends */
#ifndef bpf_for_each
#define bpf_for_each(type, cur, args...) \
  for (struct bpf_iter_##type ___probecc_it __attribute__((aligned(8), cleanup(bpf_iter_##type##_destroy))), \
       *___probecc_once __attribute__((unused)) = \
           (bpf_iter_##type##_new(&___probecc_it, ##args), (void)bpf_iter_##type##_destroy, (void *)0); \
       ((cur) = bpf_iter_##type##_next(&___probecc_it));)
#endif
#ifndef bpf_for
#define bpf_for(i, start, end) \
  for (struct bpf_iter_num ___probecc_it __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
       *___probecc_once __attribute__((unused)) = \
           (bpf_iter_num_new(&___probecc_it, (start), (end)), (void)bpf_iter_num_destroy, (void *)0); \
       ({ int *___probecc_i = bpf_iter_num_next(&___probecc_it); \
          ___probecc_i ? ((i) = *___probecc_i, (i) >= (start) && (i) < (end)) : 0; });)
#endif
#ifndef bpf_repeat
#define bpf_repeat(n) \
  for (struct bpf_iter_num ___probecc_it __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
       *___probecc_once __attribute__((unused)) = \
           (bpf_iter_num_new(&___probecc_it, 0, (n)), (void)bpf_iter_num_destroy, (void *)0); \
       bpf_iter_num_next(&___probecc_it);)
#endif
)";

}  // namespace

std::string_view libbpfCompatDefinitions() { return kDefinitions; }

}  // namespace probecc
