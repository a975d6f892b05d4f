#!/usr/bin/env bash
# Runs INSIDE the QEMU guest (see scripts/vm/guest.sh): every tests/cases/*.case meant for the
# guest (RUNS_ON guest or both) through tests/cases/run-case.sh against the real kernel, then
# checks that no kprobe was left behind.
# Prints PASS/FAIL/SKIP per case with its duration, then `vm: N passed, M failed`; exits 1 on any
# failure. The case format is described in tests/vm/README.md.
#
# Settings (environment, or $PROBECC_VM_RW/guest.env which the host side writes):
#   PROBECC_BIN        probecc binary (default: <project>/build/probecc)
#   PROBECC_VM_CASES   space-separated glob(s) of case names to run (default: all)
#   PROBECC_VM_RESULTS directory for each case's stdout/stderr (default: $PROBECC_VM_RW/results)
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
PROJECT_DIR=$(cd "$HERE/../.." && pwd)
SHARED_DIR=$(cd "$PROJECT_DIR/.." && pwd)/shared
KV=$(uname -r)
[ -n "${PROBECC_VM_RW:-}" ] && [ -f "$PROBECC_VM_RW/guest.env" ] && . "$PROBECC_VM_RW/guest.env"
PROBECC_BIN=${PROBECC_BIN:-$PROJECT_DIR/build/probecc}
# The guest sees the host's / read-only: probecc's compile cache goes on the guest's tmpfs, and
# starts empty, so the cases compile against the kernel headers for real.
export PROBECC_CACHE_DIR=/tmp/probecc-cache
RESULTS=${PROBECC_VM_RESULTS:-${PROBECC_VM_RW:-/tmp}/results}
mkdir -p "$RESULTS"

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

passed=0 failed=0 skipped=0
shopt -s extglob

show() {  # show LABEL FILE: a result file, indented, last 60 lines
  echo "    --- $1 ($(wc -l < "$2") lines) ---"
  tail -n 60 "$2" | sed 's/^/    | /'
}

# Which machines a case is for: its RUNS_ON (guest, host or both; guest when unset).
runs_here() { [[ $(set +u; TAG=x RUNS_ON=guest; . "$1" >/dev/null 2>&1; echo "$RUNS_ON") == @(guest|both) ]]; }

# Kprobes still registered after every probecc has exited mean a detach was missed.
check_no_leftover_kprobes() {
  local f leftovers=
  for f in /sys/kernel/tracing/kprobe_events /sys/kernel/debug/kprobes/list; do
    if [ ! -r "$f" ]; then leftovers+="$f: not readable"$'\n'; continue; fi
    [ -s "$f" ] && leftovers+="$f:"$'\n'"$(sed 's/^/  /' "$f")"$'\n'
  done
  [ -z "$leftovers" ] && return 0
  printf '%s' "$leftovers" > "$RESULTS/leftover-kprobes.reason"
  return 1
}

selected() {
  [ -z "${PROBECC_VM_CASES:-}" ] && return 0
  local g
  for g in $PROBECC_VM_CASES; do
    # shellcheck disable=SC2053
    [[ $1 == $g ]] && return 0
  done
  return 1
}

echo "vm: guest $KV, up $(cut -d' ' -f1 /proc/uptime)s; probecc $PROBECC_BIN"
if [ ! -x "$PROBECC_BIN" ]; then
  echo "vm: FAIL: $PROBECC_BIN is not an executable (build probecc first)"
  echo "vm: 0 passed, 1 failed"
  exit 1
fi

# libbpf reads a package's CONFIG_* options (__kconfig externs) from /proc/config.gz or
# /boot/config-$KV. Debian's kernel has no /proc/config.gz and /boot here is the host's: give the
# guest its kernel's config where an installed kernel has it (the host side copies it).
if [ ! -e "/boot/config-$KV" ] && [ -f "${PROBECC_VM_RW:-}/kernel-config" ]; then
  mount -t tmpfs -o size=4m tmpfs /boot && cp "$PROBECC_VM_RW/kernel-config" "/boot/config-$KV"
fi
export PACKAGE_DIR=${PACKAGE_DIR:-}
export PROBECC_BIN PROJECT_DIR SHARED_DIR
for file in "$PROJECT_DIR"/tests/cases/*.case; do
  name=$(basename "$file" .case)
  selected "$name" || continue
  runs_here "$file" || continue
  start=$(now)
  "$PROJECT_DIR/tests/cases/run-case.sh" "$file" "$RESULTS"
  rc=$?
  took=$(elapsed "$start")
  case $rc in
    0) passed=$((passed + 1)); echo "PASS $name ($took)" ;;
    2) skipped=$((skipped + 1)); echo "SKIP $name: $(cat "$RESULTS/$name.reason")" ;;
    *)
      failed=$((failed + 1))
      echo "FAIL $name ($took)"
      sed 's/^/    /' "$RESULTS/$name.reason"
      [ -f "$RESULTS/$name.cmd" ] && echo "    command: $(cat "$RESULTS/$name.cmd")"
      [ -f "$RESULTS/$name.out" ] && show stdout "$RESULTS/$name.out"
      [ -f "$RESULTS/$name.err" ] && show stderr "$RESULTS/$name.err"
      ;;
  esac
done

start=$(now)
if check_no_leftover_kprobes; then
  passed=$((passed + 1)); echo "PASS leftover-kprobes ($(elapsed "$start"))"
else
  failed=$((failed + 1)); echo "FAIL leftover-kprobes ($(elapsed "$start"))"
  sed 's/^/    /' "$RESULTS/leftover-kprobes.reason"
fi

((skipped)) && echo "vm: $skipped skipped"
echo "vm: $passed passed, $failed failed"
((failed == 0))
