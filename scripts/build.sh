#!/usr/bin/env bash
# Configures (once) and builds probecc and its tests into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${PROBECC_BUILD_TYPE:-Release}
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
fi
cmake --build build
