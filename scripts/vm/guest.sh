#!/usr/bin/env bash
# QEMU guest for probecc's kernel tests: Debian's stock 6.1 kernel (kprobes, BTF) booted under
# TCG, with the host's / visible read-only over 9p, so the guest runs the host's probecc build,
# libraries and the guest kernel's headers (installed on the host as linux-headers-$KV).
#
#   guest.sh setup             install host packages and build the kernel/initramfs cache
#                              (idempotent; only what is missing is installed or rebuilt)
#   guest.sh run SCRIPT RWDIR  boot, run `bash SCRIPT` as root in the guest (cwd RWDIR), power
#                              off; exit status = SCRIPT's status (124 = timed out, 125 = the
#                              guest never reported a status)
#   guest.sh shell [RWDIR]     interactive bash in the guest (Ctrl-A X quits qemu)
#   guest.sh kv                print the guest kernel version
#
# In the guest: host / is read-only (9p), RWDIR is read-write at the same path, /tmp /var/tmp
# /run /root are fresh tmpfs, /lib/modules/$KV is the extracted linux-image modules tree with
# build/source pointing at the host-installed headers; proc, sys, tracefs, debugfs, bpffs mounted.
# SCRIPT and RWDIR must not contain spaces (they travel on the kernel command line).
#
# Environment: PROBECC_VM_DIR (cache, default /var/tmp/probecc-vm), PROBECC_VM_KV (kernel ABI,
# default: what linux-image-amd64 depends on), PROBECC_VM_MEM (1G), PROBECC_VM_SMP (2),
# PROBECC_VM_TIMEOUT (seconds for `run`, default 720).
# NOTE: TCG only. KVM on this kind of host (PVM) hangs stock kernels during early boot.
set -euo pipefail

VM_DIR=${PROBECC_VM_DIR:-/var/tmp/probecc-vm}
SELF=$(readlink -f "$0")

say() { echo "guest.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

apt_updated=
apt_update_once() {
  [ -n "$apt_updated" ] && return 0
  say "apt-get update"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null
  apt_updated=1
}

# The guest kernel ABI version, e.g. 6.1.0-56-amd64. Remembered in the cache once known so that
# later runs neither need apt lists nor silently switch kernels when the archive moves on.
guest_kv() {
  if [ -n "${PROBECC_VM_KV:-}" ]; then echo "$PROBECC_VM_KV"; return; fi
  if [ -s "$VM_DIR/kv" ]; then cat "$VM_DIR/kv"; return; fi
  local kv
  kv=$(apt-cache depends linux-image-amd64 2>/dev/null |
       awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }')
  if [ -z "$kv" ]; then
    apt_update_once
    kv=$(apt-cache depends linux-image-amd64 2>/dev/null |
         awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }')
  fi
  [ -n "$kv" ] || die "cannot determine the guest kernel version (linux-image-amd64 unknown to apt)"
  echo "$kv"
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_packages() {
  local kv=$1 p missing=()
  for p in qemu-system-x86 busybox-static kmod "linux-headers-$kv"; do
    installed "$p" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  apt_update_once
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
}

# linux-image-$KV unpacked (not installed: no initramfs/bootloader hooks) into $VM_DIR/kernel.
extract_kernel() {
  local kv=$1 dest=$VM_DIR/kernel
  if [ ! -f "$dest/boot/vmlinuz-$kv" ] || [ ! -f "$dest/lib/modules/$kv/modules.dep" ]; then
    local tmp; tmp=$(mktemp -d "$VM_DIR/kernel.tmp.XXXXXX")
    say "downloading and extracting linux-image-$kv"
    (cd "$tmp" && apt-get download "linux-image-$kv" >/dev/null 2>&1) || {
      apt_update_once
      (cd "$tmp" && apt-get download "linux-image-$kv" >/dev/null)
    }
    dpkg -x "$tmp"/linux-image-"$kv"_*.deb "$tmp/root"
    depmod -b "$tmp/root" "$kv"
    rm -rf "$dest"; mv "$tmp/root" "$dest"; rm -rf "$tmp"
  fi
  # The tree replaces /lib/modules/$KV in the guest, so it carries the headers links itself.
  local hdr=/usr/src/linux-headers-$kv
  [ -d "$hdr" ] || die "$hdr missing (linux-headers-$kv not installed?)"
  ln -sfn "$hdr" "$dest/lib/modules/$kv/build"
  if [ -L "/lib/modules/$kv/source" ]; then
    ln -sfn "$(readlink "/lib/modules/$kv/source")" "$dest/lib/modules/$kv/source"
  fi
  [ -d "/lib/modules/$kv" ] || die "/lib/modules/$kv missing on the host (needed as the guest's mount point)"
}

# PID 1 of the guest (busybox sh). Always ends in poweroff -f.
init_script() {
  cat <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
finish() {
  echo "probecc-vm: status $1"
  [ -n "$RW" ] && [ -d "/root$RW" ] && echo "$1" > "/root$RW/.guest-status"
  sync
  poweroff -f
  sleep 60
}
SCRIPT=$(arg pvm_script); RW=$(arg pvm_rw); MODS=$(arg pvm_modules); KV=$(uname -r)
for m in $(cat /modules.list); do
  insmod "/modules/$m" || echo "probecc-vm: insmod $m failed"
done
mkdir -p /root
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /root \
  || { RW=; finish 125; }
mount --bind "/root$MODS" "/root/lib/modules/$KV" || echo "probecc-vm: cannot bind $MODS"
for d in /tmp /var/tmp /run /root; do mount -t tmpfs -o mode=1777 tmpfs "/root$d"; done
chmod 700 /root/root
if [ -n "$RW" ]; then
  mkdir -p "/root$RW"
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 hostrw "/root$RW" \
    || { echo "probecc-vm: cannot mount $RW"; RW=; }
fi
for d in proc sys dev; do mount --move "/$d" "/root/$d"; done
mkdir -p /root/dev/pts /root/dev/shm
mount -t devpts devpts /root/dev/pts
mount -t tmpfs tmpfs /root/dev/shm
mount -t debugfs debugfs /root/sys/kernel/debug
mount -t tracefs tracefs /root/sys/kernel/tracing
mount -t bpf bpf /root/sys/fs/bpf
echo "probecc-vm: root ready after $(cut -d' ' -f1 /root/proc/uptime)s of guest uptime"
ENV="HOME=/root LANG=C.UTF-8 TERM=${TERM:-dumb} PROBECC_VM_RW=$RW PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
if [ -n "$SCRIPT" ]; then
  chroot /root /bin/sh -c "cd '${RW:-/}' && exec /usr/bin/env -i $ENV /bin/bash '$SCRIPT'" </root/dev/null
  finish $?
else
  setsid sh -c "exec chroot /root /usr/bin/env -i $ENV /bin/bash -i <>/root/dev/ttyS0 >&0 2>&0"
  finish $?
fi
INIT
}

# Static busybox + the virtio-pci/9p modules (and their dependencies) + init, as a gzip'd cpio.
# Rebuilt when missing or when the init script / kernel version changed.
build_initramfs() {
  local kv=$1 out=$VM_DIR/initramfs.gz stamp
  stamp=$( { echo "$kv"; init_script; } | sha256sum | cut -d' ' -f1)
  if [ -f "$out" ] && [ "$(cat "$VM_DIR/initramfs.stamp" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  say "building initramfs"
  local r; r=$(mktemp -d "$VM_DIR/initramfs.tmp.XXXXXX")
  mkdir -p "$r"/{bin,dev,proc,sys,modules}
  cp /bin/busybox "$r/bin/busybox"
  local a
  for a in $(/bin/busybox --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
  local m f
  for m in virtio_pci 9pnet_virtio 9p; do
    modprobe -d "$VM_DIR/kernel" -S "$kv" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
  done | awk '!seen[$0]++' | while read -r f; do
    cp "$f" "$r/modules/"
    basename "$f" >> "$r/modules.list"
  done
  [ -s "$r/modules.list" ] || die "no 9p/virtio modules found in the kernel tree"
  init_script > "$r/init"; chmod 755 "$r/init"
  (cd "$r" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$out.tmp"
  mv "$out.tmp" "$out"; echo "$stamp" > "$VM_DIR/initramfs.stamp"
  rm -rf "$r"
}

setup() {
  [ "$(id -u)" = 0 ] || die "setup needs root (apt-get, 9p passthrough of /)"
  mkdir -p "$VM_DIR"
  exec 9>"$VM_DIR/.lock"
  flock 9    # one setup at a time per cache dir
  local kv; kv=$(guest_kv)
  install_packages "$kv"
  extract_kernel "$kv"
  build_initramfs "$kv"
  echo "$kv" > "$VM_DIR/kv"
  say "ready: kernel $kv, cache $VM_DIR"
}

check_ready() {
  local kv=$1
  [ -f "$VM_DIR/kernel/boot/vmlinuz-$kv" ] && [ -f "$VM_DIR/initramfs.gz" ] ||
    die "guest not set up (run: $0 setup)"
  command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not installed (run: $0 setup)"
}

# qemu SCRIPT_OR_EMPTY RWDIR: runs qemu in the foreground.
boot() {
  local script=$1 rw=$2 kv; kv=$(guest_kv)
  check_ready "$kv"
  local console=(-serial stdio -monitor none)
  [ -n "$script" ] || console=(-serial mon:stdio)
  local append="console=ttyS0 panic=-1 loglevel=4 mitigations=off"
  append+=" pvm_rw=$rw pvm_modules=$VM_DIR/kernel/lib/modules/$kv"
  [ -z "$script" ] || append+=" pvm_script=$script"
  exec qemu-system-x86_64 -machine pc,accel=tcg -cpu max \
    -smp "${PROBECC_VM_SMP:-2}" -m "${PROBECC_VM_MEM:-1G}" \
    -nodefaults -display none -no-reboot "${console[@]}" \
    -kernel "$VM_DIR/kernel/boot/vmlinuz-$kv" -initrd "$VM_DIR/initramfs.gz" -append "$append" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$rw,mount_tag=hostrw,security_model=none,multidevs=remap"
}

run() {
  [ $# = 2 ] || die "usage: $0 run SCRIPT RWDIR"
  local script rw limit=${PROBECC_VM_TIMEOUT:-720} rc
  script=$(readlink -f "$1"); rw=$(readlink -f "$2")
  [ -f "$script" ] || die "no such script: $1"
  [ -d "$rw" ] || die "no such directory: $2"
  case "$script$rw" in *[[:space:]]*) die "SCRIPT and RWDIR must not contain whitespace";; esac
  case "$script" in /tmp/*|/var/tmp/*|/run/*|/root/*)
    case "$script" in "$rw"/*) ;; *) die "$script is hidden in the guest (tmpfs there); put it under RWDIR";; esac;;
  esac
  check_ready "$(guest_kv)"
  rm -f "$rw/.guest-status"
  set +e
  timeout -k 15 "$limit" "$SELF" _boot "$script" "$rw" </dev/null
  rc=$?
  set -e
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    say "FAILED: the guest did not finish within ${limit}s (hung or too slow; qemu killed)"
    return 124
  fi
  if [ ! -s "$rw/.guest-status" ]; then
    say "FAILED: the guest powered off without reporting a status (qemu exit $rc)"
    return 125
  fi
  return "$(cat "$rw/.guest-status")"
}

case "${1:-}" in
  setup) setup ;;
  run) shift; run "$@" ;;
  shell) boot "" "$(readlink -f "${2:-$PWD}")" ;;
  kv) guest_kv ;;
  _boot) shift; boot "$@" ;;
  *) echo "usage: $0 setup | run SCRIPT RWDIR | shell [RWDIR] | kv" >&2; exit 2 ;;
esac
