#!/usr/bin/env bash
# The test suite: set up and build, unit and end-to-end tests on this machine's kernel (ctest),
# the sanitizer stage (scripts/sanitizers.sh: ASan+UBSan build, unit tests, an e2e subset, a short
# fuzz run), then the kprobe / kernel-headers stage in a QEMU guest (scripts/vm/test.sh). Ends
# with one line that adds them up.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mountpoint -q /sys/kernel/tracing || [ -e /sys/kernel/debug/tracing/trace_pipe ] ||
  mount -t tracefs tracefs /sys/kernel/tracing

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
set +e
ctest --test-dir build --output-on-failure 2>&1 | tee "$log"
ctest_status=${PIPESTATUS[0]}
set -e
[ "$ctest_status" = 0 ] || status=$ctest_status
if [ "${PROBECC_SKIP_SANITIZERS:-}" != 1 ]; then
  set +e
  scripts/sanitizers.sh 2>&1 | tee -a "$log"
  sanitizers_status=${PIPESTATUS[0]}
  set -e
  [ "$sanitizers_status" = 0 ] || status=$sanitizers_status
else
  echo "sanitizers: SKIPPED: PROBECC_SKIP_SANITIZERS=1 set" | tee -a "$log"
fi
if [ "${PROBECC_SKIP_VM:-}" != 1 ]; then
  set +e
  scripts/vm/test.sh 2>&1 | tee -a "$log"
  vm_status=${PIPESTATUS[0]}
  set -e
  [ "$vm_status" = 0 ] || status=$vm_status
else
  echo "vm: SKIPPED: PROBECC_SKIP_VM=1 set" | tee -a "$log"
fi

# ctest: "100% tests passed, 0 tests failed out of 154"; the VM stage: "vm: 12 passed, 0 failed"
# (the first ctest's lines are those before the sanitizer stage's first line, which runs ctest too)
read -r ctest_failed ctest_total < <(sed -n '1,/^sanitizers: /p' "$log" | sed -n 's/.* \([0-9]*\) tests failed out of \([0-9]*\)$/\1 \2/p' | tail -n1)
read -r vm_passed vm_failed < <(sed -n 's/^vm: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log" | tail -n1)
# the sanitizer stage: "sanitizers: 160 passed, 0 failed, 2 skipped"
read -r san_passed san_failed san_skipped < <(sed -n 's/^sanitizers: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$log" | tail -n1)
# ctest counts a skipped test (GTEST_SKIP) as passed, and lists it under "The following tests did
# not run:" as "  12 - e2e.Suite.Name (Skipped)"
ctest_skipped=$(sed -n '1,/^sanitizers: /p' "$log" | grep -cE '^[[:space:]]*[0-9]+ - .* \(Skipped\)$' || true)
skipped=$(( ctest_skipped + ${san_skipped:-0} + $(grep -c '^vm: SKIPPED\|^sanitizers: SKIPPED' "$log" || true) ))
passed=$(( ${ctest_total:-0} - ${ctest_failed:-0} - ctest_skipped + ${vm_passed:-0} + ${san_passed:-0} ))
failed=$(( ${ctest_failed:-0} + ${vm_failed:-0} + ${san_failed:-0} ))
[ "$status" = 0 ] || [ "$failed" -gt 0 ] || failed=1  # a stage that failed before counting
echo "all: $passed passed, $failed failed, $skipped skipped"
exit "$status"
