#include "frontend/bcc_dialect_help.h"

namespace probecc {

std::string bccDialectHelp() {
  return "  headers     <bcc/proto.h>, <bcc/helpers.h> and kernel includes (<linux/sched.h>, <net/sock.h>, ...)\n"
         "  BTF mode    the kernel macros BTF lacks: ~470 constants from real headers (errno, TASK_COMM_LEN,\n"
         "              DNAME_INLINE_LEN, TC_ACT_*, ...), min/max/min_t, htons/ntohl, sk_daddr & co.,\n"
         "              TCP_SKB_CB, PAGE_OFFSET (the kernel's page_offset_base), CONFIG_* (from\n"
         "              /proc/config.gz), IS_ENABLED, LINUX_VERSION_CODE; structs a program defines\n"
         "              itself win over BTF's\n"
         "  arguments   kprobe, uprobe and syscall__ functions may name the probed function's arguments\n"
         "              after ctx; return probes read them from the registers, as BCC's do\n"
         "  maps        BPF_HASH, BPF_ARRAY, BPF_HISTOGRAM (also keyed by a struct), BPF_PERCPU_*,\n"
         "              BPF_LRU_HASH, BPF_LPM_TRIE, BPF_QUEUE, BPF_STACK, BPF_PROG_ARRAY (filled with\n"
         "              BPF_PROG_ARRAY_SLOTS(name, [i] = fn, ...)), BPF_ARRAY_OF_MAPS, BPF_HASH_OF_MAPS,\n"
         "              BPF_TABLE_PUBLIC/_SHARED/_PINNED, BPF_PERF_ARRAY, BPF_CGROUP_ARRAY,\n"
         "              BPF_STACK_TRACE(_BUILDID), BPF_PERF_OUTPUT, BPF_RINGBUF_OUTPUT; printed at exit\n"
         "  not BCC's   Python side: attach_* calls become -a, text substitutions -D\n";
}

}  // namespace probecc
