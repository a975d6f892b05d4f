#!/usr/bin/env bash
# Issue 21, docs/fleet.md made real: an image of the runtime alone (scripts/runtime-image.sh, no base
# image, no registry) runs a package in a podman container with only the capabilities and mounts
# the doc lists, not --privileged, and prints the events as JSON lines.
#   container-test.sh PROBECC_BINARY
# Exit: 0 pass, 1 fail, 77 skip (with the reason).
set -uo pipefail
probecc=$1
build=$(dirname "$(readlink -f "$probecc")")
root=$(cd "$(dirname "$0")/../.." && pwd)
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || skip "not root"
command -v podman >/dev/null || skip "podman is not installed (scripts/setup.sh installs it)"
command -v runc >/dev/null || skip "runc is not installed (scripts/setup.sh installs it)"

work=$(mktemp -d)
image=localhost/probecc-fleet-test:$$
name=probecc-fleet-test-$$
podman_() {
  CONTAINERS_CONF=$work/containers.conf podman --root "$work/storage" --runroot "$work/run" --storage-driver vfs \
    --runtime runc --cgroup-manager=cgroupfs --events-backend=none "$@"
}
cleanup() {
  podman_ rm -f "$name" >/dev/null 2>&1
  podman_ rmi -f "$image" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# setrlimit is not permitted on every host (nor needed: BPF memory is charged to the cgroup)
printf '[containers]\ndefault_ulimits = []\n' > "$work/containers.conf"

victim=/tmp/probecc-fleet-$$
cat > "$work/unlinks.c" <<PROGRAM
struct unlink_t { char path[64]; u32 uid; };
BPF_PERF_OUTPUT(unlinks);
int tracepoint__syscalls__sys_enter_unlinkat(struct tracepoint__syscalls__sys_enter_unlinkat *args) {
  struct unlink_t u = {};
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  bpf_probe_read_user_str(u.path, sizeof u.path, args->pathname);
  u.uid = task->cred->uid.val;
  unlinks.perf_submit(args, &u, sizeof u);
  return 0;
}
PROGRAM
"$probecc" --emit package -f json --no-maps -o "$work/unlinks.pkg" "$work/unlinks.c" || fail "cannot build the package"
"$root/scripts/runtime-image.sh" "$build" "$work/image.tar" "$work/unlinks.pkg" ||
  fail "cannot make the image's tarball"
echo "image tarball: $(stat -c %s "$work/image.tar") bytes"
podman_ import --change 'ENTRYPOINT ["/usr/local/bin/probecc"]' "$work/image.tar" "$image" >/dev/null 2>&1 ||
  fail "podman import failed"

# exactly docs/fleet.md's capabilities and mounts
podman_ run -d --name "$name" --network none \
  --cap-drop all --cap-add bpf,perfmon --security-opt seccomp=unconfined \
  -v /sys/kernel/btf:/sys/kernel/btf:ro -v /sys/kernel/tracing:/sys/kernel/tracing \
  "$image" /packages/unlinks.pkg -d 8 -v >/dev/null || fail "podman run failed"
for _ in $(seq 1 100); do
  podman_ logs "$name" 2>&1 | grep -q "attached" && break
  sleep 0.1
done
for i in 1 2 3; do touch "$victim-$i" && rm "$victim-$i"; done
status=$(podman_ wait "$name")
podman_ logs "$name" > "$work/stdout" 2> "$work/stderr"
[ "$status" = 0 ] || { cat "$work/stderr"; fail "the container exited with $status"; }
python3 - "$work/stdout" "$victim" <<'CHECK' || { cat "$work/stdout" "$work/stderr"; fail "its output is not the JSON lines expected"; }
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
events = [json.loads(l) for l in lines]  # every line is one JSON object
seen = {e["data"]["path"] for e in events if e.get("map") == "unlinks" and e["data"]["path"].startswith(sys.argv[2])}
want = {f"{sys.argv[2]}-{i}" for i in (1, 2, 3)}
assert seen == want, (seen, want)
assert all(e["data"]["uid"] == 0 for e in events if e["data"]["path"] in want)
CHECK
echo "PASS: the package ran in a container (capabilities bpf and perfmon, seccomp unconfined; /sys/kernel/btf, tracefs) and printed $(grep -c . "$work/stdout") JSON lines"
