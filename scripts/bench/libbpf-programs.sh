#!/usr/bin/env bash
# Benchmark (not a test): how many libbpf-style programs (tests/libbpf-programs/*.bpf.c, written
# for probecc in the shape of libbpf-tools and the eBPF tutorials) probecc compiles and loads
# through the verifier as they are, with `--dry-run`.
#
# A program's first `// probecc-args:` line holds what its user space would have done (set
# const volatile knobs, give attach targets), as probecc options; the rest runs as it is.
#
#   scripts/bench/libbpf-programs.sh            every program
#   PROGRAMS='biolatency opensnoop' scripts/bench/libbpf-programs.sh
#   AS_IS=1 scripts/bench/libbpf-programs.sh    without the probecc-args lines (nothing set, no -a)
#   PROBECC=path                                binary (default build/probecc)
#
# It prints a line per program (ok, or FAIL and probecc's first error line) and the count passed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
PROBECC=$(readlink -f "${PROBECC:-$root/build/probecc}")
dir=$root/tests/libbpf-programs
[ "$(id -u)" -eq 0 ] || { echo "libbpf-programs.sh: must run as root (loads BPF programs)" >&2; exit 1; }
[ -x "$PROBECC" ] || { echo "libbpf-programs.sh: probecc not found at '$PROBECC'" >&2; exit 1; }

passed=0 total=0
for file in "$dir"/*.bpf.c; do
  name=$(basename "$file" .bpf.c)
  if [ -n "${PROGRAMS:-}" ] && [[ " $PROGRAMS " != *" $name "* ]]; then continue; fi
  args=$(sed -n 's|^// probecc-args: ||p' "$file" | head -1)
  [ -n "${AS_IS:-}" ] && args=
  total=$((total + 1))
  # shellcheck disable=SC2086  # the args line is a list of options
  if err=$("$PROBECC" --dry-run $args "$file" 2>&1 >/dev/null); then
    passed=$((passed + 1))
    printf '%-22s ok\n' "$name"
  else
    printf '%-22s FAIL  %s\n' "$name" "$(grep -m1 -E 'error|rejected|refused' <<<"$err" || head -1 <<<"$err")"
  fi
done
echo "libbpf-style programs: $passed of $total pass --dry-run${AS_IS:+ (as is, without their probecc-args)}"
