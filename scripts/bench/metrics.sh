#!/usr/bin/env bash
# Benchmark (not a test): probecc --metrics with 10k series scraped every second.
#   - scrape latency (curl's total time) and series per scrape, and probecc's CPU while scraped
#     every second with no events;
#   - event output rate (perf buffer records printed per second) with and without scraping, side
#     by side in one run (there is no bpftrace equivalent of --metrics: the comparison is with
#     and without).
# A generator `mload` makes read(2)s of /dev/zero of sizes 2..SERIES+1 (one map key each: the series),
# then EVENTS 1-byte reads flat out (one perf event each).
#
#   PROBECC=path/to/probecc   binary to measure (default: build/probecc)
#   BENCH_SERIES=N            distinct keys, i.e. series (default 10000)
#   BENCH_EVENTS=N            events per output-rate run (default 300000)
#   BENCH_SCRAPES=N           scrapes, one a second, for latency and CPU (default 10)
set -euo pipefail

die() { echo "metrics.sh: $*" >&2; exit 1; }
root=$(cd "$(dirname "$0")/../.." && pwd)
PROBECC=${PROBECC:-$root/build/probecc}
SERIES=${BENCH_SERIES:-10000}
EVENTS=${BENCH_EVENTS:-300000}
SCRAPES=${BENCH_SCRAPES:-10}
[ "$(id -u)" -eq 0 ] || die "must run as root (loads BPF programs)"
[ -x "$PROBECC" ] || die "probecc not found at '$PROBECC'"
command -v curl >/dev/null || die "curl not found (scripts/setup.sh installs it)"
tmp=$(mktemp -d)
probecc_pid=
cleanup() { [ -n "$probecc_pid" ] && kill "$probecc_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export PROBECC_CACHE_DIR=$tmp/cache

cat >"$tmp/mload.c" <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {  /* mload SERIES EVENTS: prints the events' seconds */
  long series = atol(argv[1]), events = atol(argv[2]);
  static char buffer[1 << 20];
  int fd = open("/dev/zero", O_RDONLY);
  for (long size = 2; size <= series + 1; ++size) (void)!read(fd, buffer, size);  /* size 1 is the events' */
  double start = now();
  for (long i = 0; i < events; ++i) (void)!read(fd, buffer, 1);
  printf("%.6f\n", now() - start);
  return 0;
}
EOF
cc -O2 -o "$tmp/mload" "$tmp/mload.c"

cat >"$tmp/series.c" <<'EOF'
struct event { u32 size; };
BPF_HASH(series, u32, u64, 65536);
BPF_PERF_OUTPUT(events);
int tracepoint__syscalls__sys_enter_read(struct tracepoint__syscalls__sys_enter_read *args) {
  char comm[8] = {};
  bpf_get_current_comm(&comm, sizeof(comm));
  if (comm[0] != 'm' || comm[1] != 'l' || comm[2] != 'o' || comm[3] != 'a' || comm[4] != 'd' || comm[5]) return 0;
  u32 size = args->count;
  series.increment(size);
  if (size == 1) {
    struct event e = {size};
    events.perf_submit(args, &e, sizeof(e));
  }
  return 0;
}
EOF

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# start_probecc PORT OUT: probecc --metrics on PORT, its stdout in OUT; waits until it serves
start_probecc() {
  "$PROBECC" --no-maps --buffer-pages 1024 --metrics "127.0.0.1:$1" "$tmp/series.c" >"$2" 2>"$tmp/err" &
  probecc_pid=$!
  for _ in $(seq 200); do grep -q "serving metrics" "$tmp/err" 2>/dev/null && return; sleep 0.1; done
  cat "$tmp/err" >&2; die "probecc did not start"
}
stop_probecc() { kill -INT "$probecc_pid"; wait "$probecc_pid" || true; probecc_pid=; }

"$PROBECC" --dry-run "$tmp/series.c" 2>/dev/null || die "the benchmark program does not load"

# ---- scrape latency and CPU at SERIES series, one scrape a second ----------------------------
port=$(free_port)
start_probecc "$port" "$tmp/out0"
"$tmp/mload" "$SERIES" 0 >/dev/null
hz=$(getconf CLK_TCK)
ticks0=$(cpu_ticks "$probecc_pid"); t0=$(date +%s.%N)
latencies=()
for _ in $(seq "$SCRAPES"); do
  latencies+=("$(curl -s -o "$tmp/scrape" -w '%{time_total}' "http://127.0.0.1:$port/metrics")")
  sleep 1
done
ticks1=$(cpu_ticks "$probecc_pid"); t1=$(date +%s.%N)
series=$(grep -c '^probecc_series{' "$tmp/scrape" || true)
bytes=$(wc -c <"$tmp/scrape")
stop_probecc
sorted=$(printf '%s\n' "${latencies[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] * 1000}')
worst=$(echo "$sorted" | tail -1 | awk '{print $1 * 1000}')
cpu=$(awk -v a="$ticks0" -v b="$ticks1" -v hz="$hz" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.1f", 100 * (b - a) / hz / (t1 - t0)}')
echo "scrapes: $SCRAPES at 1/s of $series series ($bytes bytes): latency median ${median} ms, worst ${worst} ms; probecc CPU ${cpu}% of one core"

# ---- event output rate, without and with scraping ---------------------------------------------
rate_run() {  # rate_run SCRAPE(0|1): prints "events/s printed lost"
  local port out seconds printed scraper=
  port=$(free_port); out=$tmp/events.out
  start_probecc "$port" "$out"
  "$tmp/mload" "$SERIES" 0 >/dev/null
  if [ "$1" = 1 ]; then
    (while :; do curl -s -o /dev/null "http://127.0.0.1:$port/metrics"; sleep 1; done) &
    scraper=$!
    sleep 1.5
  fi
  seconds=$("$tmp/mload" 0 "$EVENTS")
  sleep 0.5
  [ -n "$scraper" ] && { kill "$scraper"; wait "$scraper" 2>/dev/null || true; }
  stop_probecc
  printed=$(grep -c '^size=1' "$out" || true)
  awk -v n="$printed" -v s="$seconds" -v e="$EVENTS" 'BEGIN {printf "%.0f %d %d", n / s, n, e - n}'
}
read -r without_rate without_n without_lost <<<"$(rate_run 0)"
read -r with_rate with_n with_lost <<<"$(rate_run 1)"
printf '%-26s %14s %10s %8s\n' "event output" "events/s" "printed" "lost"
printf '%-26s %14s %10s %8s\n' "without scraping" "$without_rate" "$without_n" "$without_lost"
printf '%-26s %14s %10s %8s\n' "scraped every second" "$with_rate" "$with_n" "$with_lost"
awk -v a="$with_rate" -v b="$without_rate" 'BEGIN {printf "ratio with/without: %.2f\n", a / b}'
