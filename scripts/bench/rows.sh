# Sourced by the benchmarks: rows of commands, run interleaved round by round, timed and measured.
#
#   add_row NAME CMD...      a row; row_setup NAME CMD... / row_after NAME CMD... run untimed
#                            before / after each of its runs (e.g. clearing a cache)
#   run_rounds               BENCH_WARMUP unmeasured rounds, then BENCH_RUNS measured ones, the row
#                            order rotated every round so load affects every row alike
#   stats FILE               "median min max median_column_2" of a row's results ($tmp/NAME)
#   after_measure NAME       if the benchmark defines it, runs after each measured run ($tmp/run.log
#                            holds that run's output)
# Needs: $tmp (a scratch directory), $bench (the benchmark's name, for messages).
# Wall time is taken in-shell with $EPOCHREALTIME around `/usr/bin/time -f '%e %M' CMD`; peak RSS
# is time's %M (KiB). Each result line is "wall_ms rss_kib".

die() { echo "$bench: $*" >&2; exit 1; }

RUNS=${BENCH_RUNS:-15}
WARMUP=${BENCH_WARMUP:-1}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer (got '$RUNS')"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a non-negative integer (got '$WARMUP')"

ensure_time() {
  [ -x /usr/bin/time ] && return
  echo "installing Debian 'time' for /usr/bin/time ..." >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y time >/dev/null || die "could not install the 'time' package"
}

declare -a ROWS=()
declare -A ROW_CMD=() ROW_SETUP=() ROW_AFTER=()
add_row() { local name=$1; shift; ROWS+=("$name"); ROW_CMD[$name]=$(printf '%q ' "$@"); }
row_setup() { local name=$1; shift; ROW_SETUP[$name]=$(printf '%q ' "$@"); }
row_after() { local name=$1; shift; ROW_AFTER[$name]=$(printf '%q ' "$@"); }

# measure NAME CMD... : one timed run; appends "wall_ms rss_kib" to $tmp/NAME.
measure() {
  local name=$1; shift
  local t0 t1 rc=0 rss
  t0=$EPOCHREALTIME
  /usr/bin/time -o "$tmp/time.out" -f '%e %M' "$@" >"$tmp/run.log" 2>&1 || rc=$?
  t1=$EPOCHREALTIME
  if [ "$rc" -ne 0 ]; then
    echo "$bench: run of '$name' failed (exit $rc); its output:" >&2
    tail -n 20 "$tmp/run.log" >&2
    exit 1
  fi
  rss=$(awk 'END { print $2 }' "$tmp/time.out")
  awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN { printf "%.1f %d\n", (b - a) * 1000, r }' >>"$tmp/$name"
  if declare -F after_measure >/dev/null; then after_measure "$name"; fi
}

run_row() { # run_row NAME [record]
  local name=$1 as=$1.warmup
  [ "${2:-}" = record ] && as=$1
  if [ -n "${ROW_SETUP[$name]:-}" ]; then eval "${ROW_SETUP[$name]}" >/dev/null 2>&1 || die "setup of '$name' failed"; fi
  eval "measure $(printf '%q' "$as") ${ROW_CMD[$name]}"
  if [ -n "${ROW_AFTER[$name]:-}" ]; then eval "${ROW_AFTER[$name]}" >/dev/null 2>&1 || die "after '$name' failed"; fi
}

run_rounds() {
  local n=${#ROWS[@]} i j name
  for ((i = 0; i < WARMUP; i++)); do
    for name in "${ROWS[@]}"; do run_row "$name"; done
  done
  for ((i = 0; i < RUNS; i++)); do
    for ((j = 0; j < n; j++)); do run_row "${ROWS[(i + j) % n]}" record; done
    if [ -t 2 ]; then printf '\r%d/%d rounds' $((i + 1)) "$RUNS" >&2; fi
  done
  if [ -t 2 ]; then printf '\r\033[K' >&2; fi
}

stats() {
  awk '{ t[NR] = $1; r[NR] = $2 }
       function med(a, n,   i, j, x) {
         for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
         return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
       }
       END { m = med(t, NR); lo = t[1]; hi = t[NR]  # med() sorts in place
             printf "%.1f %.1f %.1f %.1f\n", m, lo, hi, med(r, NR) }' "$1"
}

# summarise_rows: MED[NAME] (median wall ms) and RSS[NAME] (median peak RSS, MiB) of every row.
summarise_rows() {
  declare -gA MED=() RSS=()
  local name rss_kib
  for name in "${ROWS[@]}"; do
    read -r "MED[$name]" _ _ rss_kib < <(stats "$tmp/$name")
    RSS[$name]=$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')
  done
}

# print_table WIDTH ORDER: one line per row (median/min/max ms, RSS MiB) with its ratios to the
# row named $BASELINE, as row/baseline (ORDER=row) or baseline/row (ORDER=baseline).
print_table() {
  local width=$1 order=$2 name med min max a b
  if [ "$order" = row ]; then a="time/$BASELINE" b="RSS/$BASELINE"; else a="$BASELINE/time" b="$BASELINE/RSS"; fi
  printf "%-${width}s %10s %9s %9s %10s %12s %12s\n" tool "median ms" "min ms" "max ms" "RSS MiB" "$a" "$b"
  for name in "${ROWS[@]}"; do
    read -r med min max _ < <(stats "$tmp/$name")
    awk -v w="$width" -v o="$order" -v n="$name" -v med="$med" -v min="$min" -v max="$max" -v rss="${RSS[$name]}" \
        -v bm="${MED[$BASELINE]}" -v br="${RSS[$BASELINE]}" \
        'BEGIN { t = o == "row" ? med / bm : bm / med; r = o == "row" ? rss / br : br / rss
                 printf "%-" w "s %10.1f %9.1f %9.1f %10.1f %12.2f %12.2f\n", n, med, min, max, rss, t, r }'
  done
}
