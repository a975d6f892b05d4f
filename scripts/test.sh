#!/usr/bin/env bash
# The test suite: set up and build, unit and end-to-end tests on this machine's kernel (ctest),
# then the kprobe / kernel-headers stage in a QEMU guest (scripts/vm/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mountpoint -q /sys/kernel/tracing || [ -e /sys/kernel/debug/tracing/trace_pipe ] ||
  mount -t tracefs tracefs /sys/kernel/tracing

status=0
ctest --test-dir build --output-on-failure || status=$?
if [ -x scripts/vm/test.sh ] && [ "${PROBECC_SKIP_VM:-}" != 1 ]; then
  scripts/vm/test.sh || status=$?
else
  echo "vm: SKIPPED: ${PROBECC_SKIP_VM:+PROBECC_SKIP_VM=1 set}${PROBECC_SKIP_VM:-scripts/vm/test.sh not present}"
fi
exit $status
