// BPF_KSYSCALL: a syscall's arguments whatever this kernel's syscall wrappers look like.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("ksyscall/kill")
int BPF_KSYSCALL(entry_probe, pid_t pid, int sig)
{
	char comm[16];

	if (sig == 0)
		return 0;
	bpf_get_current_comm(&comm, sizeof(comm));
	bpf_printk("KILL syscall called by PID %d (%s) for PID %d with sig %d",
		   bpf_get_current_pid_tgid() >> 32, comm, pid, sig);
	return 0;
}
