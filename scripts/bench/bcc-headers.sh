#!/usr/bin/env bash
# Benchmark (not a test): probecc against BCC compiling the same kprobe snippet
# with real kernel headers, side by side in one run. Both find the headers at
# /lib/modules/$(uname -r)/build; where that does not exist (e.g. a newer
# kernel than Debian's installed headers), the script makes it exist inside a
# private mount namespace only (`unshare -m --propagation private`: a tmpfs on
# /lib/modules holding $(uname -r)/build and /source symlinks to the headers),
# so nothing changes on the host.
#
# Rows (each compiles + loads through the verifier, attaches nothing):
#   probecc-nocache  probecc -n --no-cache: every run compiles against the headers
#   probecc-pch      probecc -n, precompiled header of the kernel headers cached,
#                    compiled program removed before every run (parses the snippet only)
#   probecc-hit      probecc -n, cache kept: the compiled program is loaded from the cache
#   bcc              python3 + `import bcc` + BPF(text=...) + load_func("probe", BPF.KPROBE);
#                    the compile+load alone is also timed inside python
# Runs are interleaved round by round (order rotated); median/min/max wall time,
# median peak RSS (/usr/bin/time %M), and the ratios BCC/probecc.
#
#   PROBECC=path/to/probecc   binary to measure (default: build/probecc)
#   BENCH_RUNS=N              measured runs per row (default 15)
#   BENCH_WARMUP=N            unmeasured runs per row first (default 1)
#   BENCH_HEADERS=DIR         kernel headers (build) tree (default: /lib/modules/$(uname -r)/build
#                             if it exists, else the newest /usr/src/linux-headers-*-amd64)
#   BENCH_HEADERS_SOURCE=DIR  its source tree (default: Debian's matching ...-common, if any)
set -euo pipefail

bench=bcc-headers.sh
root=$(cd "$(dirname "$0")/../.." && pwd)
self=$root/scripts/bench/$(basename "$0")
PROBECC=${PROBECC:-$root/build/probecc}
source "$root/scripts/bench/rows.sh"
KV=$(uname -r)
PYTHON=/usr/bin/python3   # Debian's python, where python3-bpfcc installs `bcc` (not a pyenv one)

# ---- outside the namespace: prerequisites, then re-run inside it ---------------------------
if [ -z "${BCC_HEADERS_INNER:-}" ]; then
  [ "$(id -u)" -eq 0 ] || die "must run as root (loads BPF programs, mounts in a namespace)"
  [ -x "$PROBECC" ] || die "probecc not found or not executable at '$PROBECC' (build it, or set PROBECC=)"
  command -v unshare >/dev/null || die "unshare (util-linux) not found"
  ensure_time
  if ! "$PYTHON" -c 'import bcc' 2>/dev/null; then
    echo "installing Debian's python3-bpfcc (BCC) ..." >&2
    apt-get install -y -o DPkg::Lock::Timeout=600 python3-bpfcc >/dev/null || die "could not install python3-bpfcc"
    "$PYTHON" -c 'import bcc' || die "'import bcc' fails in $PYTHON even after installing python3-bpfcc"
  fi

  headers=${BENCH_HEADERS:-}
  if [ -z "$headers" ]; then
    if [ -d "/lib/modules/$KV/build" ]; then
      headers=/lib/modules/$KV/build
    else
      headers=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1 || true)
      [ -n "$headers" ] || die "no kernel headers: neither /lib/modules/$KV/build nor /usr/src/linux-headers-*-amd64 (apt-get install linux-headers-amd64, or set BENCH_HEADERS=)"
    fi
  fi
  [ -d "$headers" ] || die "BENCH_HEADERS '$headers' is not a directory"
  headers=$(readlink -f "$headers")
  source_dir=${BENCH_HEADERS_SOURCE:-}
  if [ -z "$source_dir" ]; then
    if [ -d "/lib/modules/$KV/source" ] && [ "$(readlink -f "/lib/modules/$KV/build")" = "$headers" ]; then
      source_dir=/lib/modules/$KV/source
    elif [ -d "${headers%-*}-common" ]; then     # Debian split tree: ...-amd64 + ...-common
      source_dir=${headers%-*}-common
    fi
  fi
  [ -z "$source_dir" ] || source_dir=$(readlink -f "$source_dir")

  # /lib/modules is where the tmpfs goes; if it does not exist, create it for the run only.
  made_dir=
  if [ ! -e /lib/modules ]; then mkdir /lib/modules; made_dir=1; fi
  rc=0
  BCC_HEADERS_INNER=1 BENCH_HEADERS=$headers BENCH_HEADERS_SOURCE=$source_dir \
    PROBECC=$PROBECC BENCH_RUNS=$RUNS BENCH_WARMUP=$WARMUP \
    unshare -m --propagation private bash "$self" "$@" || rc=$?
  if [ -n "$made_dir" ]; then rmdir /lib/modules 2>/dev/null || true; fi
  exit "$rc"
fi

# ---- inside the private mount namespace --------------------------------------------------
headers=$BENCH_HEADERS
source_dir=${BENCH_HEADERS_SOURCE:-}
unset PROBECC_KERNEL_HEADERS   # probecc must find the headers where BCC does
if [ "$(readlink -f "/lib/modules/$KV/build" 2>/dev/null || true)" != "$headers" ]; then
  mount -t tmpfs -o mode=0755,size=1m probecc-bench /lib/modules || die "cannot mount a tmpfs on /lib/modules"
  mkdir "/lib/modules/$KV"
  ln -s "$headers" "/lib/modules/$KV/build"
  [ -z "$source_dir" ] || ln -s "$source_dir" "/lib/modules/$KV/source"
  setup="namespace-only tmpfs on /lib/modules: $KV/build -> $headers${source_dir:+, $KV/source -> $source_dir}"
else
  setup="/lib/modules/$KV/build already -> $headers (used as is)"
fi

PROBECC_PROG='#include <linux/fs.h>
int kprobe__do_unlinkat(struct pt_regs *ctx, int dfd, struct filename *name) { bpf_trace_printk("unlink %s\n", name->name); return 0; }'
BCC_PROG='#include <linux/fs.h>
int probe(struct pt_regs *ctx, int dfd, struct filename *name) { bpf_trace_printk("unlink %s\n", name->name); return 0; }'

tmp=$(mktemp -d)
cache_root=$(mktemp -d)
trap 'rm -rf "$tmp" "$cache_root"' EXIT
export PROBECC_CACHE_DIR=$cache_root/cache   # private cache; /var/cache/probecc is never touched

printf '%s\n' "$BCC_PROG" >"$tmp/bcc.c"
# BCC without prefix names (kprobe__ would auto-attach inside BPF(), which needs kprobes):
# compile + load through the verifier only, as probecc --dry-run does.
cat >"$tmp/bcc_load.py" <<'EOF'
import sys, time
t0 = time.monotonic()
from bcc import BPF
t1 = time.monotonic()
b = BPF(text=open(sys.argv[1]).read())
fn = b.load_func("probe", BPF.KPROBE)
t2 = time.monotonic()
assert fn.fd >= 0
print("BCC_TIMES %.1f %.1f" % ((t1 - t0) * 1000, (t2 - t1) * 1000))
EOF

# ---- check: both really compile against the headers ----------------------------------------
if ! "$PROBECC" -v -n --no-cache -e "$PROBECC_PROG" >"$tmp/check.log" 2>&1; then
  echo "bcc-headers.sh: probecc failed to compile/load the snippet against $headers:" >&2
  cat "$tmp/check.log" >&2
  exit 1
fi
types_line=$(grep -m1 'kernel types:' "$tmp/check.log" || true)
case $types_line in
  *"kernel types: kernel headers $headers"*) ;;
  *) echo "bcc-headers.sh: probecc did not take its kernel types from $headers:" >&2
     cat "$tmp/check.log" >&2; exit 1 ;;
esac
if ! "$PYTHON" "$tmp/bcc_load.py" "$tmp/bcc.c" >"$tmp/check.log" 2>&1; then
  echo "bcc-headers.sh: BCC failed to compile/load the snippet against $headers:" >&2
  tail -n 30 "$tmp/check.log" >&2
  exit 1
fi
# prime probecc's cache (precompiled kernel headers + compiled program); Clang's warnings
# appear only while the headers are precompiled, so they are counted here
if ! "$PROBECC" -n -e "$PROBECC_PROG" >"$tmp/prime.log" 2>&1; then
  echo "bcc-headers.sh: probecc failed when building its cache:" >&2
  cat "$tmp/prime.log" >&2
  exit 1
fi
warnings=$(grep -c ': warning:' "$tmp/prime.log" || true)
first_warning=$(grep -m1 ': warning:' "$tmp/prime.log" | sed 's/^.*warning: //' || true)

# ---- rows -------------------------------------------------------------------
add_row probecc-nocache "$PROBECC" -n --no-cache -e "$PROBECC_PROG"
add_row probecc-pch "$PROBECC" -n -e "$PROBECC_PROG"
row_setup probecc-pch find "$cache_root" -name '*.obj' -delete
add_row probecc-hit "$PROBECC" -n -e "$PROBECC_PROG"
add_row bcc "$PYTHON" "$tmp/bcc_load.py" "$tmp/bcc.c"
BASELINE=bcc

# BCC's own in-python times ("import_ms compile_load_ms") go to $tmp/NAME.inner.
after_measure() { awk '$1 == "BCC_TIMES" { print $2, $3 }' "$tmp/run.log" >>"$tmp/$1.inner"; }

run_rounds

# ---- report -----------------------------------------------------------------
summarise_rows
read -r bcc_import _ _ bcc_compile < <(stats "$tmp/bcc.inner")

echo "bcc-headers: kprobe snippet (do_unlinkat, #include <linux/fs.h>) compiled against kernel headers + loaded, not attached"
echo "runs per row: $RUNS (+$WARMUP warmup, interleaved), kernel $KV, $(nproc) CPUs"
echo "headers: $setup"
echo "probecc: $PROBECC (-v: ${types_line#probecc: })"
echo "probecc: $warnings compiler warning(s) precompiling the headers${first_warning:+ (first: $first_warning)}"
echo "bcc: $PYTHON, python3-bpfcc $(dpkg-query -W -f '${Version}' python3-bpfcc 2>/dev/null || echo '?'), libbpfcc $(dpkg-query -W -f '${Version}' libbpfcc 2>/dev/null || echo '?')"
echo
print_table 16 baseline
echo
echo "bcc inside python (medians): import bcc $bcc_import ms, BPF(text=...) + load_func $bcc_compile ms"
echo
for name in probecc-nocache probecc-pch probecc-hit; do
  awk -v n="$name" -v a="${MED[$BASELINE]}" -v b="${MED[$name]}" -v c="${RSS[$BASELINE]}" -v d="${RSS[$name]}" -v k="$bcc_compile" \
    'BEGIN { printf "bcc/%s: time %.2fx, peak RSS %.2fx; bcc compile+load alone / %s whole run %.2fx\n", n, a / b, c / d, n, k / b }'
done
