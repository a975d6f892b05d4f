#!/usr/bin/env bash
# Installs every Debian package probecc's build, tests and benchmarks need, then builds.
# Idempotent: packages already present are skipped by apt, the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # compiler toolchain and the libraries probecc links
  cmake ninja-build g++ pkg-config
  llvm-19-dev libclang-19-dev clang-19
  libbpf-dev libelf-dev zlib1g-dev libzstd-dev
  libboost-program-options-dev
  # tests and benchmarks
  libgtest-dev nlohmann-json3-dev bpftrace time
  systemtap-sdt-dev  # <sys/sdt.h>, for the USDT test programs
  podman runc  # the fleet container test (docs/fleet.md): an image of the runtime alone
  python3-bpfcc  # BCC, beside bpftrace in the footprint benchmark
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
fi

exec scripts/build.sh
