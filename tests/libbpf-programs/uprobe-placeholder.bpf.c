// probecc-args: -a uprobe:/lib/x86_64-linux-gnu/libc.so.6:malloc=uprobe_add -a uretprobe:/lib/x86_64-linux-gnu/libc.so.6:malloc=uretprobe_add
// The libbpf-bootstrap uprobe shape: SEC("uprobe") with no target, attached by the loader.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("uprobe")
int BPF_KPROBE(uprobe_add, size_t size)
{
	bpf_printk("malloc ENTRY: size = %lu", size);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(uretprobe_add, void *ret)
{
	bpf_printk("malloc EXIT: return = %p", ret);
	return 0;
}
