#!/usr/bin/env bash
# Fails when a file in src/ includes a folder its layer may not use. The layers, bottom up:
#   support ← program ← kernel, cache ← frontend ← codegen ← compiler;
#   kernel ← elf ← load ← attach;  load ← output ← metrics;  cache, frontend ← driver;  main.cpp uses any.
# The CMake libraries (one per folder, CMakeLists.txt) link the same way.
set -euo pipefail
src=$(cd "${1:-$(dirname "$0")/../../src}" && pwd)  # a tree to check (tests pass their own)

declare -A allowed=(
  [support]="support"
  [program]="support program"
  [kernel]="support program kernel"
  [cache]="support program cache"
  [frontend]="support program kernel frontend"
  [codegen]="support program kernel frontend codegen"
  [compiler]="support program kernel cache frontend codegen compiler"
  [elf]="support program kernel elf"
  [load]="support program kernel elf load"
  [attach]="support program kernel elf load attach"
  [output]="support program kernel elf load output"
  [metrics]="support program kernel elf load output metrics"
  [driver]="support program kernel cache frontend driver"
)

bad=0
for dir in "$src"/*/; do
  layer=$(basename "$dir")
  if [ -z "${allowed[$layer]+x}" ]; then
    echo "layers: src/$layer/ is no known layer (add it to scripts/checks/layers.sh and CMakeLists.txt)"
    bad=1
    continue
  fi
  while IFS=: read -r file line include; do
    used=${include#*\"}
    used=${used%%/*}
    case " ${allowed[$layer]} " in
      *" $used "*) ;;
      *) echo "layers: ${file#"$src"/}:$line: $layer may not include ${include#*#include }"; bad=1 ;;
    esac
  done < <(grep -Hn '^#include "[a-z_]*/' "$dir"*.h "$dir"*.cpp 2>/dev/null || true)
done
[ "$bad" -eq 0 ] && echo "layers: every include keeps to its layer"
exit "$bad"
