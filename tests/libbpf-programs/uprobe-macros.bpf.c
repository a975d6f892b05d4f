// Newer libbpf's BPF_UPROBE / BPF_URETPROBE on libc's malloc and free.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} sizes SEC(".maps");

SEC("uprobe/libc.so.6:malloc")
int BPF_UPROBE(malloc_enter, size_t size)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 value = size;
	bpf_map_update_elem(&sizes, &tid, &value, BPF_ANY);
	return 0;
}

SEC("uretprobe/libc.so.6:malloc")
int BPF_URETPROBE(malloc_exit, void *ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 *size = bpf_map_lookup_elem(&sizes, &tid);
	if (size) {
		bpf_printk("malloc(%llu) = %p", *size, ret);
		bpf_map_delete_elem(&sizes, &tid);
	}
	return 0;
}
