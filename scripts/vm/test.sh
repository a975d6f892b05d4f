#!/usr/bin/env bash
# The VM stage of probecc's tests: boots Debian's stock 6.1 kernel under QEMU (TCG) and runs
# tests/vm/run-in-guest.sh there (real kprobes, real kernel-headers compile path), all cases in
# one boot. Prints the boot time, per-case times and the stage's total; exits with the guest's
# status. Exits 0 with `vm: SKIPPED: <reason>` when this machine cannot run the guest.
#
# Environment: PROBECC_SKIP_VM=1 skips the stage; PROBECC_VM_CASES='01-* 05-*' runs only those
# cases; PROBECC_BIN overrides the binary; PROBECC_VM_TIMEOUT (default 1500s) bounds the boot;
# PROBECC_VM_DIR is the cache (default /var/tmp/probecc-vm). See tests/vm/README.md.
set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
GUEST=$ROOT/scripts/vm/guest.sh
VM_DIR=${PROBECC_VM_DIR:-/var/tmp/probecc-vm}
export PROBECC_VM_DIR=$VM_DIR PROBECC_VM_TIMEOUT=${PROBECC_VM_TIMEOUT:-1500}
stage_start=$EPOCHREALTIME

seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
skip() { echo "vm: SKIPPED: $*"; exit 0; }

[ "${PROBECC_SKIP_VM:-0}" = 1 ] && skip "PROBECC_SKIP_VM=1"
[ "$(uname -m)" = x86_64 ] || skip "host is $(uname -m), the guest needs x86_64"
[ "$(id -u)" = 0 ] || skip "not root (setup installs packages; 9p shares / as root)"
if ! command -v apt-get >/dev/null && ! command -v qemu-system-x86_64 >/dev/null; then
  skip "no apt-get to install qemu-system-x86 and qemu-system-x86_64 is not installed"
fi

echo "vm: setup ($VM_DIR)"
if ! "$GUEST" setup; then
  command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 unavailable (setup failed)"
  echo "vm: FAILED: guest setup failed (see above)"
  exit 1
fi
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing after setup"

PROBECC_BIN=${PROBECC_BIN:-$ROOT/build/probecc}
[ -x "$PROBECC_BIN" ] || { echo "vm: FAILED: $PROBECC_BIN not built"; exit 1; }

# The guest sees the host's / read-only, but with fresh tmpfs over /tmp /var/tmp /run /root, where
# a clone (CI's, say) may live. So what it runs is staged in the shared read-write directory: the
# binary and its compiler library, the cases and their runner, the seed programs.
# One staging directory per checkout, so that two checkouts (worktrees, a CI clone beside a
# developer's tree) can run the stage at once; the kernel/initramfs cache above is shared.
RW=$VM_DIR/run-$(basename "$ROOT" | tr -c 'A-Za-z0-9_.\n-' _)
rm -rf "$RW"; mkdir -p "$RW/project/build" "$RW/project/tests" "$RW/shared"
bin_dir=$(dirname "$(readlink -f "$PROBECC_BIN")")
cp "$bin_dir/probecc" "$RW/project/build/"
[ -f "$bin_dir/libprobecc-compiler.so" ] && cp "$bin_dir/libprobecc-compiler.so" "$RW/project/build/"
cp -r "$ROOT/tests/vm" "$ROOT/tests/cases" "$RW/project/tests/"
mkdir -p "$RW/project/tests/e2e" && cp -r "$ROOT/tests/e2e/data" "$RW/project/tests/e2e/"  # programs cases build
mkdir -p "$RW/project/src/frontend" && cp "$ROOT/src/frontend/kernel_constants.names" "$RW/project/src/frontend/"
[ -d "$ROOT/../shared/seed-programs" ] && cp -r "$ROOT/../shared/seed-programs" "$RW/shared/"
# PACKAGE cases (tests/cases/README.md) run in the guest as packages compiled here, against this
# kernel's BTF: the guest's 6.1 lays its structs out differently. Its kernel's config goes along for
# libbpf's CONFIG_* externs (Debian's kernel has no /proc/config.gz; an installed one has /boot/config-KV).
mkdir -p "$RW/packages"
for case_file in "$ROOT"/tests/cases/*.case; do
  name=$(basename "$case_file" .case) wanted=${PROBECC_VM_CASES:-*} match=
  for glob in $wanted; do [[ $name == $glob ]] && match=1; done
  [ -n "$match" ] || continue
  PROBECC_BIN=$PROBECC_BIN PROJECT_DIR=$ROOT "$ROOT/tests/cases/run-case.sh" --package "$case_file" "$RW/packages" ||
    echo "vm: building the package of $name failed; the guest builds its own, from its own kernel"
done
cp "$VM_DIR/kernel/boot/config-$("$GUEST" kv)" "$RW/kernel-config" 2>/dev/null
{
  printf 'PROBECC_BIN=%q\n' "$RW/project/build/probecc"
  printf 'PACKAGE_DIR=%q\n' "$RW/packages"
  printf 'PROBECC_VM_CASES=%q\n' "${PROBECC_VM_CASES:-}"
} > "$RW/guest.env"

echo "vm: setup took $(seconds_since "$stage_start")s; booting guest $("$GUEST" kv) (TCG, timeout ${PROBECC_VM_TIMEOUT}s)"
boot_start=$EPOCHREALTIME
# Guest console → stdout, with the boot time stamped when the guest's test runner starts.
"$GUEST" run "$RW/project/tests/vm/run-in-guest.sh" "$RW" 2>&1 | {
  booted=
  while IFS= read -r line; do
    line=${line%$'\r'}
    if [ -z "$booted" ] && [[ $line == "vm: guest "* ]]; then
      booted=1
      echo "vm: boot took $(seconds_since "$boot_start")s (qemu start to test runner)"
    fi
    echo "$line"
  done
}
status=${PIPESTATUS[0]}

echo "vm: guest stage took $(seconds_since "$boot_start")s, whole VM stage $(seconds_since "$stage_start")s; status $status (results in $RW/results)"
exit "$status"
