#!/usr/bin/env python3
"""Runs BCC's tools (Debian's bpfcc-tools) through probecc --dry-run; driven by scripts/bench/bcc-tools.sh.

For each /usr/sbin/TOOL-bpfcc: run it with the stand-in `bcc` package (this directory) to capture
the C text, cflags and attach calls BCC would compile and make; classify whether BCC itself could
load it on this kernel (its hooks exist here); turn each captured program into a file under the
work directory and the attach calls into -a options; run probecc --dry-run; print one line per tool
and the totals, and the failures grouped by their first error line. With BCC_TOOLS_RUN=1, each program
that passes then runs for real with a trigger (run_for_real.py) and its events are recorded.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict

from run_for_real import TRIGGERS, run_for_real

HERE = os.path.dirname(os.path.abspath(__file__))
PROBECC = os.environ["PROBECC"]
MODE = os.environ.get("BCC_TOOLS_MODE", "btf")
WORK = os.environ["BCC_TOOLS_DIR"]
RESULTS = os.environ.get("BCC_TOOLS_RESULTS", os.path.join(WORK, "results.txt"))
RUN = os.environ.get("BCC_TOOLS_RUN", "") == "1"  # run the programs for real, not --dry-run
ONLY = os.environ.get("BCC_TOOLS", "").split() or (sorted(TRIGGERS) if RUN else [])
TIMEOUT = int(os.environ.get("BCC_TOOLS_TIMEOUT", "240"))
CACHE = os.path.join(WORK, "cache")

# Arguments for tools that need some. A target pid is our own sleeping child (TARGET_PID).
TOOL_ARGS = {
    "argdist": ["-C", "p::vfs_read(struct file *file, char *buf, size_t count):size_t:count"],
    "biolatpcts": ["DISK"],
    "dbslower": ["mysql", "-x", "/usr/sbin/mysqld"],
    "dbstat": ["mysql", "-x", "/usr/sbin/mysqld"],
    # glibc 2.34+ has the pthread functions in libc; deadlock's --binary names the library that has them.
    "deadlock": ["TARGET_PID", "--binary", "LIBC"],
    "dirtop": ["-d", "/tmp"],
    "funccount": ["vfs_read"],
    "funcinterval": ["vfs_read"],
    "funclatency": ["vfs_read"],
    "funcslower": ["vfs_read"],
    "inject": ["kmalloc", "-v", "(true)"],
    "mysqld_qslower": ["TARGET_PID"],
    "netqtop": ["-n", "lo"],
    "stackcount": ["vfs_read"],
    "trace": ["t:syscalls:sys_enter_openat \"%s\", args->filename", "r::do_sys_openat2 \"ret=%d\", retval"],
    "ttysnoop": ["/dev/console"],
}
NEEDS_TTY = {"cachetop"}
NOT_BPF = {"bpflist", "reset-trace", "tplist"}  # list or reset things; no BPF program of their own


def tracefs():
    for path in ("/sys/kernel/tracing", "/sys/kernel/debug/tracing"):
        if os.path.isdir(os.path.join(path, "events")):
            return path
    return "/sys/kernel/tracing"


def kernel_symbols():
    names = set()
    with open("/proc/kallsyms") as symbols:
        for line in symbols:
            fields = line.split()
            if len(fields) >= 3:
                names.add(fields[2])
    return names


def first_disk():
    for name in sorted(os.listdir("/sys/block")):
        if not name.startswith(("loop", "ram", "zram")):
            return name
    return "vda"


def capture(tool, target_pid):
    out = os.path.join(WORK, "capture", tool + ".json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out):
        os.remove(out)
    placeholders = {"TARGET_PID": str(target_pid), "DISK": first_disk(), "LIBC": resolve_binary("c")}
    args = [placeholders.get(a, a) for a in TOOL_ARGS.get(tool, [])]
    path = "/usr/sbin/%s-bpfcc" % tool
    with open(path, "rb") as script:
        python = b"python" in script.readline()
    command = (["/usr/bin/python3", path] if python else [path]) + args
    if tool in NEEDS_TTY:
        command = ["script", "-qec", " ".join("'%s'" % c for c in command), "/dev/null"]
    env = dict(os.environ, PYTHONPATH=HERE, BCC_CAPTURE_OUT=out, TERM="xterm")
    try:
        run = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
        log = (run.stdout + run.stderr).decode("utf-8", "replace")
    except subprocess.TimeoutExpired as expired:
        log = ((expired.stdout or b"") + (expired.stderr or b"")).decode("utf-8", "replace")
    try:
        with open(out) as captured:
            return json.load(captured), log
    except (OSError, ValueError):
        return None, log


def defines_function(text, name):
    return re.search(r"\b%s\s*\(" % re.escape(name), text) is not None


def resolve_binary(name):
    if name.startswith("/"):
        return name
    found = shutil.which(name)
    if found:
        return found
    # A library name, as BCC resolves it: the dynamic linker's cache (libc.so.6, not the libc.so script).
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in cache.splitlines():
        library, _, path = line.strip().partition(" => ")
        if library.startswith("lib%s.so" % name) and "x86-64" in library:
            return path.strip()
    for directory in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"):
        for candidate in sorted(os.listdir(directory)):
            if candidate.startswith("lib%s.so" % name):
                return os.path.join(directory, candidate)
    return name


def attach_option(call, symbols, events_dir):
    """The -a option for one attach call, or (None, why) when probecc has no spelling for it."""
    kind, fn = call["kind"], call.get("fn_name", "")
    if kind in ("kprobe", "kretprobe"):
        event = call.get("event") or ""
        if not event and call.get("event_re"):
            pattern = re.compile(call["event_re"])
            event = next((s for s in sorted(symbols) if pattern.match(s)), call["event_re"])
        return "%s:%s=%s" % (kind, event, fn), None
    if kind == "tracepoint":
        tp = call.get("tp") or ""
        if not tp and call.get("tp_re"):
            pattern = re.compile(call["tp_re"])
            for category in sorted(os.listdir(events_dir)):
                for event in sorted(os.listdir(os.path.join(events_dir, category))) if os.path.isdir(
                        os.path.join(events_dir, category)) else []:
                    if not tp and pattern.match(category + ":" + event):
                        tp = category + ":" + event
        return "tracepoint:%s=%s" % (tp, fn), None
    if kind == "raw_tracepoint":
        return "raw_tracepoint:%s=%s" % (call.get("tp"), fn), None
    if kind in ("uprobe", "uretprobe"):
        sym = call.get("sym") or call.get("sym_re") or ""
        if not sym:
            return None, "%s by address" % kind
        return "%s:%s:%s=%s" % (kind, call.get("path") or resolve_binary(call.get("name") or ""), sym, fn), None
    if kind == "perf_event":
        freq, period = int(call.get("sample_freq") or 0), int(call.get("sample_period") or 0)
        every = "%dhz" % freq if freq else str(period or 1)
        return "perf:%s:%s:%s=%s" % (call.get("ev_type"), call.get("ev_config"), every, fn), None
    return None, "attach_%s" % kind


def hooks_missing(captured, symbols, events_dir):
    """Why BCC itself could not load the tool here, if a hook it needs does not exist."""
    missing = []
    for call in captured["attaches"]:
        if call["kind"] in ("kprobe", "kretprobe") and call.get("event") and call["event"] not in symbols:
            missing.append("kprobe target %s" % call["event"])
        if call["kind"] == "tracepoint" and call.get("tp"):
            if not os.path.isdir(os.path.join(events_dir, *call["tp"].split(":", 1))):
                missing.append("tracepoint %s" % call["tp"])
    raw_tracepoints = {event for category in os.listdir(events_dir) if os.path.isdir(os.path.join(events_dir, category))
                       for event in os.listdir(os.path.join(events_dir, category))}
    for call in captured["attaches"]:
        if call["kind"] == "raw_tracepoint" and call.get("tp") and call["tp"] not in raw_tracepoints:
            missing.append("raw tracepoint %s" % call["tp"])
    for module in captured["modules"]:
        for name in module["auto"]:
            if name.startswith("raw_tracepoint__") and name[len("raw_tracepoint__"):] not in raw_tracepoints:
                missing.append("raw tracepoint %s" % name[len("raw_tracepoint__"):])
            for prefix in ("kprobe__", "kretprobe__"):
                if name.startswith(prefix) and name[len(prefix):] not in symbols:
                    missing.append("kprobe target %s" % name[len(prefix):])
            if name.startswith("tracepoint__"):
                parts = name[len("tracepoint__"):].split("__", 1)
                if len(parts) == 2 and not os.path.isdir(os.path.join(events_dir, *parts)):
                    missing.append("tracepoint %s:%s" % tuple(parts))
    if captured.get("attach_failures") and captured.get("stopped_at") is None:
        missing.append("its attach fails (%s)" % "; ".join(captured["attach_failures"]))
    if captured["usdt"]:
        missing.append("USDT probes (need a running target)")
    return sorted(set(missing))


def first_error(output):
    """The first error line; for a verifier rejection, with the verifier's reason."""
    lines = [l.strip() for l in output.splitlines() if l.strip()]
    errors = [l for l in lines if re.search(r"\berror:", l)]
    if not errors:
        return lines[0] if lines else "(no output)"
    error = errors[0]
    if "kernel rejected" in error:
        log = [l for l in lines if not l.startswith(("libbpf:", "--", ";")) and not re.match(r"\d+: \(", l)]
        reason = [l for l in log if l.startswith("processed ")]
        if reason and log.index(reason[0]) > 0:
            error += ": " + log[log.index(reason[0]) - 1]
    return error


def cluster_of(error):
    """The error with the tool-specific parts (paths, line numbers, identifiers in quotes) removed."""
    error = re.sub(r"^\S+:\d+:\d+: ", "", error)
    error = re.sub(r"'[^']*'", "'…'", error)
    error = re.sub(r"\b\d+\b", "N", error)
    return error[:110]


def run_probecc(tool, index, module, options):
    source = os.path.join(WORK, "programs", "%s.%d.c" % (tool, index))
    os.makedirs(os.path.dirname(source), exist_ok=True)
    with open(source, "w") as out:
        out.write(module["text"])
    command = [PROBECC, "--dry-run"] + (["--btf"] if MODE == "btf" else [])
    for flag in module["cflags"]:
        if flag.startswith(("-D", "-I")):
            command += [flag[:2], flag[2:]]
    for option in options:
        command += ["-a", option]
    command.append(source)
    with open(source + ".cmd", "w") as out:
        out.write(" ".join("'%s'" % c for c in command) + "\n")
    env = dict(os.environ, PROBECC_CACHE_DIR=CACHE)
    try:
        run = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return False, "timed out after %ds" % TIMEOUT, command
    output = run.stderr.decode("utf-8", "replace") + run.stdout.decode("utf-8", "replace")
    with open(source + ".out", "w") as out:
        out.write(output)
    return run.returncode == 0, first_error(output), command


def main():
    os.makedirs(CACHE, mode=0o700, exist_ok=True)
    symbols, events_dir = kernel_symbols(), os.path.join(tracefs(), "events")
    tools = sorted(os.path.basename(p)[:-len("-bpfcc")] for p in os.listdir("/usr/sbin") if p.endswith("-bpfcc"))
    tools = [t for t in tools if not ONLY or t in ONLY]
    target = subprocess.Popen(["sleep", "100000"])
    rows, samples = [], {}
    try:
        for tool in tools:
            if tool in NOT_BPF:
                rows.append((tool, "skip", "lists or resets tracing; no BPF program"))
                continue
            captured, log = capture(tool, target.pid)
            if not captured or not captured["modules"]:
                why = [l for l in log.splitlines() if l.strip()]
                rows.append((tool, "n/a", "stops before BPF() here: " + (why[-1].strip() if why else "?")))
                continue
            missing = hooks_missing(captured, symbols, events_dir)
            failures, loaded, runs = [], 0, []
            for index, module in enumerate(captured["modules"]):
                options, unsupported = [], []
                for call in captured["attaches"]:
                    if call.get("fn_name") and defines_function(module["text"], call["fn_name"]):
                        option, why = attach_option(call, symbols, events_dir)
                        (options.append(option) if option else unsupported.append(why))
                loads = [l for l in captured["loads"] if defines_function(module["text"], l["fn_name"])]
                if not (options or unsupported or loads or module["auto"]):
                    continue  # BCC compiles it (a layout check, say) but loads nothing from it
                loaded += 1
                if unsupported:
                    failures.append("no -a for " + ", ".join(sorted(set(unsupported))))
                    continue
                ok, error, command = run_probecc(tool, index, module, options)
                if not ok:
                    failures.append(error)
                elif RUN and tool in TRIGGERS:
                    runs.append(run_for_real(tool, command, WORK, int(os.environ.get("BCC_TOOLS_RUN_SECONDS") or "20")))
            if not loaded:
                rows.append((tool, "n/a", "loads no program here (USDT tool with no target process?)"))
                print("%-16s %-10s %s" % rows[-1], flush=True)
                continue
            outcome = "PASS" if not failures else "FAIL"
            note = failures[0] if failures else ""
            if runs:  # the program that printed events, else the first failure
                best = next((r for r in runs if r[0] == "RUN-OK"), runs[0])
                outcome, note = best[0], best[1]
                samples[tool] = best[2]
            if missing:
                outcome += "(n/a)"
                note = (note + " | " if note else "") + "BCC cannot load here: " + ", ".join(missing)
            rows.append((tool, outcome, note))
            print("%-16s %-10s %s" % rows[-1], flush=True)
            write_results(rows, samples)
    finally:
        target.kill()
    write_results(rows, samples, final=True)
    print(open(RESULTS).read().split("\n## totals")[1] if "\n## totals" in open(RESULTS).read() else "")


def write_results(rows, samples, final=False):
    counted = [r for r in rows if r[1] in ("PASS", "FAIL", "RUN-OK", "RUN-FAIL")]
    passed = sum(r[1] in ("PASS", "RUN-OK") for r in counted)
    clusters = Counter(cluster_of(r[2]) for r in counted if r[1] in ("FAIL", "RUN-FAIL"))
    members = defaultdict(list)
    for r in counted:
        if r[1] in ("FAIL", "RUN-FAIL"):
            members[cluster_of(r[2])].append(r[0])
    with open(RESULTS + ".tmp", "w") as out:
        out.write("# bcc-tools.sh: BCC's tools through probecc %s, mode=%s, kernel %s%s\n"
                  % ("for real (-c TRIGGER)" if RUN else "--dry-run", MODE, os.uname().release,
                     "" if final else " (in progress)"))
        out.write("# outcome: PASS/FAIL (counted: BCC could load it here), PASS(n/a)/FAIL(n/a) (a hook it needs\n"
                  "# is absent here, so BCC could not load it either), n/a (stops before BPF()), skip;\n"
                  "# run for real: RUN-OK (its events printed), RUN-FAIL, RUN-n/a (its hooks need kprobes)\n")
        for row in rows:
            out.write("%-16s %-10s %s\n" % row)
        out.write("\n## totals\ncounted (BCC could load here): %d, pass %d (%.0f%%)\n"
                  % (len(counted), passed, 100.0 * passed / max(len(counted), 1)))
        other = Counter(r[1] for r in rows if r not in counted)
        out.write("not counted: %s\n" % ", ".join("%s %d" % kv for kv in sorted(other.items())))
        out.write("\n## failure clusters (counted tools)\n")
        for cluster, count in clusters.most_common():
            out.write("%3d  %s\n     %s\n" % (count, cluster, " ".join(members[cluster])))
        if samples:
            out.write("\n## what the tools printed (first lines)\n")
            for tool in sorted(t for t in samples if samples[t]):
                out.write("%s:\n%s" % (tool, "".join("    %s\n" % l[:200] for l in samples[tool])))
    os.replace(RESULTS + ".tmp", RESULTS)


if __name__ == "__main__":
    sys.exit(main())
