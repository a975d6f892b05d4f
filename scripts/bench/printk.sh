#!/usr/bin/env bash
# Benchmark (not a test): bpf_trace_printk lines printed per second, and lines lost, by probecc's
# private printk (the session's ring buffer), by probecc --trace-pipe (the kernel's trace_pipe),
# and by bpftrace printf(), for the same flat-out load: N 1-byte read(2)s of /dev/zero by `dd`,
# one line per read (sys_enter_read filtered on comm "dd"). Ratios are against bpftrace.
#
#   PROBECC=path/to/probecc   binary to measure (default: build/probecc)
#   BENCH_READS="N ..."       reads per run (default "100000 300000")
#   BENCH_PRINTK_PAGES=P      probecc --printk-pages (default 2048)
set -euo pipefail
die() { echo "printk.sh: $*" >&2; exit 1; }
root=$(cd "$(dirname "$0")/../.." && pwd)
PROBECC=${PROBECC:-$root/build/probecc}
READS=${BENCH_READS:-100000 300000}
PAGES=${BENCH_PRINTK_PAGES:-2048}
[ "$(id -u)" -eq 0 ] || die "must run as root (loads BPF programs)"
[ -x "$PROBECC" ] || die "probecc not found at '$PROBECC' (build it, or set PROBECC=)"
BPFTRACE=$(command -v bpftrace) || die "bpftrace not found in PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PROBECC_CACHE_DIR=$tmp/cache

cat >"$tmp/probe.c" <<'C'
int tracepoint__syscalls__sys_enter_read(struct trace_event_raw_sys_enter *args) {
  char comm[16];
  bpf_get_current_comm(comm, sizeof(comm));
  if (comm[0] != 'd' || comm[1] != 'd' || comm[2] != 0) return 0;
  bpf_trace_printk("read fd=%d n=%lu\n", (int)args->args[0], args->args[2]);
  return 0;
}
C
bt='tracepoint:syscalls:sys_enter_read /comm == "dd"/ { printf("read fd=%d n=%lu\n", args->fd, args->count); }'

# run NAME READS CMD...: the tool traces while dd makes READS reads; prints "lines seconds"
run() {
  local name=$1 n=$2; shift 2
  local start end
  start=$(date +%s.%N)
  "$@" -c "$(command -v dd) if=/dev/zero of=/dev/null bs=1 count=$n status=none" >"$tmp/$name.out" 2>"$tmp/$name.err" || true
  end=$(date +%s.%N)
  echo "$(grep -c 'read fd=0 n=1' "$tmp/$name.out" || true) $(echo "$end - $start" | bc -l)"
}
"$PROBECC" -n "$tmp/probe.c" 2>/dev/null || die "probecc cannot load the probe"   # fills the cache
printf '%-22s %9s %9s %9s %12s %8s\n' tool reads printed lost lines/s ratio
for n in $READS; do
  read -r bl bs < <(run bpftrace "$n" "$BPFTRACE" -q -e "$bt")
  brate=$(echo "$bl / $bs" | bc -l)
  for tool in private trace-pipe bpftrace; do
    case $tool in
      private) read -r l s < <(run private "$n" "$PROBECC" --printk-pages "$PAGES" "$tmp/probe.c") ;;
      trace-pipe) read -r l s < <(run tracepipe "$n" "$PROBECC" --trace-pipe "$tmp/probe.c") ;;
      bpftrace) l=$bl s=$bs ;;
    esac
    rate=$(echo "$l / $s" | bc -l)
    printf '%-22s %9d %9d %9d %12.0f %8.2f\n' "$([ $tool = bpftrace ] && echo bpftrace || echo probecc $tool)" "$n" "$l" $((n - l)) "$rate" "$(echo "$rate / $brate" | bc -l)"
  done
done
echo "(lines/s: lines printed over the run's wall time, start-up included; ratio: against bpftrace)"
