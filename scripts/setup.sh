#!/usr/bin/env bash
# Installs every Debian package probecc's build, tests and benchmarks need, then builds.
# Idempotent: packages already present are skipped by apt, the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # compiler toolchain and the libraries probecc links
  cmake ninja-build g++ pkg-config
  llvm-19-dev libclang-19-dev clang-19
  libclang-rt-19-dev  # the sanitizer and libFuzzer runtimes (scripts/sanitizers.sh, scripts/fuzz.sh)
  libbpf-dev libelf-dev zlib1g-dev libzstd-dev
  libboost-program-options-dev libboost-dev  # Boost.Beast/Asio (header-only) serve --metrics
  # tests and benchmarks
  libgtest-dev nlohmann-json3-dev bpftrace time
  systemtap-sdt-dev  # <sys/sdt.h>, for the USDT test programs
  prometheus curl    # the --metrics test scrapes probecc with a real Prometheus server
  podman runc  # the fleet container test (docs/fleet.md): an image of the runtime alone
  python3-bpfcc  # BCC, beside bpftrace in the footprint benchmark
)

# One line a phase; the full logs go to build/setup-*.log and are shown only when a phase fails.
mkdir -p build
run_logged() {  # run_logged LOG COMMAND...: quiet unless it fails
  local log=$1; shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "setup: failed (full log: $log)" >&2
    exit 1
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian packages (${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  run_logged build/setup-apt.log apt-get update -qq
  run_logged build/setup-apt.log apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

echo "setup: building probecc (log: build/setup-build.log)"
start=$SECONDS
run_logged build/setup-build.log scripts/build.sh
echo "setup: built in $((SECONDS - start)) s"
