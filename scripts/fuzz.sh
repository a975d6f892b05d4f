#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for FUZZ_SECONDS each (default 600: the long run;
# scripts/sanitizers.sh runs it for 20 s in CI), seeded with the project's own programs. The
# corpus grows in build-asan/fuzz-corpus/TARGET; a crash is saved in build-asan/fuzz-crashes/.
# Needs build-asan (scripts/sanitizers.sh configures and builds it). Ends with
# "fuzz: N targets passed, N failed; N executions".
# FUZZ_TARGETS: which (default all).
set -uo pipefail
cd "$(dirname "$0")/.."
dir=build-asan
seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-"compile attach_spec printk_format compiled_record"}
if [ ! -f $dir/build.ninja ]; then
  echo "fuzz: $dir is not configured: run scripts/sanitizers.sh first"
  echo "fuzz: 0 targets passed, 1 failed; 0 executions"
  exit 1
fi
cmake --build $dir --target $(printf 'fuzz_%s ' $targets) >/dev/null || {
  echo "fuzz: 0 targets passed, 1 failed; 0 executions"; exit 1; }

seeds=$dir/fuzz-seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{compile,attach_spec,printk_format,compiled_record} $dir/fuzz-crashes
# The compile target: every program the tests and examples hold
python3 - "$seeds/compile" <<'PY'
import glob, os, re, sys
out = sys.argv[1]
n = 0
def keep(text):
    global n
    if 'probe' in text or 'SEC(' in text or 'BPF_' in text or '__' in text:
        n += 1
        open(os.path.join(out, f"seed{n}.c"), "w").write(text)
for path in glob.glob("tests/e2e/*.cpp") + glob.glob("tests/unit/*.cpp"):
    for m in re.finditer(r'R"\((.*?)\)"', open(path).read(), re.S):
        keep(m.group(1))
for path in glob.glob("tests/cases/*.case"):
    m = re.search(r"^PROGRAM='(.*?)'$", open(path).read(), re.S | re.M)
    if m: keep(m.group(1))
for path in glob.glob("../shared/seed-programs/*.c") + glob.glob("scripts/examples/*.c"):
    keep(open(path).read())
PY
i=0
for spec in kprobe:vfs_read=fn 'kprobe:vfs_*=fn' kretprobe:do_unlinkat=fn syscall:openat=fn \
            tracepoint:sched:sched_switch=fn raw_tracepoint:sched_switch=fn uprobe:/bin/ls:main=fn \
            usdt:/usr/bin/python3:python:function__entry=fn perf:hw:cycles:100000=fn perf:sw:page-faults:99hz=fn \
            profile:hz:99=fn interval:s:1=fn interval:ms:250=fn; do
  printf '%s' "$spec" > "$seeds/attach_spec/$((i++))"
done
for format in 'hello %d\n' '%s %u %llx' '%pks %pI4 %pi6' '%-10s|%05d' '%c%%%p' '%pS %ps %pB'; do
  { printf "\\$(printf '%03o' ${#format})"; printf '%s' "$format"; head -c 128 /dev/urandom; } > "$seeds/printk_format/$((i++))"
done
# Real cache entries of a compiled program
cache=$(mktemp -d)
probecc=$dir/probecc; [ -x "$probecc" ] || probecc=build/probecc
PROBECC_CACHE_DIR=$cache $probecc -n -e 'BPF_HASH(counts, u32); int tracepoint__syscalls__sys_enter_getpid(void *a)
  { counts.increment(1); bpf_trace_printk("pid %d\n", 1); return 0; }' >/dev/null 2>&1
find "$cache" -type f -exec cp {} "$seeds/compiled_record/" \;
rm -rf "$cache"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp
passed=0 failed=0 executions=0
for target in $targets; do
  corpus=$dir/fuzz-corpus/$target
  mkdir -p "$corpus"
  # The compile target abandons LLVM's state on a fatal error by design (llvm_fatal_errors.h)
  leaks=1; [ "$target" = compile ] && leaks=0
  flog=$(mktemp)
  $dir/tests/fuzz/fuzz_$target -max_total_time="$seconds" -timeout=60 -rss_limit_mb=6144 -detect_leaks=$leaks \
    -print_final_stats=1 -artifact_prefix=$dir/fuzz-crashes/$target- \
    "$corpus" "$seeds/$target" >"$flog" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$flog" | awk '{s+=$1} END {print s+0}')
  executions=$((executions + runs))
  if [ $status = 0 ]; then
    passed=$((passed + 1))
    echo "fuzz: $target: $runs executions in ${seconds}s, no crash"
  else
    failed=$((failed + 1))
    tail -n 60 "$flog"
    echo "fuzz: $target: FAILED after $runs executions (exit $status); see $dir/fuzz-crashes/"
  fi
  rm -f "$flog"
done
echo "fuzz: $passed targets passed, $failed failed; $executions executions"
[ $failed = 0 ]
