#!/usr/bin/env bash
# Benchmark (not a test): attaching one program to every kprobe:vfs_* function (100+ of them), probecc
# against bpftrace, in the QEMU guest (real kprobes; see tests/vm). Each run attaches, runs `true`
# and exits; the table gives the medians of wall time and how many probes each tool attached.
#
#   scripts/bench/attach-many.sh             BENCH_RUNS=5 rounds, interleaved
#   BENCH_PATTERN='tcp_*'                    another pattern
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${BENCH_RUNS:-5}
pattern=${BENCH_PATTERN:-vfs_*}
vm_dir=${PROBECC_VM_DIR:-/var/tmp/probecc-vm}
export PROBECC_VM_DIR=$vm_dir PROBECC_VM_TIMEOUT=${PROBECC_VM_TIMEOUT:-900}
"$root/scripts/vm/guest.sh" setup >/dev/null
command -v bpftrace >/dev/null || apt-get install -y -qq -o DPkg::Lock::Timeout=600 bpftrace >/dev/null

# The guest sees the host's / read-only and gets fresh tmpfs over /tmp: stage in the shared directory.
rw=$vm_dir/bench-attach
rm -rf "$rw"; mkdir -p "$rw"
cp "$root/build/probecc" "$root/build/libprobecc-compiler.so" "$rw/"
cat >"$rw/run.sh" <<GUEST
set -u
cd "$rw"
export PROBECC_CACHE_DIR=/tmp/probecc-cache
prog='BPF_HASH(calls, probecc_ksym_t); int count(struct pt_regs *ctx) { calls.increment(PT_REGS_IP(ctx)); return 0; }'
ms() { awk -v a="\$1" -v b="\$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
./probecc -e "\$prog" -a 'kprobe:$pattern=count' -c /bin/true >/dev/null 2>&1  # compile once: the cache is warm
for i in \$(seq $runs); do
  t0=\$EPOCHREALTIME; ./probecc -v -e "\$prog" -a 'kprobe:$pattern=count' -c /bin/true >/dev/null 2>probecc.err; t1=\$EPOCHREALTIME
  echo "probecc \$(ms \$t0 \$t1) \$(sed -n 's/.*attached \([0-9]*\) of .*/\1/p' probecc.err | head -n1)"
  t0=\$EPOCHREALTIME; bpftrace -e 'kprobe:$pattern { @[func] = count(); }' -c /bin/true >bpftrace.out 2>&1; t1=\$EPOCHREALTIME
  echo "bpftrace \$(ms \$t0 \$t1) \$(sed -n 's/^Attaching \([0-9]*\) probes.*/\1/p' bpftrace.out | head -n1)"
done > results
GUEST
"$root/scripts/vm/guest.sh" run "$rw/run.sh" "$rw" >"$rw/console.log" 2>&1 || { tail -n 30 "$rw/console.log"; exit 1; }
echo "kprobe:$pattern in the guest ($("$root/scripts/vm/guest.sh" kv), TCG), $runs runs each: attach, run true, exit"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
declare -A med
for tool in probecc bpftrace; do
  med[$tool]=$(awk -v t="$tool" '$1 == t { print $2 }' "$rw/results" | median)
  printf '%-9s median %6d ms, %s probes attached\n' "$tool" "${med[$tool]}" "$(awk -v t="$tool" '$1 == t { n = $3 } END { print n }' "$rw/results")"
done
awk -v a="${med[probecc]}" -v b="${med[bpftrace]}" 'BEGIN { if (b) printf "probecc/bpftrace: %.2fx the time\n", a / b }'
