#!/usr/bin/env bash
# Benchmark (not a test): what a machine that only runs probes must install, side by side:
#   probecc-runtime  `cmake --install build --component runtime`: probecc alone, which runs
#                    packages (--emit package); the fleet image (docs/fleet.md) is this plus its libraries
#   probecc-full     the whole install: probecc and libprobecc-compiler.so (Clang, LLVM)
#   bpftrace         Debian's bpftrace package
#   bcc              Debian's python3-bpfcc + libbpfcc, and the python3 they need (python3.11's
#                    interpreter and standard library packages)
# For each: bytes of its own files, bytes of the shared libraries its ELF files load (ldd, each
# library once; libc and libstdc++ too, for every row), the total, and the ratio to bpftrace; then
# the fleet image's tarball size (scripts/runtime-image.sh).
#   PROBECC_BUILD=dir   build directory (default build/ under the project root)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${PROBECC_BUILD:-$root/build}
die() { echo "footprint.sh: $*" >&2; exit 1; }
[ -x "$build/probecc" ] || die "no $build/probecc (build it, or set PROBECC_BUILD=)"
for package in bpftrace python3-bpfcc libbpfcc; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    die "$package is not installed (scripts/setup.sh installs it)"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --component runtime --prefix "$tmp/runtime" >/dev/null
cmake --install "$build" --prefix "$tmp/full" >/dev/null

regular_files() { while IFS= read -r f; do if [ -f "$f" ] && [ ! -L "$f" ]; then echo "$f"; fi; done; }
is_elf() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; }
# The shared libraries (real paths) the ELF files among the given files load, minus those files.
libraries_of() {
  local files=$1 f
  while IFS= read -r f; do
    if is_elf "$f"; then
      ldd "$f" 2>/dev/null | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }' || true
    fi
  done < "$files" | xargs -r realpath | sort -u | comm -23 - <(xargs -r realpath < "$files" | sort -u)
}
bytes_of() { xargs -r stat -c %s < "$1" | awk '{ s += $1 } END { print s + 0 }'; }

declare -A OWN LIBS COUNT
measure() {  # measure NAME FILES_LIST
  local name=$1 list=$2
  libraries_of "$list" > "$list.libs"
  OWN[$name]=$(bytes_of "$list") LIBS[$name]=$(bytes_of "$list.libs")
  COUNT[$name]="$(grep -c . "$list") files, $(grep -c . "$list.libs") libraries"
}
find "$tmp/runtime" -type f > "$tmp/probecc-runtime"
find "$tmp/full" -type f > "$tmp/probecc-full"
dpkg -L bpftrace | regular_files > "$tmp/bpftrace"
py=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
dpkg -L python3-bpfcc libbpfcc "python$py-minimal" "libpython$py-minimal" "libpython$py-stdlib" |
  regular_files | sort -u > "$tmp/bcc"
for name in probecc-runtime probecc-full bpftrace bcc; do measure "$name" "$tmp/$name"; done

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "footprint: bytes on disk of each tracer's files and the shared libraries they load (kernel $(uname -r))"
printf '%-16s %12s %14s %12s %11s  %s\n' tracer files libraries total vs-bpftrace counts
base=$((OWN[bpftrace] + LIBS[bpftrace]))
for name in probecc-runtime probecc-full bpftrace bcc; do
  total=$((OWN[$name] + LIBS[$name]))
  printf '%-16s %12s %14s %12s %10.2fx  %s\n' "$name" "$(mib "${OWN[$name]}")" "$(mib "${LIBS[$name]}")" "$(mib "$total")" \
    "$(awk -v a="$total" -v b="$base" 'BEGIN { print a / b }')" "${COUNT[$name]}"
done
"$root/scripts/runtime-image.sh" "$build" "$tmp/image.tar"
echo
echo "fleet image (scripts/runtime-image.sh: runtime + its libraries, no package): $(mib "$(stat -c %s "$tmp/image.tar")"), $(gzip -c "$tmp/image.tar" | wc -c | xargs -I{} awk -v b={} 'BEGIN { printf "%.1f MiB", b / 1048576 }') gzipped"
