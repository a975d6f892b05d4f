#!/usr/bin/env bash
# Runs INSIDE the QEMU guest (see scripts/vm/guest.sh): every tests/vm/cases/*.case against the
# real kernel, one probecc invocation per case, then checks that no kprobe was left behind.
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
DEFAULT_TIMEOUT=240
mkdir -p "$RESULTS"

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

passed=0 failed=0 skipped=0

show() {  # show LABEL FILE: a result file, indented, last 60 lines
  echo "    --- $1 ($(wc -l < "$2") lines) ---"
  tail -n 60 "$2" | sed 's/^/    | /'
}

# Runs one case in a subshell so its variables never leak into the next one.
# Exit: 0 pass, 1 fail, 2 skip. Writes the reason to $RESULTS/<name>.reason.
run_case() (
  local file=$1 name=$2
  TAG="probecc-vm-$name-$$-$RANDOM"
  DESCRIPTION= PROGRAM= PROGRAM_FILE= REQUIRE_FILE= TRIGGER=true
  EXPECT_STATUS=0 TIMEOUT=$DEFAULT_TIMEOUT
  ARGS=() EXPECT=() EXPECT_STDERR=()
  # shellcheck disable=SC1090
  . "$file" || { echo "case file does not source cleanly" > "$RESULTS/$name.reason"; exit 1; }
  local out=$RESULTS/$name.out err=$RESULTS/$name.err reason=$RESULTS/$name.reason
  : > "$out"; : > "$err"; : > "$reason"
  if [ -n "$REQUIRE_FILE" ] && [ ! -e "$REQUIRE_FILE" ]; then
    echo "$REQUIRE_FILE does not exist" > "$reason"; exit 2
  fi
  local input=()
  if [ -n "$PROGRAM_FILE" ]; then input=("$PROGRAM_FILE")
  elif [ -n "$PROGRAM" ]; then input=(-e "$PROGRAM")
  else echo "case sets neither PROGRAM nor PROGRAM_FILE" > "$reason"; exit 1
  fi
  local cmd=("$PROBECC_BIN" "${ARGS[@]}" -c "$TRIGGER" "${input[@]}")
  printf '%q ' "${cmd[@]}" > "$RESULTS/$name.cmd"; echo >> "$RESULTS/$name.cmd"
  timeout -k 5 "$TIMEOUT" "${cmd[@]}" > "$out" 2> "$err" < /dev/null
  local status=$? problems=()
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    problems+=("probecc did not finish within ${TIMEOUT}s")
  elif [ "$EXPECT_STATUS" = nonzero ]; then
    [ "$status" != 0 ] || problems+=("exit status 0, expected non-zero")
  elif [ "$status" != "$EXPECT_STATUS" ]; then
    problems+=("exit status $status, expected $EXPECT_STATUS")
  fi
  local re
  for re in "${EXPECT[@]}"; do
    grep -Eq -- "$re" "$out" || problems+=("no stdout line matches: $re")
  done
  for re in "${EXPECT_STDERR[@]}"; do
    grep -Eq -- "$re" "$err" || problems+=("no stderr line matches: $re")
  done
  ((${#problems[@]} == 0)) && exit 0
  printf '%s\n' "${problems[@]}" > "$reason"
  exit 1
)

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

for file in "$HERE"/cases/*.case; do
  name=$(basename "$file" .case)
  selected "$name" || continue
  start=$(now)
  run_case "$file" "$name"
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
