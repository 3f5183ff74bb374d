"""Child side of the sandbox: limits itself, guards itself, runs one student function on the cases.

This file runs as a script in a fresh interpreter (``python -I -S``), normally inside
bubblewrap, where it is the only file besides the interpreter. It reads the job (source and
case inputs, never the expected outputs) from stdin, imports nothing but the standard
library, and writes one JSON line per case to the results descriptor the grader passed; the
grading process compares the values. The audit hook below is a second layer only: the kernel
sandbox is what keeps student code away from the machine.
"""

import json
import os
import re
import resource
import sys

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
BLOCKED_EVENTS = {
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
    "os.kill",
    "os.killpg",
    "signal.pthread_kill",
    "socket.__new__",
    "socket.connect",
    "socket.bind",
    "socket.getaddrinfo",
    "ctypes.dlopen",
    "ctypes.dlsym",
    "ctypes.cdata",
    "ctypes.call_function",
    "ctypes.addressof",
    "gc.get_objects",
    "gc.get_referrers",
    "gc.get_referents",
    "sys.addaudithook",
    "sys.settrace",
    "sys.setprofile",
    "resource.setrlimit",
    "resource.prlimit",
    "os.setuid",
    "os.chroot",
    "mmap.__new__",
}
BLOCKED_MODULES = {
    "ctypes",
    "_ctypes",
    "_posixsubprocess",
    "subprocess",
    "multiprocessing",
    "_multiprocessing",
    "socket",
    "_socket",
    "ssl",
    "mmap",
    "pty",
}
PATH_EVENTS = {
    "os.remove",
    "os.rename",
    "os.rmdir",
    "os.mkdir",
    "os.chmod",
    "os.chown",
    "os.symlink",
    "os.link",
    "os.truncate",
    "os.utime",
    "os.chdir",
    "shutil.rmtree",
    "shutil.copyfile",
    "shutil.move",
}
LISTING_EVENTS = {"os.listdir", "os.scandir", "glob.glob", "os.walk"}
MAX_DEPTH = 20
MAX_ITEMS = 10_000
# Terminal escape sequences, removed whole from messages (as textsafe.ANSI in the grader).
ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x9d\x9e\x9f\x98])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)


def die_with_parent(parent):
    """Ask the kernel to kill this process if the grading process dies first."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except Exception:
        pass
    for name in [m for m in sys.modules if m.startswith(("ctypes", "_ctypes"))]:
        del sys.modules[name]  # importing it again must pass the guard
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def set_limits(limits):
    """Lower this process's limits before any student code runs (lowering needs no privilege)."""
    mb = 1024 * 1024
    cpu = max(1, int(limits["cpu_seconds"] + 0.999))
    pairs = {
        resource.RLIMIT_CPU: (cpu, cpu + 1),
        resource.RLIMIT_AS: (limits["memory_mb"] * mb, limits["memory_mb"] * mb),
        resource.RLIMIT_FSIZE: (limits["output_kb"] * 1024, limits["output_kb"] * 1024),
        resource.RLIMIT_NPROC: (limits["processes"], limits["processes"]),
        resource.RLIMIT_NOFILE: (64, 64),
        resource.RLIMIT_CORE: (0, 0),
    }
    for which, (soft, hard) in pairs.items():
        _old_soft, old_hard = resource.getrlimit(which)
        if old_hard != resource.RLIM_INFINITY:
            hard = min(hard, old_hard)
            soft = min(soft, hard)
        resource.setrlimit(which, (soft, hard))


def install_guard(workdir):
    """Refuse, from inside, what the sandbox must never do: reach files outside the work
    directory and the standard library, start processes, open sockets, load C code."""
    stdlib = os.path.dirname(os.path.realpath(os.__file__))
    readable = (workdir, stdlib)
    writable = (workdir,)
    realpath = os.path.realpath
    fspath = os.fspath
    sep = os.sep

    def inside(path, roots):
        try:
            path = realpath(fspath(path) if not isinstance(path, bytes) else path.decode())
        except Exception:
            return False
        return any(path == root or path.startswith(root + sep) for root in roots)

    def deny(event):
        raise PermissionError(f"the grading sandbox does not allow {event}")

    def hook(event, args):
        if event in BLOCKED_EVENTS:
            deny(event)
        if event == "import":
            if args[0].split(".")[0] in BLOCKED_MODULES:
                deny(f"importing {args[0]}")
        elif event == "open":
            path, mode, flags = args
            if isinstance(path, int) or path is None:
                return
            writing = any(c in (mode or "") for c in "wax+") or bool((flags or 0) & WRITE_FLAGS)
            if not inside(path, writable if writing else readable):
                deny(f"opening {path!r}")
        elif event in PATH_EVENTS:
            if args and not isinstance(args[0], int) and not inside(args[0], writable):
                deny(f"{event} on {args[0]!r}")
        elif event in LISTING_EVENTS:
            if args and args[0] is not None and not inside(args[0], readable):
                deny(f"listing {args[0]!r}")
        elif (
            event == "object.__setattr__"
            and len(args) > 1
            and args[1]
            in {
                "__code__",
                "__globals__",
                "__builtins__",
            }
        ):
            deny(f"changing {args[1]}")

    sys.addaudithook(hook)


def to_json(value, depth=0):
    """A JSON-safe copy of a returned value: tuples become lists, sets sorted lists."""
    if depth > MAX_DEPTH:
        raise ValueError("the returned value is nested too deeply")
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else repr(value)
    if isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            raise ValueError(f"the returned value has more than {MAX_ITEMS} items")
        return [to_json(v, depth + 1) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((to_json(v, depth + 1) for v in value), key=repr)
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise ValueError(f"the returned value has more than {MAX_ITEMS} items")
        return {str(k): to_json(v, depth + 1) for k, v in value.items()}
    return {"__type__": type(value).__name__}


def describe(exc):
    """The exception's type and a short message, made here, inside the sandbox: all a student's
    feedback can carry out of it."""
    name = type(exc).__name__[:60]
    try:
        message = str(exc)[:400]
    except BaseException:  # a __str__ that raises
        message = "(the exception's message could not be read)"
    text = f"{name}: {message}" if message else name
    text = "".join(c if c.isprintable() else " " for c in ANSI.sub("", text))
    return text if len(text) <= 300 else text[:297] + "..."


def main():
    job = json.loads(sys.stdin.buffer.read().decode("ascii"))
    sys.stdin.close()
    out = os.fdopen(job["results_fd"], "w", encoding="utf-8")

    def emit(payload):
        try:
            out.write(json.dumps(payload, ensure_ascii=True) + "\n")
            out.flush()
        except Exception as exc:
            sys.stderr.write(f"could not record a result: {describe(exc)}\n")

    die_with_parent(job["parent"])
    import random

    random.seed(0)  # with PYTHONHASHSEED=0: the same code gives the same result every run
    set_limits(job["limits"])
    if job.get("guard", True):
        install_guard(os.getcwd())
    namespace = {"__name__": "submission"}
    try:
        exec(compile(job["source"], "submission.py", "exec"), namespace)
        function = namespace[job["function"]]
        if not callable(function):
            raise TypeError(f"{job['function']} is not a function")
    except BaseException as exc:
        emit({"setup_error": describe(exc)})
        return
    for index, args in enumerate(job["cases"]):
        try:
            payload = {"case": index, "ok": True, "value": to_json(function(*args))}
        except BaseException as exc:
            payload = {"case": index, "ok": False, "error": describe(exc)}
        emit(payload)
    emit({"done": True})


if __name__ == "__main__":
    main()
