#!/usr/bin/env bash
# The test suite: set up and build, unit and end-to-end tests on this machine's kernel (ctest),
# then the kprobe / kernel-headers stage in a QEMU guest (scripts/vm/test.sh). Ends with one line
# that adds both up.
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
read -r ctest_failed ctest_total < <(sed -n 's/.* \([0-9]*\) tests failed out of \([0-9]*\)$/\1 \2/p' "$log" | tail -n1)
read -r vm_passed vm_failed < <(sed -n 's/^vm: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log" | tail -n1)
# ctest counts a skipped test (GTEST_SKIP) as passed, and lists it under "The following tests did
# not run:" as "  12 - e2e.Suite.Name (Skipped)"
ctest_skipped=$(grep -cE '^[[:space:]]*[0-9]+ - .* \(Skipped\)$' "$log" || true)
skipped=$(( ctest_skipped + $(grep -c '^vm: SKIPPED' "$log" || true) ))
passed=$(( ${ctest_total:-0} - ${ctest_failed:-0} - ctest_skipped + ${vm_passed:-0} ))
failed=$(( ${ctest_failed:-0} + ${vm_failed:-0} ))
[ "$status" = 0 ] || [ "$failed" -gt 0 ] || failed=1  # a stage that failed before counting
echo "all: $passed passed, $failed failed, $skipped skipped"
exit "$status"
