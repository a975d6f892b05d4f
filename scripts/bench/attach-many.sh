#!/usr/bin/env bash
# Benchmark (not a test): many probes, fast in and fast out. probecc against bpftrace, side by
# side in one run, on N probes that do nothing: each run attaches, runs a command that notes the
# time (so "attached" means the same moment for both tools: their -c command starts once every
# probe is attached) and exits. The table gives the medians of start→attached, attached→exit and
# the whole run, and probecc's time as a ratio of bpftrace's.
#
#   scripts/bench/attach-many.sh           host and guest
#   scripts/bench/attach-many.sh host      on this kernel: N syscalls:sys_enter_* tracepoints,
#                                          N other tracepoints (sched:*, irq:*, ... in order),
#                                          N libc uprobes; N = 1, 10, 100, 360
#   scripts/bench/attach-many.sh guest     in the QEMU guest (real kprobes, see tests/vm): N
#                                          kprobe:vfs_* functions (N = 1, 10, all of them)
#   BENCH_RUNS=3                           runs per tool and case, interleaved
#   BENCH_N='1 10 100 360'                 the host's Ns
#   BENCH_CASES=REGEX                      only the cases whose label matches (other-tracepoints)
#   PROBECC_BUILD=/other/checkout/build    another build of probecc (to compare with an older one)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
where=${1:-all}
runs=${BENCH_RUNS:-3}
host_ns=${BENCH_N:-1 10 100 360}
build=${PROBECC_BUILD:-$root/build}
command -v bpftrace >/dev/null || apt-get install -y -qq -o DPkg::Lock::Timeout=600 bpftrace >/dev/null
libc=/lib/x86_64-linux-gnu/libc.so.6

# The measuring itself, as a script the guest runs too: run_case LABEL N PROBECC_PROBES BPFTRACE_PROBES
# appends "LABEL N tool attach_ms exit_ms whole_ms" lines to results.
cat_measure() {
  cat <<'MEASURE'
export PROBECC_CACHE_DIR=${PROBECC_CACHE_DIR:-/tmp/probecc-bench-cache}
stamp=$PWD/stamp  # written by ./stamp-now (stamp.c): bpftrace -c takes an ELF binary only
ms() { echo $(( ($2 - $1) / 1000000 )); }
now() { date +%s%N; }
# run_case LABEL N PROBECC_ARGS... -- BPFTRACE_PROBE_LIST
run_case() {
  local label=$1 n=$2; shift 2
  [[ $label =~ ${cases:-.} ]] || return 0
  local args=() probes
  while [ "$1" != -- ]; do args+=("$1"); shift; done
  probes=$2
  $probecc -e 'int f(void *ctx) { return 0; }' "${args[@]}" -c "$PWD/stamp-now" >/dev/null 2>&1  # compile once: the cache is warm
  for _ in $(seq "$runs"); do
    for tool in probecc bpftrace; do
      rm -f "$stamp"
      local t0 t1
      t0=$(now)
      if [ $tool = probecc ]; then
        $probecc -e 'int f(void *ctx) { return 0; }' "${args[@]}" -c "$PWD/stamp-now" >/dev/null 2>tool.err || { echo "probecc failed:" >&2; tail -n 3 tool.err >&2; }
      else
        bpftrace -e "$probes { }" -c "$PWD/stamp-now" >/dev/null 2>tool.err || { echo "bpftrace failed:" >&2; tail -n 3 tool.err >&2; }
      fi
      t1=$(now)
      [ -s "$stamp" ] || { echo "$label $n $tool - - $(ms "$t0" "$t1")" >> results; continue; }
      local ts; ts=$(cat "$stamp")
      echo "$label $n $tool $(ms "$t0" "$ts") $(ms "$ts" "$t1") $(ms "$t0" "$t1")" >> results
    done
  done
}
MEASURE
}

# probecc -a options and bpftrace's probe list for the first N names of a list: CATEGORY:NAME
# tracepoints, uprobes of libc or kprobes.
cases_for() {  # KIND N NAMES...
  local kind=$1 n=$2; shift 2
  local names=("${@:1:$n}") a=() list=""
  for name in "${names[@]}"; do
    case $kind in
      tracepoint) a+=(-a "tracepoint:$name=f"); list+="${list:+,}tracepoint:$name" ;;
      uprobe) a+=(-a "uprobe:$libc:$name=f"); list+="${list:+,}uprobe:$libc:$name" ;;
      kprobe) a+=(-a "kprobe:$name=f"); list+="${list:+,}kprobe:$name" ;;
    esac
  done
  printf '%q ' "${a[@]}" -- "$list"
}

# DIR/stamp-now: writes the time (ns) to ./stamp in its working directory.
build_stamp() {
  printf '%s\n' '#include <stdio.h>' '#include <time.h>' \
    'int main(void) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); FILE *f = fopen("stamp", "w");' \
    '  if (!f) return 1; fprintf(f, "%lld\n", (long long)t.tv_sec * 1000000000LL + t.tv_nsec); return fclose(f); }' > "$1/stamp.c"
  cc -O1 -o "$1/stamp-now" "$1/stamp.c"
}

report() {  # RESULTS TITLE
  echo "$2"
  awk -v runs="$runs" '
    function median(list,   n, v, i, j, t) {
      n = split(list, v, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
      return n ? v[int((n + 1) / 2)] : "-"
    }
    { key = $1 " " $2; if (!(key in seen)) { seen[key] = 1; order[++count] = key }
      attach[key, $3] = attach[key, $3] " " $4; leave[key, $3] = leave[key, $3] " " $5; whole[key, $3] = whole[key, $3] " " $6 }
    function ratio(a, b) { return (b > 0 && a != "-") ? sprintf("%.2f", a / b) : "-" }
    END {
      printf "%-22s %4s | %-24s | %-24s | %s\n", "case", "N", "probecc ms: attach exit whole", "bpftrace ms: attach exit whole", "probecc/bpftrace: exit whole"
      for (i = 1; i <= count; i++) {
        k = order[i]; split(k, kn, " ")
        pa = median(attach[k, "probecc"]); pe = median(leave[k, "probecc"]); pw = median(whole[k, "probecc"])
        ba = median(attach[k, "bpftrace"]); be = median(leave[k, "bpftrace"]); bw = median(whole[k, "bpftrace"])
        printf "%-22s %4s | %7s %7s %8s | %7s %7s %8s | %6s %6s\n", kn[1], kn[2], pa, pe, pw, ba, be, bw, ratio(pe, be), ratio(pw, bw)
      }
    }' "$1"
}

run_host() {
  local dir; dir=$(mktemp -d /tmp/probecc-bench-attach.XXXXXX)
  trap 'rm -rf "$dir"' RETURN
  local tracefs=/sys/kernel/tracing
  [ -d $tracefs/events ] || mount -t tracefs tracefs $tracefs
  mapfile -t syscalls < <(cd $tracefs/events/syscalls && ls -d sys_enter_* | sed 's/^/syscalls:/')
  # other tracepoints, category by category in a fixed order (sched and irq first)
  mapfile -t others < <(cd $tracefs/events && for c in sched irq $(ls | grep -vx -e syscalls -e sched -e irq -e ftrace); do
                          [ -d "$c" ] && ls "$c" | while read -r e; do [ -d "$c/$e" ] && echo "$c:$e"; done; done)
  # plain functions (nm's T: no IFUNCs, which neither tool probes) with one symbol version, one
  # name per address
  mapfile -t uprobes < <(nm -D --defined-only "$libc" | awk '$2 == "T" && $3 ~ /^[a-z]/ && !seen[$1]++ {
                           name = $3; sub(/@.*/, "", name); count[name]++ } END { for (n in count) if (count[n] == 1) print n }' | sort)
  {
    cat_measure
    for n in $host_ns; do
      if [ "$n" -ge "${#syscalls[@]}" ]; then
        echo "run_case syscalls ${#syscalls[@]} -a 'tracepoint:syscalls:sys_enter_*=f' -- 'tracepoint:syscalls:sys_enter_*'"
      else
        echo "run_case syscalls $n $(cases_for tracepoint "$n" "${syscalls[@]}")"
      fi
      echo "run_case other-tracepoints $n $(cases_for tracepoint "$n" "${others[@]}")"
      echo "run_case libc-uprobes $n $(cases_for uprobe "$n" "${uprobes[@]}")"
    done
    # a wildcard: probecc attaches it through uprobe_multi where the kernel has it
    echo "run_case 'uprobe:libc:s*' $(printf '%s\n' "${uprobes[@]}" | grep -c '^s') -a 'uprobe:$libc:s*=f' -- 'uprobe:$libc:s*'"
  } > "$dir/run.sh"
  build_stamp "$dir"
  (cd "$dir" && probecc=$build/probecc runs=$runs cases=${BENCH_CASES:-.} bash ./run.sh)
  report "$dir/results" "on this host ($(uname -r), $(nproc) CPUs), $runs runs each: attach, run a command, exit"
}

run_guest() {
  local vm_dir=${PROBECC_VM_DIR:-/var/tmp/probecc-vm}
  export PROBECC_VM_DIR=$vm_dir PROBECC_VM_TIMEOUT=${PROBECC_VM_TIMEOUT:-1800}
  "$root/scripts/vm/guest.sh" setup >/dev/null
  # The guest sees the host's / read-only and gets fresh tmpfs over /tmp: stage in the shared directory.
  local rw=$vm_dir/bench-attach-$$  # of this run: other checkouts may run the bench too
  mkdir -p "$rw"
  cp "$build/probecc" "$build/libprobecc-compiler.so" "$rw/"
  {
    echo "set -u; cd $rw; runs=$runs; probecc=$rw/probecc; : > results"
    echo "export PROBECC_CACHE_DIR=/tmp/probecc-cache"
    cat_measure
    cat <<'GUEST'
vfs=($(grep -E '^vfs_' /sys/kernel/tracing/available_filter_functions | awk '{print $1}' | sort -u))  # no /dev/fd here
libc=/lib/x86_64-linux-gnu/libc.so.6
GUEST
    declare -f cases_for
    echo 'for n in 1 10; do eval "run_case kprobe-vfs $n $(cases_for kprobe "$n" "${vfs[@]}")"; done'
    echo "run_case 'kprobe:vfs_*' \${#vfs[@]} -a 'kprobe:vfs_*=f' -- 'kprobe:vfs_*'"
  } > "$rw/run.sh"
  build_stamp "$rw"
  "$root/scripts/vm/guest.sh" run "$rw/run.sh" "$rw" >"$rw/console.log" 2>&1 || { tail -n 30 "$rw/console.log"; exit 1; }
  report "$rw/results" "in the guest ($("$root/scripts/vm/guest.sh" kv), TCG), $runs runs each: attach, run a command, exit"
  rm -rf "$rw"
}

case $where in
  host) run_host ;;
  guest) run_guest ;;
  all) run_host; echo; run_guest ;;
  *) echo "usage: $0 [host|guest|all]" >&2; exit 2 ;;
esac
