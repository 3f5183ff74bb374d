"""The kernel sandbox for student code: a bubblewrap command line, and whether it can run here.

Student code runs under bubblewrap (Debian's ``bubblewrap``, the sandbox Flatpak is built on)
in new user, mount, PID, IPC, UTS, network and cgroup namespaces, as uid 65534, with a
read-only view of the interpreter and nothing else of the machine: no repository, no
submissions, no bundle, no home, no shared /tmp. The runner and the job reach it over
descriptors the grader owns; results come back the same way (see :mod:`sandbox`).

Where bubblewrap cannot run, code items are refused with the fix, unless the grader passes
the loudly named opt-out (``--unsafe-no-sandbox`` or ``MEDIALIT_UNSAFE_NO_SANDBOX=1``).
"""

from __future__ import annotations

import glob
import os
import shutil
import stat
import subprocess
import sys
from functools import cache
from pathlib import Path

UNSAFE_ENV = "MEDIALIT_UNSAFE_NO_SANDBOX"
UNSAFE_FLAG = "--unsafe-no-sandbox"
SANDBOX_UID = 65534  # "nobody": owns nothing on the machine
RUNNER_PATH = "/sandbox/runner.py"  # inside the sandbox only; filled from a pipe
# How the child's interpreter starts: no site, no user site, no bytecode. Not -I: it would
# ignore PYTHONHASHSEED, and a fixed seed makes a run of the same code give the same result
# every time (a set's order, hash() values), whichever grader or process runs it. Not -P
# either: Python 3.10 (Gradescope's image) does not know it, and the script's folder it would
# keep off sys.path is /sandbox, which holds only the read-only runner. The environment is the
# grader's own (bubblewrap's --clearenv).
PYTHON_FLAGS = ["-s", "-S", "-B"]
CHILD_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}
TMP_BYTES = 1024 * 1024  # the private /tmp holds at most this much
_UNSAFE: list[bool] = []  # set by allow_unsafe() (a flag); the environment variable also counts
_FORCED: list[str] = []  # force_mode(): benchmarks and tests measure one layer on its own


class SandboxUnavailable(RuntimeError):
    """Bubblewrap cannot run here; the message says why and exactly how to fix it."""


def allow_unsafe(allowed: bool = True) -> None:
    """The grader's explicit opt-out: run code without the kernel sandbox (rlimits and the
    audit hook only). Recorded in every code item's feedback."""
    _UNSAFE[:] = [allowed]


def force_mode(name: str | None) -> None:
    """Use "bwrap" or "unsafe" whatever this machine offers (benchmarks and tests); None undoes."""
    _FORCED[:] = [name] if name else []


def unsafe_allowed() -> bool:
    if _UNSAFE:
        return _UNSAFE[0]
    return os.environ.get(UNSAFE_ENV, "") not in ("", "0")


def _world_executable(path: Path) -> bool:
    """True when a user with no privileges can run ``path`` (every parent searchable)."""
    try:
        real = path.resolve(strict=True)
        if not real.stat().st_mode & stat.S_IXOTH:
            return False
        return all(parent.stat().st_mode & stat.S_IXOTH for parent in real.parents)
    except OSError:
        return False


@cache
def interpreter() -> tuple[str, str]:
    """The interpreter for the child and the folder it is installed in: MEDIALIT_SANDBOX_PYTHON,
    else the real interpreter behind this one (a virtual environment's base) if every user can
    run it (bubblewrap starts as an unprivileged user when grading as root), else a system
    python3 (the runner needs the standard library only, of Python 3.10 or later).
    """
    chosen = os.environ.get("MEDIALIT_SANDBOX_PYTHON")
    candidates = [Path(chosen)] if chosen else []
    candidates.append(Path(getattr(sys, "_base_executable", None) or sys.executable))
    candidates += [Path("/usr/bin/python3"), Path("/usr/local/bin/python3")]
    for candidate in candidates:
        if os.getuid() != 0 or _world_executable(candidate):
            real = candidate.resolve()
            return str(real), str(real.parent.parent)
    raise SandboxUnavailable(
        "No Python interpreter is usable by an unprivileged user, so student code cannot be "
        "run safely as root. Install python3 (`apt-get install -y python3`) or set "
        "MEDIALIT_SANDBOX_PYTHON to a python3 that every user can execute."
    )


def host_uid() -> int | None:
    """When grading as root, bubblewrap itself runs as a throwaway user id of its own (one per
    grading process): the kernel then counts and limits its processes, and even an escape from
    the namespaces would land as a user that owns nothing."""
    if os.getuid() != 0:
        return None
    return 100_000 + os.getpid()


@cache
def _package_folders(prefix: str) -> list[str]:
    """Installed-package folders the child must not see (it uses the standard library only)."""
    patterns = [
        f"{prefix}/lib/python3*/site-packages",
        f"{prefix}/lib/python3*/dist-packages",
        "/usr/lib/python3*/site-packages",
        "/usr/lib/python3*/dist-packages",
        "/usr/lib/python3/dist-packages",
        "/usr/local/lib/python3*/site-packages",
        "/usr/local/lib/python3*/dist-packages",
    ]
    found = {os.path.realpath(p) for pattern in patterns for p in glob.glob(pattern)}
    return sorted(p for p in found if os.path.isdir(p))


def bwrap_command(runner_fd: int, executable: str | None = None) -> list[str]:
    """The bubblewrap command line that runs the runner (read from ``runner_fd``) in isolation.

    The sandbox has no /proc: the runner does not need one (limits, ``os.cpu_count`` and the
    interpreter work without it), and a /proc, even the sandbox's own, would show bubblewrap's
    command line (host paths) as PID 1, environments, mounts and the machine's hardware.

    >>> command = bwrap_command(5, "/usr/bin/python3")
    >>> {"--unshare-all", "--unshare-user", "--die-with-parent", "--new-session"} <= set(command)
    True
    >>> command[command.index("--uid") + 1], command[-4:], "--proc" in command
    ('65534', ['-s', '-S', '-B', '/sandbox/runner.py'], False)
    """
    python, prefix = interpreter()
    if executable:
        python, prefix = executable, str(Path(executable).resolve().parent.parent)
    command = [_bwrap(), "--unshare-all", "--unshare-user"]
    recent = bwrap_version() >= (0, 8)  # --disable-userns and --size came in 0.8.0
    if recent:
        command += ["--disable-userns"]
    command += ["--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    command += ["--ro-bind", "/usr", "/usr"]
    for link, target in (("/lib", "usr/lib"), ("/lib64", "usr/lib64"), ("/bin", "usr/bin")):
        if os.path.islink(link):
            command += ["--symlink", target, link]
        elif os.path.isdir(link):
            command += ["--ro-bind", link, link]
    if prefix != "/usr" and not prefix.startswith("/usr/"):  # pyenv, /opt: its tree, read-only
        command += ["--ro-bind", prefix, prefix]
    for folder in _package_folders(prefix):
        command += ["--tmpfs", folder, "--remount-ro", folder]
    command += ["--dev", "/dev"]
    if recent:  # a private, small, writable /tmp
        command += ["--size", str(TMP_BYTES), "--perms", "1777", "--tmpfs", "/tmp"]
    else:  # (Ubuntu 22.04's 0.6) no size limit: an empty, read-only /tmp instead
        command += ["--tmpfs", "/tmp", "--remount-ro", "/tmp"]
    command += ["--ro-bind-data", str(runner_fd), RUNNER_PATH]
    command += ["--remount-ro", "/dev", "--remount-ro", "/"]  # writable: the small /tmp only
    command += ["--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID), "--chdir", "/tmp"]
    command += ["--clearenv", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp"]
    for name, value in CHILD_ENV.items():
        command += ["--setenv", name, value]
    command += ["--", python, *PYTHON_FLAGS, RUNNER_PATH]
    return command


@cache
def _bwrap() -> str:
    return shutil.which("bwrap") or "bwrap"


@cache
def bwrap_version() -> tuple[int, ...]:
    """The installed bubblewrap's version, e.g. (0, 8, 0); (0,) when it cannot be told."""
    try:
        said = subprocess.run(
            [_bwrap(), "--version"], capture_output=True, text=True, timeout=30
        ).stdout
        return tuple(int(part) for part in said.split()[-1].split("."))
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return (0,)


FIX = (
    "Install bubblewrap (Debian/Ubuntu: `sudo apt-get install -y bubblewrap`; Fedora: "
    "`sudo dnf install bubblewrap`). If it is installed, the kernel must allow user "
    "namespaces: `sudo sysctl -w kernel.unprivileged_userns_clone=1` (older Debian), "
    "`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 24.04+), "
    "`sudo sysctl -w user.max_user_namespaces=15000`; in Docker, run the container with "
    "`--security-opt seccomp=unconfined` or grade on the host. Or, knowing that student code "
    f"can then read anything this user can, pass {UNSAFE_FLAG} (or set {UNSAFE_ENV}=1)."
)


def _try() -> str | None:
    """Run the interpreter under bubblewrap once; None when it worked, else bubblewrap's words."""
    read, write = os.pipe()
    try:
        os.write(write, b"import sys\nsys.exit(0)\n")
        os.close(write)
        write = -1
        uid = host_uid()
        ids = {"user": uid, "group": uid, "extra_groups": []} if uid is not None else {}
        done = subprocess.run(
            bwrap_command(read),
            pass_fds=(read,),
            **ids,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap could not be started ({exc})"
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"bubblewrap does not run here ({said[-1] if said else done.returncode})"
    return None


@cache
def _probe() -> str | None:
    """Why bubblewrap cannot run here, or None (it runs the interpreter once to find out)."""
    if shutil.which("bwrap") is None:
        return f"bubblewrap (bwrap) is not installed. {FIX}"
    problem = _try()
    return None if problem is None else f"{problem}. {FIX}"


def bwrap_problem() -> str | None:
    """None when bubblewrap runs here (checked once per process by running the interpreter in
    it); otherwise what went wrong and how to fix it."""
    return _probe()


def mode() -> str:
    """ "bwrap" (the kernel sandbox), "unsafe" (no bubblewrap here and the grader opted out)
    or "unavailable" (refuse to run code). Bubblewrap is used wherever it runs."""
    if _FORCED:
        return _FORCED[0]
    if bwrap_problem() is None:
        return "bwrap"
    return "unsafe" if unsafe_allowed() else "unavailable"


def require() -> str:
    """The mode, or SandboxUnavailable with the fix when code cannot be run safely."""
    current = mode()
    if current == "unavailable":
        raise SandboxUnavailable(bwrap_problem())
    return current
