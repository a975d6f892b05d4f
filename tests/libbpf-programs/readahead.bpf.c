// probecc-args: -a kprobe:page_cache_ra_order=do_page_cache_ra
// Readahead pages: the loader picks which kernel function does readahead on this kernel.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} in_readahead SEC(".maps");

__u64 calls = 0;

SEC("kprobe/dummy_readahead")
int BPF_KPROBE(do_page_cache_ra)
{
	u32 pid = bpf_get_current_pid_tgid();
	u64 one = 1;

	bpf_map_update_elem(&in_readahead, &pid, &one, 0);
	__sync_fetch_and_add(&calls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
