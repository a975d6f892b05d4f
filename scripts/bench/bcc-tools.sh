#!/usr/bin/env bash
# Benchmark (not a test): how many of BCC's own tools (Debian's bpfcc-tools, /usr/sbin/*-bpfcc)
# probecc compiles and loads through the verifier as they are.
#
# Each tool's Python runs with a stand-in `bcc` package first on PYTHONPATH
# (scripts/bench/bcc-capture/bcc): BPF(text=...) compiles nothing and records the C text, cflags
# and the attach calls the tool makes, and the tool is stopped once it starts waiting for events.
# Each captured program (written under the work directory, never into the repository: it is
# BCC's code) then runs through `probecc --dry-run` with -a options made from those attach calls.
# Tools a hook of which does not exist on this kernel (a kprobe target, a tracepoint, USDT probes
# of a running process) are marked (n/a): BCC could not load them here either.
#
#   scripts/bench/bcc-tools.sh               BTF mode on this machine (probecc --btf)
#   BCC_TOOLS_MODE=headers scripts/bench/bcc-tools.sh   kernel headers (/lib/modules/$(uname -r)/build)
#   scripts/bench/bcc-tools.sh --guest       headers mode in the QEMU guest (Debian 6.1, see tests/vm)
#   scripts/bench/bcc-tools.sh --run [--guest]   run execsnoop, opensnoop, killsnoop, tcpconnect,
#                           biolatency, filetop, dcsnoop and mountsnoop for real: each program with a
#                           trigger (-c: an exec, an open, a kill, a local TCP connect, block I/O, file
#                           reads, a failed lookup, a tmpfs mount); RUN-OK when its events printed
#                           (bcc-capture/run_for_real.py); RUN-n/a where its hooks need kprobes
#
#   PROBECC=path            binary (default build/probecc)
#   BCC_TOOLS='a b'         only these tools
#   BCC_TOOLS_DIR=DIR       work directory (default /var/tmp/probecc-bcc-tools-$MODE)
#   BCC_TOOLS_RESULTS=FILE  per-tool results and totals (default DIR/results.txt), rewritten as it goes
#   BCC_TOOLS_RUN_SECONDS=N with --run: each run's -d limit (default 20)
#   BCC_CAPTURE_TIMEOUT=S   seconds a tool's Python may take up to BPF() (default 20; 120 in the guest)
#   BCC_TOOLS_TIMEOUT=S     seconds one probecc --dry-run may take (default 240; 600 in the guest: TCG)
#   BCC_CAPTURE_KFUNC=1     let tools choose their fentry variants (default: kprobes; fentry
#                           cannot load on the development host)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
PROBECC=$(readlink -f "${PROBECC:-$root/build/probecc}")
die() { echo "bcc-tools.sh: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (loads BPF programs)"
[ -x "$PROBECC" ] || die "probecc not found at '$PROBECC' (build it, or set PROBECC=)"

guest=
for arg in "$@"; do
  case $arg in
    --guest) guest=1 ;;
    --run) export BCC_TOOLS_RUN=1 ;;
    *) die "unknown option '$arg' (see the comment at the top)" ;;
  esac
done

if [ -n "$guest" ]; then
  # The guest sees the host's / read-only but has fresh tmpfs over /tmp and /var/tmp, so the
  # binary, the harness and the results live in the VM's shared read-write directory.
  vm_dir=${PROBECC_VM_DIR:-/var/tmp/probecc-vm}
  export PROBECC_VM_DIR=$vm_dir PROBECC_VM_TIMEOUT=${PROBECC_VM_TIMEOUT:-7200}
  "$root/scripts/vm/guest.sh" setup
  dpkg-query -W -f='${Status}' bpfcc-tools 2>/dev/null | grep -q 'install ok installed' ||
    apt-get install -y -qq -o DPkg::Lock::Timeout=600 bpfcc-tools >/dev/null
  rw=$vm_dir/bcc-tools
  rm -rf "$rw"; mkdir -p "$rw/build" "$rw/bench"
  cp "$PROBECC" "$rw/build/"
  [ -f "$(dirname "$PROBECC")/libprobecc-compiler.so" ] && cp "$(dirname "$PROBECC")/libprobecc-compiler.so" "$rw/build/"
  cp -r "$root/scripts/bench/bcc-capture" "$root/scripts/bench/bcc-tools.sh" "$rw/bench/"
  # The guest's root is 9p: load the file systems BCC's *dist/*slower tools trace, so their hooks
  # exist there. TCG runs a tool's Python several times slower than the host does.
  cat > "$rw/guest-run.sh" <<EOF
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
for fs in ext4 xfs btrfs nfs nfsv4; do modprobe -q \$fs || echo "guest: no \$fs module" >&2; done
PROBECC=$rw/build/probecc BCC_TOOLS_MODE=${BCC_TOOLS_MODE:-headers} BCC_TOOLS_DIR=$rw/work \
  BCC_TOOLS='${BCC_TOOLS:-}' BCC_TOOLS_RESULTS=$rw/results.txt BCC_TOOLS_RUN=${BCC_TOOLS_RUN:-} \
  BCC_TOOLS_RUN_SECONDS=${BCC_TOOLS_RUN_SECONDS:-} BCC_CAPTURE_TIMEOUT=${BCC_CAPTURE_TIMEOUT:-120} \
  BCC_TOOLS_TIMEOUT=${BCC_TOOLS_TIMEOUT:-600} \
  bash $rw/bench/bcc-tools.sh
EOF
  rc=0
  "$root/scripts/vm/guest.sh" run "$rw/guest-run.sh" "$rw" || rc=$?
  [ -f "$rw/results.txt" ] && cp "$rw/results.txt" "${BCC_TOOLS_RESULTS:-$rw/results.txt}" 2>/dev/null || true
  if [ -f "$rw/results.txt" ] && [ -n "${BCC_TOOLS_RUN:-}" ]; then cat "$rw/results.txt"
  elif [ -f "$rw/results.txt" ]; then sed -n '/^## totals/,$p' "$rw/results.txt"; fi
  exit "$rc"
fi

export BCC_TOOLS_MODE=${BCC_TOOLS_MODE:-btf}
export BCC_TOOLS_DIR=${BCC_TOOLS_DIR:-/var/tmp/probecc-bcc-tools-$BCC_TOOLS_MODE${BCC_TOOLS_RUN:+-run}}
export PROBECC BCC_TOOLS_RESULTS=${BCC_TOOLS_RESULTS:-$BCC_TOOLS_DIR/results.txt}
if ! dpkg-query -W -f='${Status}' bpfcc-tools 2>/dev/null | grep -q 'install ok installed'; then
  echo "installing Debian's bpfcc-tools ..." >&2
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 bpfcc-tools >/dev/null || die "could not install bpfcc-tools"
fi
[ -d /sys/kernel/tracing/events ] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
mkdir -p "$BCC_TOOLS_DIR"
exec /usr/bin/python3 "$(dirname "$(readlink -f "$0")")/bcc-capture/run_tools.py"
