// Reads and writes per process, keyed by the program's own enum op { READ, WRITE } (its header).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "include/rwcount.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct rw_key);
	__type(value, __u64);
} counts SEC(".maps");

static int count(enum op op)
{
	struct rw_key key = { .pid = bpf_get_current_pid_tgid() >> 32, .op = op };
	__u64 one = 1, *value = bpf_map_lookup_elem(&counts, &key);
	if (value)
		__sync_fetch_and_add(value, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_read")
int on_read(void *ctx) { return count(READ); }

SEC("tracepoint/syscalls/sys_enter_write")
int on_write(void *ctx) { return count(WRITE); }

char LICENSE[] SEC("license") = "GPL";
