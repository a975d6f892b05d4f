#!/usr/bin/env bash
# Runs ONE test case (tests/cases/NAME.case, format in tests/cases/README.md) against the kernel
# it runs on: the host's e2e tests (tests/e2e/case_test.cpp) and the QEMU guest's runner
# (tests/vm/run-in-guest.sh) both run cases through this script, so a case means the same in both.
#
#   run-case.sh CASE_FILE RESULTS_DIR      (PROBECC_BIN, PROJECT_DIR, SHARED_DIR from the caller)
# Exit: 0 pass, 1 fail, 2 skip; RESULTS_DIR/NAME.{cmd,out,err,reason} say what happened.
set -uo pipefail
file=$1 results=$2
name=$(basename "$file" .case)
: "${PROBECC_BIN:?}" "${PROJECT_DIR:?}" "${SHARED_DIR:=$PROJECT_DIR/../shared}"
KV=$(uname -r)
TAG="probecc-case-$name-$$-$RANDOM"
DESCRIPTION= PROGRAM= PROGRAM_FILE= REQUIRE_FILE= TRIGGER=true RUNS_ON=guest
EXPECT_STATUS=0 TIMEOUT=240
ARGS=() EXPECT=() EXPECT_STDERR=() NOT_EXPECT=()
mkdir -p "$results"
out=$results/$name.out err=$results/$name.err reason=$results/$name.reason
: > "$out"; : > "$err"; : > "$reason"
# shellcheck disable=SC1090
. "$file" || { echo "case file does not source cleanly" > "$reason"; exit 1; }
if [ -n "$REQUIRE_FILE" ] && [ ! -e "$REQUIRE_FILE" ]; then
  echo "$REQUIRE_FILE does not exist" > "$reason"; exit 2
fi
input=()
if [ -n "$PROGRAM_FILE" ]; then input=("$PROGRAM_FILE")
elif [ -n "$PROGRAM" ]; then input=(-e "$PROGRAM")
else echo "case sets neither PROGRAM nor PROGRAM_FILE" > "$reason"; exit 1
fi
cmd=("$PROBECC_BIN" "${ARGS[@]}" -c "$TRIGGER" "${input[@]}")
printf '%q ' "${cmd[@]}" > "$results/$name.cmd"; echo >> "$results/$name.cmd"
timeout -k 5 "$TIMEOUT" "${cmd[@]}" > "$out" 2> "$err" < /dev/null
status=$? problems=()
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  problems+=("probecc did not finish within ${TIMEOUT}s")
elif [ "$EXPECT_STATUS" = nonzero ]; then
  [ "$status" != 0 ] || problems+=("exit status 0, expected non-zero")
elif [ "$status" != "$EXPECT_STATUS" ]; then
  problems+=("exit status $status, expected $EXPECT_STATUS")
fi
for re in "${EXPECT[@]}"; do
  grep -Eq -- "$re" "$out" || problems+=("no stdout line matches: $re")
done
for re in "${EXPECT_STDERR[@]}"; do
  grep -Eq -- "$re" "$err" || problems+=("no stderr line matches: $re")
done
for re in "${NOT_EXPECT[@]}"; do
  ! grep -Eq -- "$re" "$out" "$err" || problems+=("a line matches what must not appear: $re")
done
((${#problems[@]} == 0)) && exit 0
printf '%s\n' "${problems[@]}" > "$reason"
exit 1
