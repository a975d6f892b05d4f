"""Running captured BCC programs for real (bcc-tools.sh --run): probecc attaches the program with
the tool's attach calls, runs a trigger that makes the tool's events happen, and the run passes
when its output shows them (perf/ring buffer events, or the maps printed at exit)."""
import os
import re
import subprocess

# tool: (trigger, a regex its output must match). {work} is the work directory. The triggers
# need no network and no disk: a TCP connect to a local listener, a null_blk device in the guest.
TRIGGERS = {
    "execsnoop": ("/bin/true probecc-run-exec", r"probecc-run-exec"),
    "opensnoop": ("cat {work}/probecc-run-open 2>/dev/null; true", r"probecc-run-open"),
    "killsnoop": ("sleep 30 & kill -0 $!; kill $!", r"sig=0\b.*ret=0|ret=0.*sig=0\b"),
    "tcpconnect": ("(ip link set lo up 2>/dev/null; true) && python3 -c 'import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 47321)); s.listen(); "
                   "socket.create_connection((\"127.0.0.1\", 47321)).close()'", r"dport=47321"),
    "biolatency": ("(ls /dev/nullb0 >/dev/null 2>&1 || modprobe null_blk) && "
                   "dd if=/dev/nullb0 of=/dev/null bs=4k count=256 iflag=direct 2>/dev/null; "
                   "dd if=/dev/zero of={work}/probecc-run-bio bs=64k count=16 conv=fsync 2>/dev/null; true",
                   r"\|\*+"),
    "filetop": ("for i in 1 2 3; do cat /etc/passwd >/dev/null; done; echo x > {work}/probecc-run-file",
                r"passwd"),
    # a name a create looks up first (d_lookup misses it); a plain stat of a missing path takes
    # the RCU walk, which does not go through d_lookup
    "dcsnoop": ("touch /tmp/probecc-run-missing && rm /tmp/probecc-run-missing", r"probecc-run-missing"),
    "mountsnoop": ("mkdir -p {work}/probecc-run-mnt && mount -t tmpfs probecc-run {work}/probecc-run-mnt && "
                   "umount {work}/probecc-run-mnt", r"EVENT_MOUNT\b"),
}

# Kernel functions BCC's tools attach to that some kernels refuse kprobes on (notrace: absent from
# available_filter_functions), and the function that does the same job there. Debian 6.1's
# blk_account_io_done is one: BCC 0.26's biolatency cannot attach to it either.
SUBSTITUTES = {"blk_account_io_done": "blk_mq_end_request"}

# Attach failures that mean the hook cannot exist on this kernel, not that probecc failed.
_HOOK_ABSENT = re.compile(r"no kprobe support|CONFIG_KPROBES is not set")


def event_lines(output, limit=4):
    """A few lines of what the tool printed: its events, or the maps printed at exit."""
    lines = [l for l in output.splitlines() if l.strip() and not l.startswith("probecc:")]
    return lines[:limit] if limit else lines


def traceable_functions():
    for path in ("/sys/kernel/tracing/available_filter_functions",
                 "/sys/kernel/debug/tracing/available_filter_functions"):
        try:
            with open(path) as functions:
                return {line.split()[0] for line in functions if line.strip()}
        except OSError:
            continue
    return None  # unreadable (no kprobes on this kernel): nothing to substitute


def substitute_targets(command):
    """The command with refused kprobe targets replaced (see SUBSTITUTES), and what was replaced."""
    traceable, replaced = traceable_functions(), []
    if traceable is None:
        return command, replaced
    out = []
    for option in command:
        match = re.match(r"(kretprobe|kprobe):([^=]+)=(.*)", option)
        if match and match.group(2) in SUBSTITUTES and match.group(2) not in traceable:
            replaced.append("%s is notrace here (BCC cannot attach it either): attached at %s"
                            % (match.group(2), SUBSTITUTES[match.group(2)]))
            option = "%s:%s=%s" % (match.group(1), SUBSTITUTES[match.group(2)], match.group(3))
        out.append(option)
    return out, replaced


def run_for_real(tool, command, work, timeout):
    """(outcome, note, sample lines): RUN-OK, RUN-FAIL or RUN-n/a for one captured program."""
    trigger, expect = TRIGGERS[tool]
    trigger = trigger.format(work=work)
    command, replaced = substitute_targets([c for c in command if c != "--dry-run"])
    command += ["-d", str(timeout), "-c", trigger]
    try:
        run = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout + 60,
                             env=dict(os.environ, PROBECC_CACHE_DIR=os.path.join(work, "cache")))
    except subprocess.TimeoutExpired:
        return "RUN-FAIL", "timed out", []
    out, err = run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")
    with open(os.path.join(work, "programs", tool + ".run.out"), "w") as log:
        log.write("$ " + " ".join("'%s'" % c for c in command) + "\n" + err + "\n--- stdout\n" + out)
    if _HOOK_ABSENT.search(err):
        return "RUN-n/a", "needs kprobes (absent on this kernel; run with --guest)", []
    matched = re.search(expect, out) is not None
    if run.returncode != 0 or not matched:
        errors = [l for l in err.splitlines() if "error" in l]
        why = errors[0] if errors else "exit %d, no line matches /%s/" % (run.returncode, expect)
        return "RUN-FAIL", why, event_lines(out)
    # the lines around the first that shows the trigger's event, in the order printed (a map's
    # header before its entries)
    lines = event_lines(out, limit=None)
    first = next(i for i, l in enumerate(lines) if re.search(expect, l))
    return "RUN-OK", "; ".join(replaced + ["trigger: " + trigger]), lines[max(first - 2, 0):first + 3]
