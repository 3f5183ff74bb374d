"""Run one student function in a separate, limited process and get its return values as JSON."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

RUNNER = Path(__file__).with_name("_runner.py")
RESULTS_CAP = 4 * 1024 * 1024  # bytes of results.jsonl read back at most
PR_SET_CHILD_SUBREAPER = 36


@dataclass(frozen=True)
class Limits:
    """Per-exercise limits: CPU seconds, wall-clock seconds, memory, output, processes."""

    cpu_seconds: float = 2.0
    wall_seconds: float | None = None  # default: 3 * cpu_seconds + 5 (room for a busy machine)
    memory_mb: int = 256
    output_kb: int = 256
    processes: int = 8

    @property
    def wall(self) -> float:
        return self.wall_seconds if self.wall_seconds is not None else 3 * self.cpu_seconds + 5


@dataclass
class RunResult:
    """What came back: status ok/timeout/memory/output/error/crashed, one outcome per case.

    ``outcomes[i]`` is ``{"ok": True, "value": ...}``, ``{"ok": False, "error": "..."}`` or
    None when the case never finished.
    """

    status: str
    message: str
    outcomes: list[dict[str, Any] | None] = field(default_factory=list)
    seconds: float = 0.0
    strays_killed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _world_executable(path: Path) -> bool:
    """True when a user with no privileges can run ``path`` (every parent searchable)."""
    try:
        real = path.resolve(strict=True)
    except OSError:
        return False
    if not real.stat().st_mode & stat.S_IXOTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in real.parents)


@cache
def sandbox_python() -> str:
    """The interpreter for the child: MEDIALIT_SANDBOX_PYTHON, else this one if every user can
    run it, else a system python3 (the runner needs the standard library only)."""
    chosen = os.environ.get("MEDIALIT_SANDBOX_PYTHON")
    if chosen:
        return chosen
    candidates = [Path(sys.executable), Path(getattr(sys, "_base_executable", sys.executable))]
    if os.getuid() != 0:
        return str(candidates[0])
    candidates += [Path("/usr/bin/python3"), Path("/usr/local/bin/python3")]
    for candidate in candidates:
        if _world_executable(candidate):
            return str(candidate.resolve())
    raise RuntimeError(
        "No Python interpreter is usable by an unprivileged user, so student code cannot be run "
        "safely as root. Set MEDIALIT_SANDBOX_PYTHON to a python3 that every user can execute."
    )


def _sandbox_uid() -> int | None:
    """When root, each worker process runs student code as its own throwaway user id."""
    if os.getuid() != 0:
        return None
    return 100_000 + os.getpid()


@cache
def _become_subreaper() -> bool:
    """Make orphaned grandchildren of the child re-parent to this process, so none escape."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children(pid: int) -> set[int]:
    """Direct children of ``pid`` (from /proc; empty when it is gone)."""
    found: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.update(int(x) for x in handle.read().split())
        except OSError:
            continue
    return found


def _descendants(pid: int) -> set[int]:
    seen: set[int] = set()
    todo = [pid]
    while todo:
        for child in _children(todo.pop()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def _kill_strays(process: subprocess.Popen, before: set[int]) -> int:
    """Kill the child's process group and every new descendant of this process; reap them."""
    killed = 0
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    for _ in range(20):
        strays = _descendants(os.getpid()) - before - {process.pid}
        if not strays:
            break
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        for pid in strays:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    return killed


def _read_outcomes(path: Path, count: int) -> tuple[list[dict | None], str | None, bool]:
    """Outcomes per case, a setup error if any, and whether the runner finished."""
    outcomes: list[dict | None] = [None] * count
    setup_error = None
    done = False
    try:
        with open(path, "rb") as handle:
            raw = handle.read(RESULTS_CAP)
    except OSError:
        return outcomes, None, False
    for line in raw.splitlines():
        try:
            payload = json.loads(line)
        except ValueError:
            continue
        if not isinstance(payload, dict):
            continue
        if payload.get("done") is True:
            done = True
        elif isinstance(payload.get("setup_error"), str):
            setup_error = setup_error or payload["setup_error"]
        case = payload.get("case")
        if isinstance(case, int) and 0 <= case < count and outcomes[case] is None:
            if payload.get("ok") is True and "value" in payload:
                outcomes[case] = {"ok": True, "value": payload["value"]}
            elif isinstance(payload.get("error"), str):
                outcomes[case] = {"ok": False, "error": payload["error"][:300]}
    return outcomes, setup_error, done


def _workdir(uid: int | None) -> Path:
    base = Path(tempfile.gettempdir()) / "medialit-sandbox"
    base.mkdir(mode=0o711, exist_ok=True)
    os.chmod(base, 0o711)  # others may enter a run directory they own, not list the others
    workdir = Path(tempfile.mkdtemp(prefix="run-", dir=base))
    if uid is not None:
        os.chown(workdir, uid, uid)
    return workdir


def run_function(
    source: str,
    function: str,
    cases: list[list[Any]],
    limits: Limits | None = None,
    *,
    guard: bool = True,
) -> RunResult:
    """Define ``source`` in a fresh, limited child process and call ``function(*args)`` for each
    case; return the JSON values. The child sees only the source and the case inputs.

    ``guard=False`` leaves out the child's own audit hook (tests use it to check the outer
    layers, process limits and the killing of stray processes, on their own).
    """
    limits = limits or Limits()
    uid = _sandbox_uid()
    _become_subreaper()
    workdir = _workdir(uid)
    started = time.monotonic()
    try:
        shutil.copyfile(RUNNER, workdir / "runner.py")
        job = {
            "source": source,
            "function": function,
            "cases": cases,
            "guard": guard,
            "limits": asdict(limits),
            "parent": os.getpid(),
        }
        (workdir / "job.json").write_text(json.dumps(job), encoding="utf-8")
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(workdir),
            "TMPDIR": str(workdir),
            "LANG": "C.UTF-8",
            "PYTHONIOENCODING": "utf-8",
        }
        ids: dict[str, Any] = {}
        if uid is not None:
            ids = {"user": uid, "group": uid, "extra_groups": []}
        before = _descendants(os.getpid())
        with open(workdir / "output.txt", "wb") as output:
            process = subprocess.Popen(
                [sandbox_python(), "-I", "-S", "-B", "runner.py"],
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                close_fds=True,
                start_new_session=True,
                **ids,
            )
            timed_out = False
            try:
                process.wait(timeout=limits.wall)
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:  # also on timeout or when this process is told to stop
                if process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                strays = _kill_strays(process, before)
        outcomes, setup_error, done = _read_outcomes(workdir / "results.jsonl", len(cases))
        output_size = (workdir / "output.txt").stat().st_size
        seconds = time.monotonic() - started
        status, message = _verdict(
            process.returncode, timed_out, setup_error, done, outcomes, output_size, limits
        )
        return RunResult(status, message, outcomes, round(seconds, 3), strays)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _verdict(
    returncode: int,
    timed_out: bool,
    setup_error: str | None,
    done: bool,
    outcomes: list[dict | None],
    output_size: int,
    limits: Limits,
) -> tuple[str, str]:
    errors = [o["error"] for o in outcomes if o and not o["ok"]]
    if (setup_error and setup_error.startswith("MemoryError")) or any(
        e.startswith("MemoryError") for e in errors
    ):
        return "memory", f"your code needed more than {limits.memory_mb} MB of memory"
    if timed_out or returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return "timeout", (
            f"your code did not finish within {limits.cpu_seconds:g} s of computing time "
            "(an endless loop, or a very slow approach?)"
        )
    if output_size >= limits.output_kb * 1024:
        return "output", f"your code printed more than {limits.output_kb} KB; remove the prints"
    if setup_error:
        return "error", f"defining your function failed: {setup_error}"
    if not done:
        return "crashed", f"your code stopped the process (exit status {returncode})"
    return "ok", "ran"
