#!/usr/bin/env probecc
// Prints every file removed on the system, with the process that removed it.
// Runs on any kernel with syscall tracepoints; try: probecc scripts/examples/unlink.c -c 'touch /tmp/x; rm /tmp/x'
int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args)
{
    char comm[TASK_COMM_LEN];
    bpf_get_current_comm(&comm, sizeof(comm));
    bpf_trace_printk("%s removes %s\n", comm, (const char *)args->args[1]);
    return 0;
}
