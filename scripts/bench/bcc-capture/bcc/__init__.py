# A stand-in for BCC's Python `bcc` package (benchmark use only, see scripts/bench/bcc-tools.sh).
# A BCC tool run with this directory first on PYTHONPATH builds its program as usual, but
# BPF(text=...) compiles nothing: the text, cflags, attach calls and loads the tool makes are
# written to $BCC_CAPTURE_OUT (JSON), and the tool is stopped when it starts polling or sleeping.
# The real package (Debian's python3-bpfcc) is loaded underneath for everything else: its
# submodules (utils, containers, syscall, tcp, table...) and BPF's static helpers that only read
# /proc/kallsyms, tracefs or BTF.
import atexit
import inspect
import json
import os
import re
import signal
import sys
import time

_REAL_DIR = os.environ.get("BCC_REAL_PACKAGE", "/usr/lib/python3/dist-packages/bcc")
__path__.append(_REAL_DIR)  # noqa: F821 - package __path__: real submodules resolve there
with open(os.path.join(_REAL_DIR, "__init__.py")) as _real:
    exec(compile(_real.read(), os.path.join(_REAL_DIR, "__init__.py"), "exec"))

_RealBPF = BPF  # noqa: F821 - defined by the real package's __init__
_RealUSDT = USDT  # noqa: F821
_OUT = os.environ.get("BCC_CAPTURE_OUT", "/dev/stdout")
_capture = {"modules": [], "attaches": [], "loads": [], "usdt": [], "attach_failures": [], "stopped_at": None}


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value]
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return repr(value)


def _write():
    with open(_OUT, "w") as out:
        json.dump(_capture, out, indent=1)


def _stop(where):
    if _capture["stopped_at"] is None:
        _capture["stopped_at"] = where
    _write()
    os._exit(0)


atexit.register(_write)
_real_sleep = time.sleep


def _stopping_sleep(*args):
    if _capture["modules"]:
        _stop("sleep")
    _real_sleep(*args)


time.sleep = _stopping_sleep
signal.pause = lambda *a: _stop("pause")


class _AnyTable:
    """Whatever a tool does with a map before it polls (set a key, clear, iterate) does nothing."""

    def __init__(self, name=""):
        self.name = name

    def __getattr__(self, attr):
        return _AnyTable()

    def __int__(self):
        return 0

    __index__ = __int__

    def __float__(self):
        return 0.0

    def __bool__(self):
        return False

    def __getitem__(self, key):
        return _AnyTable()

    def __setitem__(self, key, value):
        pass

    def __delitem__(self, key):
        pass

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __call__(self, *a, **k):
        return _AnyTable()

    def items(self):
        return []

    def values(self):
        return []

    def keys(self):
        return []

    # BCC tools build ctypes keys from these: Key()/Leaf() must return plain values.
    @property
    def Key(self):
        return lambda *a: 0

    @property
    def Leaf(self):
        return lambda *a: 0


class _Func:
    def __init__(self, name, prog_type):
        self.name, self.fd, self.prog_type = name, -1, prog_type


def _recorder(kind, real):
    signature = inspect.signature(real)

    def record(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        call = {k: _text(v) for k, v in bound.arguments.items() if k not in ("self", "fn")}
        fn = bound.arguments.get("fn")
        if fn is not None:
            call["fn_name"] = _text(getattr(fn, "name", fn))
        call["kind"] = kind
        if kind in ("uprobe", "uretprobe") and not bound.arguments.get("sym_re"):
            # BCC resolves the symbol before attaching and raises when the binary lacks it; tools
            # catch that to try another library (threadsnoop: libpthread, then libc on glibc 2.34+).
            try:
                path, _ = _RealBPF._check_path_symbol(bound.arguments.get("name") or b"", bound.arguments.get("sym") or b"",
                                                       bound.arguments.get("addr"), bound.arguments.get("pid", -1),
                                                       bound.arguments.get("sym_off") or 0)
            except Exception as error:
                _capture["attach_failures"].append(str(error))
                _write()
                raise
            call["path"] = _text(path)
        _capture["attaches"].append(call)
        _write()

    return record


def _auto_names(text):
    prefixes = ("kprobe__", "kretprobe__", "tracepoint__", "raw_tracepoint__", "kfunc__", "kretfunc__",
                "lsm__", "syscall__")
    names = set(re.findall(r"\b((?:%s)\w+)\s*\(" % "|".join(prefixes), text))
    for macro, prefix in (("TRACEPOINT_PROBE", "tracepoint__"), ("RAW_TRACEPOINT_PROBE", "raw_tracepoint__"),
                          ("KFUNC_PROBE", "kfunc__"), ("KRETFUNC_PROBE", "kretfunc__"), ("LSM_PROBE", "lsm__")):
        for args in re.findall(r"\b%s\s*\(([^)]*)\)" % macro, text):
            parts = [p.strip() for p in args.split(",")]
            if macro == "TRACEPOINT_PROBE" and len(parts) >= 2:
                names.add(prefix + parts[0] + "__" + parts[1])
            elif parts and parts[0]:
                names.add(prefix + parts[0])
    return sorted(names)


class BPF(_RealBPF):
    def __init__(self, src_file=b"", hdr_file=b"", text=None, debug=0, cflags=[], usdt_contexts=[],
                 allow_rlimit=True, device=None, attach_usdt_ignore_pid=False):
        if src_file:
            with open(_RealBPF._find_file(_assert_is_bytes(src_file)), "rb") as source:  # noqa: F821
                text = source.read()
        text = _text(text) or ""
        self.kprobe_fds, self.uprobe_fds, self.tracepoint_fds, self.raw_tracepoint_fds = {}, {}, {}, {}
        self.kfunc_entry_fds, self.kfunc_exit_fds, self.lsm_fds = {}, {}, {}
        self.perf_buffers, self.open_perf_events, self._ringbuf_manager = {}, {}, None
        self.tracefile, self.debug, self.funcs, self.tables, self.module = None, debug, {}, {}, None
        _capture["modules"].append({
            "text": text,
            "cflags": _text(list(cflags)),
            "usdt": [p for u in usdt_contexts for p in getattr(u, "probes", [])],
            "auto": _auto_names(text),
        })
        _write()
        # From here on a tool waiting for events is done with what it would set up, also where it
        # took `from time import sleep` before importing bcc.
        main = sys.modules.get("__main__")
        for name, value in list(vars(main).items()) if main else []:
            if value is _real_sleep:
                setattr(main, name, _stopping_sleep)

    def load_func(self, func_name, prog_type, device=None, attach_type=-1):
        _capture["loads"].append({"fn_name": _text(func_name), "prog_type": prog_type})
        _write()
        return _Func(func_name, prog_type)

    def __getitem__(self, key):
        return _AnyTable(key)

    def get_table(self, name, keytype=None, leaftype=None, reducer=None):
        return _AnyTable(name)

    def __len__(self):
        return 0

    def __iter__(self):
        return iter(())

    def num_open_kprobes(self):
        return sum(a["kind"] in ("kprobe", "kretprobe") for a in _capture["attaches"]) + 1

    def num_open_uprobes(self):
        return sum(a["kind"] in ("uprobe", "uretprobe") for a in _capture["attaches"]) + 1

    def num_open_tracepoints(self):
        return sum(a["kind"] == "tracepoint" for a in _capture["attaches"]) + 1

    def cleanup(self):
        pass

    def free_bcc_memory(self):
        pass

    @staticmethod
    def support_kfunc():
        # fentry needs BPF trampolines; the benchmark says which way the tools should go.
        return os.environ.get("BCC_CAPTURE_KFUNC", "0") == "1"

    @staticmethod
    def support_lsm():
        return False

    @staticmethod
    def get_kprobe_functions(event_re):
        # BCC's own reads debugfs's kprobes/blacklist, which kernels without kprobes lack.
        pattern = re.compile(_assert_is_bytes(event_re))  # noqa: F821
        found = set()
        with open("/proc/kallsyms", "rb") as symbols:
            for line in symbols:
                fields = line.split()
                if len(fields) >= 3 and fields[1] in (b"t", b"T") and pattern.match(fields[2]):
                    found.add(fields[2])
        return found


for _kind in ("kprobe", "kretprobe", "tracepoint", "raw_tracepoint", "kfunc", "kretfunc", "lsm",
              "perf_event", "perf_event_raw", "uprobe", "uretprobe"):
    setattr(BPF, "attach_" + _kind, _recorder(_kind, getattr(_RealBPF, "attach_" + _kind)))
for _kind in ("xdp", "raw_socket", "func"):
    setattr(BPF, "attach_" + _kind, staticmethod(_recorder(_kind, getattr(_RealBPF, "attach_" + _kind))))
for _poll in ("perf_buffer_poll", "ring_buffer_poll", "ring_buffer_consume", "kprobe_poll", "trace_print",
              "trace_fields", "trace_readline", "trace_open"):
    setattr(BPF, _poll, (lambda where: lambda *a, **k: _stop(where))(_poll))


class USDT:
    """Records the probes a tool enables; BCC would read them from a running process."""

    def __init__(self, pid=None, path=None):
        self.pid, self.path, self.probes = pid, _text(path), []

    def enable_probe(self, probe, fn_name):
        self.probes.append({"pid": self.pid, "path": self.path, "probe": _text(probe), "fn_name": _text(fn_name)})
        _capture["usdt"].append(self.probes[-1])
        _write()

    enable_probe_or_bail = enable_probe

    def get_context(self):
        return None

    def get_text(self):
        return ""

    def enumerate_probes(self):
        return []

    def enumerate_active_probes(self):
        return []

    def attach_uprobes(self, bpf, attach_usdt_ignore_pid):
        pass
