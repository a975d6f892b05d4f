// A kfunc called without a declaration of its own: vmlinux.h declares it (as bpftool's does).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *task = bpf_task_from_pid(parent->pid);
	if (!task)
		return 0;
	bpf_printk("fork from %d (%s)", task->pid, task->comm);
	bpf_task_release(task);
	return 0;
}
