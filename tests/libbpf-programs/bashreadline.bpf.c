// probecc-args: -a uretprobe:/bin/bash:readline=printret
// Lines typed into bash; the loader finds the shell (SEC names only the symbol).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define TASK_COMM_LEN 16
#define MAX_LINE_SIZE 80

struct str_t {
	__u32 pid;
	char comm[TASK_COMM_LEN];
	char str[MAX_LINE_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("uretprobe/readline")
int BPF_KRETPROBE(printret, const void *ret)
{
	struct str_t data;
	char comm[TASK_COMM_LEN];

	if (!ret)
		return 0;
	bpf_get_current_comm(&comm, sizeof(comm));
	if (comm[0] != 'b' || comm[1] != 'a' || comm[2] != 's' || comm[3] != 'h' || comm[4] != 0)
		return 0;
	data.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_probe_read_user_str(&data.str, sizeof(data.str), ret);
	__builtin_memcpy(&data.comm, comm, sizeof(comm));
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &data, sizeof(data));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
