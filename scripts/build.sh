#!/usr/bin/env bash
# Configures (once) and builds probecc and its tests into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${PROBECC_BUILD_TYPE:-Release}
if [ ! -f build/build.ninja ]; then
  launcher=()
  # ccache, where a developer has it, shares objects between checkouts (worktrees)
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" "${launcher[@]}" >/dev/null
fi
cmake --build build
