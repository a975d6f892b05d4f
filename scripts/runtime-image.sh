#!/usr/bin/env bash
# Makes the fleet image's root file system as a tarball (docs/fleet.md): the runtime component
# (`cmake --install BUILD --component runtime`: probecc alone, no compiler library), the shared
# libraries it loads (as ldd resolves them here, at the same paths), and the given packages under
# /packages. No base image, no shell: `podman import` (or `docker import`) makes it an image.
#
#   scripts/runtime-image.sh BUILD_DIR OUT.tar [PACKAGE...]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR OUT.tar [PACKAGE...]" >&2; exit 2; }
build=$1 out=$2
shift 2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cmake --install "$build" --component runtime --prefix "$root/usr/local" >/dev/null
binary=$root/usr/local/bin/probecc
[ -x "$binary" ] || { echo "$0: the runtime component installed no probecc" >&2; exit 1; }
if [ -e "$root/usr/local/lib/probecc" ]; then echo "$0: the runtime component holds the compiler library" >&2; exit 1; fi
# the dynamic loader and every library, at the paths the binary asks for them
ldd "$binary" | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }' | sort -u | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
mkdir -p "$root/packages" "$root/sys" "$root/proc" "$root/dev" "$root/tmp"
for package in "$@"; do cp "$package" "$root/packages/"; done
tar -C "$root" --numeric-owner --owner=0 --group=0 -cf "$out" .
