// probecc-args: --set do_count=true --set filter_ports_len=1
// Active TCP connects: the socket saved at entry, read at return; a runtime-sized count map.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#define TASK_COMM_LEN 16
#define MAX_PORTS 64

struct ipv4_flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 dport;
};

const volatile int filter_ports[MAX_PORTS];
const volatile int filter_ports_len = 0;
const volatile uid_t filter_uid = -1;
const volatile pid_t filter_pid = 0;
const volatile bool do_count = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct sock *);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 0);
	__type(key, struct ipv4_flow_key);
	__type(value, u64);
} ipv4_count SEC(".maps");

static __always_inline bool filter_port(__u16 port)
{
	int i;

	if (filter_ports_len == 0)
		return false;
	for (i = 0; i < filter_ports_len && i < MAX_PORTS; i++) {
		if (port == filter_ports[i])
			return false;
	}
	return true;
}

SEC("kprobe/tcp_v4_connect")
int BPF_KPROBE(tcp_v4_connect, struct sock *sk)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 pid = pid_tgid >> 32;
	__u32 tid = pid_tgid;
	__u32 uid;

	if (filter_pid && pid != filter_pid)
		return 0;
	uid = bpf_get_current_uid_gid();
	if (filter_uid != (uid_t)-1 && uid != filter_uid)
		return 0;
	bpf_map_update_elem(&sockets, &tid, &sk, 0);
	return 0;
}

SEC("kretprobe/tcp_v4_connect")
int BPF_KRETPROBE(tcp_v4_connect_ret, int ret)
{
	__u32 tid = bpf_get_current_pid_tgid();
	struct sock **skpp;
	struct sock *sk;
	__u16 dport;

	skpp = bpf_map_lookup_elem(&sockets, &tid);
	if (!skpp)
		return 0;
	if (ret)
		goto end;
	sk = *skpp;
	dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
	if (filter_port(dport))
		goto end;
	if (do_count) {
		struct ipv4_flow_key key = {};
		static __u64 zero;
		__u64 *val;
		BPF_CORE_READ_INTO(&key.saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO(&key.daddr, sk, __sk_common.skc_daddr);
		key.dport = dport;
		val = bpf_map_lookup_elem(&ipv4_count, &key);
		if (!val) {
			bpf_map_update_elem(&ipv4_count, &key, &zero, BPF_NOEXIST);
			val = bpf_map_lookup_elem(&ipv4_count, &key);
			if (!val)
				goto end;
		}
		__atomic_add_fetch(val, 1, __ATOMIC_RELAXED);
	}
end:
	bpf_map_delete_elem(&sockets, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
