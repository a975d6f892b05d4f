#!/usr/bin/env bash
# Benchmark (not a test): start -> attached -> exit for the same tracepoint
# one-liner in probecc and in bpftrace. Runs every row BENCH_RUNS times
# (default 15), interleaving the rows run by run (order rotated each round) so
# machine load affects all rows equally, and prints median/min/max wall time,
# median peak RSS, and each row's ratio to the bpftrace row.
#
#   PROBECC=path/to/probecc   binary to measure (default: build/probecc)
#   BENCH_RUNS=N              measured runs per row (default 15)
#   BENCH_WARMUP=N            unmeasured runs per row first (default 1)
#   BENCH_ROWS='a b'          only these rows (and bpftrace), e.g. 'probecc-hit probecc-package' on a
#                             busy machine, where the cold row's background type-cache build crawls at nice 19
#
# Adding a row: `add_row NAME CMD...` below (optionally `row_setup NAME CMD...`
# for an untimed command run before every run of that row, e.g. clearing a
# cache, and `row_after NAME CMD...` for one run after it). Wall time is taken in-shell with $EPOCHREALTIME around
# `/usr/bin/time -f '%e %M' CMD`; peak RSS is time's %M (KiB).
set -euo pipefail

bench=startup.sh
root=$(cd "$(dirname "$0")/../.." && pwd)
PROBECC=${PROBECC:-$root/build/probecc}
source "$root/scripts/bench/rows.sh"

# ---- prerequisites ----------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "must run as root (loads BPF programs)"
[ -x "$PROBECC" ] || die "probecc not found or not executable at '$PROBECC' (build it, or set PROBECC=)"
BPFTRACE=$(command -v bpftrace) || die "bpftrace not found in PATH (apt-get install bpftrace)"
ensure_time
if [ ! -e /sys/kernel/tracing/trace_pipe ]; then
  mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
  [ -e /sys/kernel/tracing/trace_pipe ] || die "tracefs not available at /sys/kernel/tracing"
fi

# ---- rows -------------------------------------------------------------------
PROBECC_PROG='int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args) { bpf_trace_printk("unlink %s\n", (char *)args->args[1]); return 0; }'
BPFTRACE_PROG='tracepoint:syscalls:sys_enter_unlinkat { printf("unlink %s\n", str(args->pathname)); } BEGIN { exit(); }'

# probecc's compile cache (a private one, so the benchmark never touches /var/cache/probecc):
#   cold: empty cache: program compiled with only the kernel types it names; the kernel types are
#         precompiled by a detached builder afterwards, which the row waits for untimed (its
#         lock, kernel-types.lock) so that it never runs during another row
#   warm: precompiled kernel types present, program not cached: the compiler parses the program only
#   hit:  program cached: loaded without loading the compiler at all
cache_root=$(mktemp -d)
export PROBECC_CACHE_DIR=$cache_root/cache
add_row probecc-cold "$PROBECC" -e "$PROBECC_PROG" -c true
row_setup probecc-cold "$PROBECC" --clear-cache
row_after probecc-cold flock "$PROBECC_CACHE_DIR/kernel-types.lock" true
add_row probecc-warm "$PROBECC" -e "$PROBECC_PROG" -c true
row_setup probecc-warm find "$cache_root" -name '*.obj' -delete
add_row probecc-hit "$PROBECC" -e "$PROBECC_PROG" -c true
# package: the same program as a package (--emit package), run by the runtime alone (a copy of
#          probecc with no compiler library): CO-RE relocations are fitted to this kernel's BTF
runtime_dir=$cache_root/runtime
mkdir -p "$runtime_dir" && cp "$PROBECC" "$runtime_dir/probecc"
printf '%s\n' "$PROBECC_PROG" > "$cache_root/prog.c"
"$PROBECC" --emit package -o "$cache_root/prog.pkg" "$cache_root/prog.c" || die "cannot build the package"
add_row probecc-package "$runtime_dir/probecc" "$cache_root/prog.pkg" -c true
add_row bpftrace "$BPFTRACE" -e "$BPFTRACE_PROG"
BASELINE=bpftrace
if [ -n "${BENCH_ROWS:-}" ]; then
  selected=()
  for name in "${ROWS[@]}"; do
    [[ " $BENCH_ROWS $BASELINE " == *" $name "* ]] && selected+=("$name")
  done
  ROWS=("${selected[@]}")
fi

# ---- measurement ------------------------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$cache_root"' EXIT

run_rounds

# ---- report -----------------------------------------------------------------
summarise_rows

echo "startup: tracepoint syscalls:sys_enter_unlinkat one-liner, start -> attached -> exit"
echo "runs per row: $RUNS (+$WARMUP warmup, interleaved), kernel $(uname -r), $(nproc) CPUs"
echo "probecc: $PROBECC"
echo "bpftrace: $BPFTRACE ($("$BPFTRACE" --version 2>/dev/null | head -n1))"
echo
print_table 15 row
echo
for name in probecc-cold probecc-warm probecc-hit probecc-package; do
  [ -n "${MED[$name]:-}" ] || continue
  awk -v n="$name" -v a="${MED[$name]}" -v b="${MED[$BASELINE]}" -v c="${RSS[$name]}" -v d="${RSS[$BASELINE]}" \
    'BEGIN { printf "%s/bpftrace: time %.2fx, peak RSS %.2fx\n", n, a / b, c / d }'
done

# RSS while tracing (VmRSS one second into `-d 2`), with the program cached and not.
rss_while_tracing() {
  "$PROBECC" -e "$PROBECC_PROG" -d 2 >/dev/null 2>&1 &
  local pid=$!
  sleep 1
  awk '/^VmRSS/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$pid/status"
  wait "$pid"
}
find "$cache_root" -name '*.obj' -delete
echo
echo "RSS while tracing: after compiling (object cache miss) $(rss_while_tracing), object cache hit $(rss_while_tracing)"

# Start -> attached alone (no detach, no exit): until probecc -v says "attached", and until
# bpftrace's BEGIN probe (which fires once every probe is attached) prints.
ms_until() {  # ms_until MARKER CMD... : milliseconds from start until MARKER appears in the output
  local marker=$1 start line
  shift
  start=$(date +%s%N)
  while IFS= read -r line; do
    if [[ $line == *"$marker"* ]]; then echo $((($(date +%s%N) - start) / 1000000)); break; fi
  done < <("$@" 2>&1)
}
median_of() { sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
hit_attach=$(for ((i = 0; i < RUNS; i++)); do
  ms_until "attached" "$PROBECC" -v -e "$PROBECC_PROG" -c true
done | median_of)
package_attach=$(for ((i = 0; i < RUNS; i++)); do
  ms_until "attached" "$runtime_dir/probecc" -v "$cache_root/prog.pkg" -c true
done | median_of)
bpftrace_attach=$(for ((i = 0; i < RUNS; i++)); do
  ms_until "probecc-bench-attached" "$BPFTRACE" -e "${BPFTRACE_PROG%BEGIN*}BEGIN { printf(\"probecc-bench-attached\\n\"); exit(); }"
done | median_of)
echo
awk -v p="$hit_attach" -v b="$bpftrace_attach" \
  'BEGIN { printf "start -> attached (median of %d): probecc-hit %d ms, bpftrace %d ms: %.2fx\n", '"$RUNS"', p, b, p / b }'
awk -v k="$package_attach" -v p="$hit_attach" -v b="$bpftrace_attach" \
  'BEGIN { printf "start -> attached (median of %d): probecc-package %d ms: %.2fx probecc-hit, %.2fx bpftrace\n", '"$RUNS"', k, k / p, k / b }'
