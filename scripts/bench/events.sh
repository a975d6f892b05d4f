#!/usr/bin/env bash
# Benchmark (not a test): how many events per second probecc prints to stdout
# without loss on its ring buffer path (and, for comparison, its perf buffer
# path), against bpftrace printf() fed the same syscalls at the same rate.
#
# A small generator (C, built here) named `evload` makes 1-byte read(2)s of
# /dev/zero from one process, paced at a target rate or flat out. Each tool
# traces syscalls:sys_enter_read filtered on comm == "evload" and prints one
# line per read (pid, running counter n, comm). The counter is bumped in the
# kernel before the event is submitted, so the tool's final count of it is the
# number of events made, and events made - lines printed is what was lost,
# whatever the tool itself reports.
#
#   PROBECC=path/to/probecc   binary to measure (default: build/probecc)
#   BENCH_SECONDS=S           length of each paced step (default 2)
#   BENCH_RATES="R ..."       paced rates, events/s (default 25k .. 2.4M)
#   BENCH_SIZES="N ..."       flat-out run sizes (default "100000 300000 1000000")
#   BENCH_RING_PAGES=P        probecc's ring buffer, pages in all (default 1024)
#   BENCH_PERF_PAGES=P        perf buffer pages per CPU for probecc --buffer-pages
#                             and BPFTRACE_PERF_RB_PAGES (default: the ring's
#                             pages / CPUs, rounded down to a power of two)
#   BENCH_TIMEOUT=S           kill a run after S seconds (default 120)
#   BENCH_OUTPUT=printk       compare bpf_trace_printk instead: probecc's private printk
#                             (the session's ring buffer, --printk-pages = BENCH_RING_PAGES),
#                             probecc --trace-pipe (the kernel's shared pipe) and bpftrace printf
set -euo pipefail

die() { echo "events.sh: $*" >&2; exit 1; }

root=$(cd "$(dirname "$0")/../.." && pwd)
PROBECC=${PROBECC:-$root/build/probecc}
SECS=${BENCH_SECONDS:-2}
RATES=${BENCH_RATES:-25000 50000 100000 150000 200000 300000 400000 600000 800000 1200000 1600000 2400000}
SIZES=${BENCH_SIZES:-100000 300000 1000000}
RING_PAGES=${BENCH_RING_PAGES:-1024}
TIMEOUT=${BENCH_TIMEOUT:-120}
ncpu=$(nproc)
if [ -z "${BENCH_PERF_PAGES:-}" ]; then
  BENCH_PERF_PAGES=1
  while ((BENCH_PERF_PAGES * 2 * ncpu <= RING_PAGES)); do BENCH_PERF_PAGES=$((BENCH_PERF_PAGES * 2)); done
fi
PERF_PAGES=$BENCH_PERF_PAGES
for v in SECS RING_PAGES PERF_PAGES TIMEOUT; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
for v in $RATES $SIZES; do [[ $v =~ ^[1-9][0-9]*$ ]] || die "rates and sizes must be positive integers (got '$v')"; done
((RING_PAGES & (RING_PAGES - 1))) && die "BENCH_RING_PAGES must be a power of two (got $RING_PAGES)"
((PERF_PAGES & (PERF_PAGES - 1))) && die "BENCH_PERF_PAGES must be a power of two (got $PERF_PAGES)"

# ---- prerequisites ----------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "must run as root (loads BPF programs)"
[ -x "$PROBECC" ] && [ -s "$PROBECC" ] || die "probecc not found or not executable at '$PROBECC' (build it, or set PROBECC=)"
BPFTRACE=$(command -v bpftrace) || die "bpftrace not found in PATH (apt-get install bpftrace)"
CC=$(command -v cc || command -v gcc || command -v clang) || die "no C compiler (cc) for the load generator"
command -v timeout >/dev/null || die "timeout (coreutils) not found"
if [ ! -e /sys/kernel/tracing/trace_pipe ]; then
  mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
  [ -e /sys/kernel/tracing/trace_pipe ] || die "tracefs not available at /sys/kernel/tracing"
fi
[ -e /sys/kernel/tracing/events/syscalls/sys_enter_read ] || die "no syscalls:sys_enter_read tracepoint in this kernel"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PROBECC_CACHE_DIR=$tmp/cache   # private compile cache; /var/cache/probecc is never touched

# ---- load generator -----------------------------------------------------------
# evload RATE N: N read(2)s of 1 byte from /dev/zero, RATE per second in 1 ms
# ticks (RATE 0: flat out). Prints "START END" (CLOCK_REALTIME seconds) to fd 3.
cat >"$tmp/evload.c" <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
  if (argc != 3) return 2;
  long rate = atol(argv[1]), n = atol(argv[2]);
  int fd = open("/dev/zero", O_RDONLY);
  if (fd < 0) { perror("/dev/zero"); return 1; }
  char c;
  double start = now();
  struct timespec tick;
  clock_gettime(CLOCK_MONOTONIC, &tick);
  long done = 0, per_tick = rate / 1000 > 0 ? rate / 1000 : 1, tick_ns = rate >= 1000 ? 1000000 : rate ? 1000000000L / rate : 0;
  while (done < n) {
    long batch = rate ? per_tick : n;
    for (long i = 0; i < batch && done < n; ++i, ++done)
      if (read(fd, &c, 1) != 1) { perror("read"); return 1; }
    if (rate) {
      tick.tv_nsec += tick_ns;
      while (tick.tv_nsec >= 1000000000L) { tick.tv_nsec -= 1000000000L; tick.tv_sec++; }
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL);
    }
  }
  double end = now();
  FILE *out = fdopen(3, "w");
  if (out) { fprintf(out, "%.6f %.6f\n", start, end); fclose(out); }
  return 0;
}
EOF
"$CC" -O2 -o "$tmp/evload" "$tmp/evload.c" || die "could not build the load generator"
# The tools run this; it hands the generator's start/end times to $tmp/gen.times.
cat >"$tmp/load.sh" <<EOF
#!/bin/sh
exec "$tmp/evload" "\$1" "\$2" 3>"$tmp/gen.times"
EOF
chmod +x "$tmp/load.sh"

# ---- the programs -------------------------------------------------------------
# Shared by both probecc rows: filter on comm, count in the kernel, fill the event.
probe_head='
struct event { u32 pid; u64 n; char comm[16]; };
BPF_ARRAY(made, u64, 1);
static __always_inline int fill(struct event *e) {
  const char want[] = "evload";
  char comm[16];
  bpf_get_current_comm(&comm, sizeof(comm));
#pragma unroll
  for (int i = 0; i < sizeof(want); i++)
    if (comm[i] != want[i]) return 0;
  int zero = 0;
  u64 *made_so_far = made.lookup(&zero);
  if (!made_so_far) return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  e->n = __sync_fetch_and_add(made_so_far, 1);
  __builtin_memcpy(e->comm, comm, sizeof(e->comm));
  return 1;
}'
cat >"$tmp/ring.c" <<EOF
$probe_head
BPF_RINGBUF_OUTPUT(events, $RING_PAGES);
int tracepoint__syscalls__sys_enter_read(struct tracepoint__syscalls__sys_enter_read *args) {
  struct event e = {};
  if (!fill(&e)) return 0;
  struct event *slot = events.ringbuf_reserve(sizeof(*slot));
  if (!slot) return 0;
  *slot = e;
  events.ringbuf_submit(slot, 0);
  return 0;
}
EOF
cat >"$tmp/perf.c" <<EOF
$probe_head
BPF_PERF_OUTPUT(events);
int tracepoint__syscalls__sys_enter_read(struct tracepoint__syscalls__sys_enter_read *args) {
  struct event e = {};
  if (!fill(&e)) return 0;
  events.perf_submit(args, &e, sizeof(e));
  return 0;
}
EOF
cat >"$tmp/printk.c" <<EOF
$probe_head
int tracepoint__syscalls__sys_enter_read(struct tracepoint__syscalls__sys_enter_read *args) {
  struct event e = {};
  if (!fill(&e)) return 0;
  bpf_trace_printk("pid=%d n=%llu comm=%s\\n", e.pid, e.n, e.comm);
  return 0;
}
EOF
BT_PROG='tracepoint:syscalls:sys_enter_read /comm == "evload"/ { printf("pid=%d n=%d comm=%s\n", pid, @n++, comm); }'

ROWS=(probecc-ring probecc-perf bpftrace)
[ "${BENCH_OUTPUT:-events}" = printk ] && ROWS=(probecc-printk probecc-pipe bpftrace)
# tool_cmd ROW RATE N: the command line of one run (the generator is its -c command)
tool_cmd() {
  case $1 in
    probecc-ring) echo "$(printf '%q ' "$PROBECC" "$tmp/ring.c" -c "$tmp/load.sh $2 $3")" ;;
    probecc-printk) echo "$(printf '%q ' "$PROBECC" --printk-pages "$RING_PAGES" "$tmp/printk.c" -c "$tmp/load.sh $2 $3")" ;;
    probecc-pipe) echo "$(printf '%q ' "$PROBECC" --trace-pipe "$tmp/printk.c" -c "$tmp/load.sh $2 $3")" ;;
    probecc-perf) echo "$(printf '%q ' "$PROBECC" --buffer-pages "$PERF_PAGES" "$tmp/perf.c" -c "$tmp/load.sh $2 $3")" ;;
    bpftrace) echo "env BPFTRACE_PERF_RB_PAGES=$PERF_PAGES $(printf '%q ' "$BPFTRACE" -e "$BT_PROG" -c "/bin/sh $tmp/load.sh $2 $3")" ;;
  esac
}

# run ROW RATE N -> "made printed lost reported bad offered_per_s printed_per_s drain_s wall_s"
#   made: events the probe made (the kernel counter); printed: well-formed lines on stdout;
#   lost = made - printed; reported: what the tool said it lost (probecc's "were lost in all",
#   the sum of bpftrace's "Lost N events"); bad: lines that are neither events nor the tool's
#   own; offered/s: made / generator run time; printed/s: printed / (generator start -> tool
#   exited, so it includes draining the backlog); drain: generator end -> tool exited;
#   wall: the whole run, startup included.
run() {
  local row=$1 rate=$2 n=$3 rc=0 t0 t1
  rm -f "$tmp/gen.times"
  t0=$EPOCHREALTIME
  eval "timeout -k 5 $TIMEOUT $(tool_cmd "$row" "$rate" "$n")" >"$tmp/out" 2>"$tmp/err" || rc=$?
  t1=$EPOCHREALTIME
  if [ "$rc" -ne 0 ] || [ ! -s "$tmp/gen.times" ]; then
    echo "events.sh: $row (rate $rate, $n reads) failed (exit $rc$([ "$rc" -eq 124 ] && echo ": timed out after ${TIMEOUT}s")); its stderr:" >&2
    tail -n 20 "$tmp/err" >&2
    exit 1
  fi
  awk -v row="$row" -v t0="$t0" -v t1="$t1" -v times="$tmp/gen.times" -v errf="$tmp/err" '
    BEGIN { getline tl < times; split(tl, g, " "); gs = g[1]; ge = g[2]
            reported = 0
            while ((getline l < errf) > 0)
              if (l ~ /^probecc: [0-9]+ (events of .*|bpf_trace_printk lines) were lost in all/) { split(l, w, " "); reported += w[2] } }
    { sub(/^.*bpf_trace_printk: /, "") }                     # printk rows: the message alone
    /^pid=[0-9]+ n=[0-9]+ comm=evload$/ { printed++; split($2, kv, "="); if (kv[2] + 1 > maxn) maxn = kv[2] + 1; next }
    /^Lost [0-9]+ events$/ { reported += $2; next }          # bpftrace
    /^@n: [0-9]+$/ { made = $2; next }                       # bpftrace: the counter at exit
    /^made:$/ { inmade = 1; next }                           # probecc: the map at exit
    inmade && /^ *0 .* [0-9]+$/ { made = $NF; inmade = 0; next }
    /^Attaching [0-9]+ probe/ || /^$/ { next }
    { bad++ }
    END { if (made == "") made = maxn + 0      # fall back on the highest counter seen
          printf "%d %d %d %d %d %.0f %.0f %.2f %.2f\n", made, printed, made - printed, reported, bad,
                 made / (ge - gs), printed / (t1 - gs), t1 - ge, t1 - t0 }' "$tmp/out"
}

fmt_k() { awk -v v="$1" 'BEGIN { if (v >= 1e6) printf "%.2fM", v / 1e6; else printf "%.0fk", v / 1e3 }'; }

# ---- warm up (compile cache, bpftrace's first start), untimed ----------------
for row in "${ROWS[@]}"; do run "$row" 0 1000 >/dev/null; done

echo "events: syscalls:sys_enter_read (comm == \"evload\") -> one line per read on stdout (to a file)"
echo "kernel $(uname -r), $ncpu CPUs; probecc ring buffer $RING_PAGES pages ($((RING_PAGES * 4)) KiB);" \
     "perf buffers $PERF_PAGES pages/CPU (probecc --buffer-pages, BPFTRACE_PERF_RB_PAGES)"
echo "probecc: $PROBECC"
echo "bpftrace: $BPFTRACE ($("$BPFTRACE" --version 2>/dev/null | head -n1))"

hdr() { printf '%-13s %9s %9s %9s %9s %4s %10s %10s %7s %7s\n' row made printed lost reported bad offered/s printed/s drain_s wall_s; }
line() { printf '%-13s %9d %9d %9d %9d %4d %10d %10d %7.2f %7.2f\n' "$@"; }

# ---- paced ladder -------------------------------------------------------------
# Every row gets each rate for BENCH_SECONDS; a row leaves the ladder after its
# first step with a loss, or when the generator could not reach 90% of the rate
# under it (the probe's own cost then limits the rate, see the flat-out table).
declare -A BEST=() DONE=()
echo
echo "paced: each step ${SECS}s of reads at the target rate; rows interleaved"
n_rows=${#ROWS[@]}
step=0
for rate in $RATES; do
  left=0
  for row in "${ROWS[@]}"; do [ -z "${DONE[$row]:-}" ] && left=1; done
  [ "$left" -eq 1 ] || break
  echo
  echo "target $(fmt_k "$rate")/s, $((rate * SECS)) reads"
  hdr
  for ((j = 0; j < n_rows; j++)); do
    row=${ROWS[(step + j) % n_rows]}
    [ -z "${DONE[$row]:-}" ] || continue
    read -r made printed lost reported bad offered prate drain wall < <(run "$row" "$rate" $((rate * SECS)))
    line "$row" "$made" "$printed" "$lost" "$reported" "$bad" "$offered" "$prate" "$drain" "$wall"
    if [ "$lost" -gt 0 ]; then DONE[$row]="lost events at $(fmt_k "$rate")/s"
    elif awk -v o="$offered" -v r="$rate" 'BEGIN { exit !(o < 0.9 * r) }'; then
      BEST[$row]=$offered; DONE[$row]="generator reached only $(fmt_k "$offered")/s"
    else BEST[$row]=$offered
    fi
  done
  step=$((step + 1))
done

# ---- flat out -----------------------------------------------------------------
echo
echo "flat out: the generator reads as fast as it can under each tool's probe"
declare -A FLAT_RATE=() FLAT_LOST=() FLAT_MADE=()
for n in $SIZES; do
  echo
  echo "$n reads"
  hdr
  for ((j = 0; j < n_rows; j++)); do
    row=${ROWS[(step + j) % n_rows]}
    read -r made printed lost reported bad offered prate drain wall < <(run "$row" 0 "$n")
    line "$row" "$made" "$printed" "$lost" "$reported" "$bad" "$offered" "$prate" "$drain" "$wall"
    FLAT_RATE[$row]=$prate FLAT_LOST[$row]=$lost FLAT_MADE[$row]=$made
  done
  step=$((step + 1))
done

# ---- summary ------------------------------------------------------------------
largest=${SIZES##* }
pct() { awk -v l="$1" -v m="$2" 'BEGIN { printf "%.1f%%", m ? 100 * l / m : 0 }'; }
echo
echo "summary (flat out = the $largest-read run)"
printf '%-13s %16s   %-40s %15s %22s\n' row "lossless up to" "(ladder ended)" "flat printed/s" "flat lost"
for row in "${ROWS[@]}"; do
  printf '%-13s %14s/s   %-40s %13s/s %22s\n' "$row" "$(fmt_k "${BEST[$row]:-0}")" "(${DONE[$row]:-ran every rate})" \
    "$(fmt_k "${FLAT_RATE[$row]}")" "${FLAT_LOST[$row]}/${FLAT_MADE[$row]} ($(pct "${FLAT_LOST[$row]}" "${FLAT_MADE[$row]}"))"
done
echo
for row in "${ROWS[@]}"; do
  [ "$row" = bpftrace ] && continue
  awk -v n="$row" -v a="${BEST[$row]:-0}" -v b="${BEST[bpftrace]:-0}" -v c="${FLAT_RATE[$row]}" -v d="${FLAT_RATE[bpftrace]}" \
      -v la="${FLAT_LOST[$row]}" -v lb="${FLAT_LOST[bpftrace]}" -v ma="${FLAT_MADE[$row]}" -v mb="${FLAT_MADE[bpftrace]}" \
    'BEGIN { printf "%s/bpftrace: lossless rate %s, flat-out printed/s %.2fx, flat-out lost %d vs %d (%.1f%% vs %.1f%%)\n",
             n, b ? sprintf("%.2fx", a / b) : "n/a", d ? c / d : 0, la, lb, ma ? 100 * la / ma : 0, mb ? 100 * lb / mb : 0 }'
done
