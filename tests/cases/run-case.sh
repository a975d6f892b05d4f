#!/usr/bin/env bash
# Runs ONE test case (tests/cases/NAME.case, format in tests/cases/README.md) against the kernel
# it runs on: the host's e2e tests (tests/e2e/case_test.cpp) and the QEMU guest's runner
# (tests/vm/run-in-guest.sh) both run cases through this script, so a case means the same in both.
#
#   run-case.sh CASE_FILE RESULTS_DIR      (PROBECC_BIN, PROJECT_DIR, SHARED_DIR from the caller)
#   run-case.sh --package CASE_FILE DIR    only build a PACKAGE case's package, DIR/NAME.pkg (the VM
#                                          stage builds them on the host for the guest)
# Exit: 0 pass, 1 fail, 2 skip; RESULTS_DIR/NAME.{cmd,out,err,reason} say what happened.
# A PACKAGE case's package comes from $PACKAGE_DIR/NAME.pkg when that exists, else it is built here.
set -uo pipefail
package_only=
[ "$1" = --package ] && { package_only=1; shift; }
file=$1 results=$2
name=$(basename "$file" .case)
: "${PROBECC_BIN:?}" "${PROJECT_DIR:?}" "${SHARED_DIR:=$PROJECT_DIR/../shared}"
KV=$(uname -r)
TAG="probecc-case-$name-$$-$RANDOM"
DESCRIPTION= PROGRAM= PROGRAM_FILE= REQUIRE_FILE= TRIGGER=true RUNS_ON=guest PACKAGE= CHECK=
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
build_package() {  # build_package PATH: the case's program as a package (--emit package), built here
  local cmd=("$PROBECC_BIN" "${ARGS[@]}" --emit package -o "$1" "${input[@]}")
  printf '%q ' "${cmd[@]}" >> "$results/$name.cmd"; echo >> "$results/$name.cmd"
  timeout -k 5 "$TIMEOUT" "${cmd[@]}" >> "$err" 2>&1 < /dev/null
}
if [ -n "$package_only" ]; then
  [ -n "$PACKAGE" ] || exit 0
  : > "$results/$name.cmd"
  build_package "$results/$name.pkg" || { cat "$err" >&2; exit 1; }
  exit 0
fi

problems=()
# run_and_check LABEL COMMAND...: runs probecc's COMMAND; what does not meet the case goes to problems
run_and_check() {
  local label=$1 status re
  shift
  printf '%q ' "$@" >> "$results/$name.cmd"; echo >> "$results/$name.cmd"
  timeout -k 5 "$TIMEOUT" "$@" > "$out" 2> "$err" < /dev/null
  status=$?
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    problems+=("${label}probecc did not finish within ${TIMEOUT}s")
  elif [ "$EXPECT_STATUS" = nonzero ]; then
    [ "$status" != 0 ] || problems+=("${label}exit status 0, expected non-zero")
  elif [ "$status" != "$EXPECT_STATUS" ]; then
    problems+=("${label}exit status $status, expected $EXPECT_STATUS")
  fi
  for re in "${EXPECT[@]}"; do
    grep -Eq -- "$re" "$out" || problems+=("${label}no stdout line matches: $re")
  done
  for re in "${EXPECT_STDERR[@]}"; do
    grep -Eq -- "$re" "$err" || problems+=("${label}no stderr line matches: $re")
  done
  for re in "${NOT_EXPECT[@]}"; do
    ! grep -Eq -- "$re" "$out" "$err" || problems+=("${label}a line matches what must not appear: $re")
  done
  if [ -n "$CHECK" ] && ! (bash -c "$CHECK" check "$out" >> "$err" 2>&1); then
    problems+=("${label}CHECK failed: $CHECK")
  fi
}

: > "$results/$name.cmd"
run_and_check "" "$PROBECC_BIN" "${ARGS[@]}" -c "$TRIGGER" "${input[@]}"
if [ -n "$PACKAGE" ]; then
  # The package, run by a copy of probecc alone: no compiler library beside it or in ../lib/probecc.
  package=${PACKAGE_DIR:-}/$name.pkg
  mv "$out" "$out.source"; mv "$err" "$err.source"
  if ! { [ -n "${PACKAGE_DIR:-}" ] && [ -f "$package" ]; }; then
    package=$results/$name.pkg
    build_package "$package" || problems+=("building the package failed: $(tail -n 3 "$err")")
  fi
  if [ -f "$package" ]; then
    runner=$(mktemp -d "${TMPDIR:-/tmp}/probecc-runner.XXXXXX")
    cp "$PROBECC_BIN" "$runner/probecc"
    run_and_check "package run: " "$runner/probecc" "${ARGS[@]}" -c "$TRIGGER" "$package"
    rm -rf "$runner"
  fi
fi
((${#problems[@]} == 0)) && exit 0
printf '%s\n' "${problems[@]}" > "$reason"
exit 1
