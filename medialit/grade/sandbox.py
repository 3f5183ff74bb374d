"""Run one student function in a separate, isolated, limited process; get its return values.

The child runs under bubblewrap (:mod:`isolation`): the runner arrives through a pipe as a
read-only file, the job (source and case inputs) through its stdin, and its results leave
through another pipe; its prints go to a third pipe that the grader reads and caps. No path
is shared with the child, so nothing it does can make the grader open something that blocks.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from medialit.grade import isolation
from medialit.grade.textsafe import printable

RUNNER = Path(__file__).with_name("_runner.py")
RESULTS_CAP = 4 * 1024 * 1024  # bytes of results read back at most; more stops the child
MESSAGE_CAP = 300  # characters of an error message kept
MAX_DEPTH = 20  # nesting of a returned value the grader accepts
MAX_ITEMS = 10_000  # items in one returned list or dictionary
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
    isolation: str = "bwrap"  # "bwrap", or "unsafe" when the grader opted out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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


def _bounded(value: Any) -> bool:
    """True when a value read back is JSON of sane shape: depth, items, numbers (no recursion).

    >>> deep = [1]
    >>> for _ in range(25):
    ...     deep = [deep]
    >>> _bounded([1, {"a": [2.5, "x"]}]), _bounded(deep), _bounded([10**400])
    (True, False, False)
    """
    todo = [(value, 0)]
    while todo:
        current, depth = todo.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(current, list):
            if len(current) > MAX_ITEMS:
                return False
            todo += [(v, depth + 1) for v in current]
        elif isinstance(current, dict):
            if len(current) > MAX_ITEMS:
                return False
            todo += [(v, depth + 1) for v in current.values()]
        elif isinstance(current, int) and abs(current) >= 10**300:
            return False
    return True


def _message(text: Any) -> str:
    """An error message from the child: printable, one line, capped."""
    text = printable(str(text)).replace("\n", " ")
    return text if len(text) <= MESSAGE_CAP else text[: MESSAGE_CAP - 3] + "..."


def _read_outcomes(raw: bytes, count: int) -> tuple[list[dict | None], str | None, bool]:
    """Outcomes per case, a setup error if any, and whether the runner finished. Anything the
    child wrote is data: lines that are not JSON of a sane shape are dropped."""
    outcomes: list[dict | None] = [None] * count
    setup_error = None
    done = False
    for line in raw.splitlines():
        try:
            payload = json.loads(line)
        except (ValueError, RecursionError, MemoryError):
            payload = None
        if not isinstance(payload, dict):
            continue
        if payload.get("done") is True:
            done = True
        elif isinstance(payload.get("setup_error"), str):
            setup_error = setup_error or _message(payload["setup_error"])
        case = payload.get("case")
        if isinstance(case, int) and 0 <= case < count and outcomes[case] is None:
            if payload.get("ok") is True and "value" in payload:
                if _bounded(payload["value"]):
                    outcomes[case] = {"ok": True, "value": payload["value"]}
                else:
                    outcomes[case] = {
                        "ok": False,
                        "error": "ValueError: the returned value is nested too deeply, too "
                        "long or holds a number too large to compare",
                    }
            elif isinstance(payload.get("error"), str):
                outcomes[case] = {"ok": False, "error": _message(payload["error"])}
    return outcomes, setup_error, done


def _private_folder(uid: int | None) -> Path:
    """The unsafe mode's working folder: a fresh one of this run's own (mkdtemp: mode 0700,
    directly in the temp folder, so no folder left by another user, root included, stands in
    the way), given to the child's user, removed when the run ends."""
    workdir = Path(tempfile.mkdtemp(prefix="medialit-sandbox-"))
    if uid is not None:
        os.chown(workdir, uid, uid)
    return workdir


@dataclass
class _Exchange:
    """What passed over the pipes: the results, how much was printed, why it was cut short."""

    results: bytearray = field(default_factory=bytearray)
    printed: int = 0
    timed_out: bool = False
    overflow: str | None = None  # "results" or "output"


def _exchange(process: subprocess.Popen, job: bytes, results_fd: int, limits: Limits) -> _Exchange:
    """Feed the job to the child's stdin and read its results and output until both pipes
    close, a cap is passed or the wall clock runs out (never blocks past the deadline)."""
    seen = _Exchange()
    deadline = time.monotonic() + limits.wall
    selector = selectors.DefaultSelector()
    stdin, output = process.stdin, process.stdout
    assert stdin is not None and output is not None
    os.set_blocking(stdin.fileno(), False)
    selector.register(stdin.fileno(), selectors.EVENT_WRITE, "job")
    selector.register(results_fd, selectors.EVENT_READ, "results")
    selector.register(output.fileno(), selectors.EVENT_READ, "output")
    sent = 0
    output_cap = limits.output_kb * 1024
    try:
        while len(selector.get_map()) and seen.overflow is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen.timed_out = True
                break
            for key, _events in selector.select(remaining):
                if key.data == "job":
                    try:
                        sent += os.write(key.fd, job[sent : sent + 65536])
                    except (BrokenPipeError, BlockingIOError) as exc:
                        if isinstance(exc, BlockingIOError):
                            continue
                        sent = len(job)
                    if sent >= len(job):
                        selector.unregister(key.fd)
                        stdin.close()
                    continue
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fd)
                elif key.data == "results":
                    seen.results += chunk
                    if len(seen.results) > RESULTS_CAP:
                        seen.overflow = "results"
                else:
                    seen.printed += len(chunk)
                    if seen.printed > output_cap:
                        seen.overflow = "output"
        if not seen.timed_out and seen.overflow is None:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                seen.timed_out = True
    finally:
        selector.close()
        if not stdin.closed:
            with contextlib.suppress(OSError):
                stdin.close()
    return seen


def _command(mode: str, runner_fd: int, workdir: Path | None) -> list[str]:
    if mode == "bwrap":
        return isolation.bwrap_command(runner_fd)
    return [isolation.interpreter()[0], *isolation.PYTHON_FLAGS, str(RUNNER)]


def run_function(
    source: str,
    function: str,
    cases: list[list[Any]],
    limits: Limits | None = None,
    *,
    guard: bool = True,
) -> RunResult:
    """Define ``source`` in a fresh, isolated, limited child process and call
    ``function(*args)`` for each case; return the JSON values. The child sees only the source
    and the case inputs. Raises :class:`isolation.SandboxUnavailable` (with the fix) when
    bubblewrap cannot run here and the grader has not opted out.

    ``guard=False`` leaves out the child's own audit hook (tests use it to check the outer
    layers on their own: the kernel sandbox, process limits, the killing of stray processes).
    """
    limits = limits or Limits()
    mode = isolation.require()
    uid = isolation.host_uid()
    _become_subreaper()
    workdir = _private_folder(uid) if mode == "unsafe" else None
    started = time.monotonic()
    job = {
        "source": source,
        "function": function,
        "cases": cases,
        "guard": guard,
        "limits": asdict(limits),
        "parent": os.getpid() if mode == "unsafe" else None,
    }
    runner_read, runner_write = os.pipe()
    results_read, results_write = os.pipe()
    job["results_fd"] = results_write  # the same number in the child (pass_fds keeps it)
    job_bytes = json.dumps(job, ensure_ascii=True).encode("ascii")
    process = None
    try:
        os.write(runner_write, RUNNER.read_bytes())  # well under a pipe's 64 KiB
        os.close(runner_write)
        runner_write = -1
        env = {**isolation.CHILD_ENV, "PYTHONIOENCODING": "utf-8"}
        if workdir is not None:
            env.update(HOME=str(workdir), TMPDIR=str(workdir))
        ids: dict[str, Any] = {}
        if uid is not None:
            ids = {"user": uid, "group": uid, "extra_groups": []}
        before = _descendants(os.getpid())
        process = subprocess.Popen(
            _command(mode, runner_read, workdir),
            cwd=workdir or "/",
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            close_fds=True,
            pass_fds=(runner_read, results_write),
            start_new_session=True,
            **ids,
        )
        os.close(results_write)
        results_write = -1
        os.close(runner_read)
        runner_read = -1
        try:
            seen = _exchange(process, job_bytes, results_read, limits)
        finally:  # also on timeout, on a cap, or when this process is told to stop
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            strays = _kill_strays(process, before)
            if process.stdout is not None:
                process.stdout.close()
        outcomes, setup_error, done = _read_outcomes(bytes(seen.results), len(cases))
        seconds = time.monotonic() - started
        status, message = _verdict(process.returncode, seen, setup_error, done, outcomes, limits)
        return RunResult(status, message, outcomes, round(seconds, 3), strays, mode)
    finally:
        for fd in (runner_read, runner_write, results_read, results_write):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def _verdict(
    returncode: int,
    seen: _Exchange,
    setup_error: str | None,
    done: bool,
    outcomes: list[dict | None],
    limits: Limits,
) -> tuple[str, str]:
    errors = [o["error"] for o in outcomes if o and not o["ok"]]
    if (setup_error and setup_error.startswith("MemoryError")) or any(
        e.startswith("MemoryError") for e in errors
    ):
        return "memory", f"your code needed more than {limits.memory_mb} MB of memory"
    if seen.overflow == "output":
        return "output", f"your code printed more than {limits.output_kb} KB; remove the prints"
    if seen.overflow == "results":
        return "output", "your code returned more data than the grader reads (4 MB)"
    killed = (signal.SIGXCPU, signal.SIGKILL)  # bubblewrap reports a signal as 128 + number
    if seen.timed_out or returncode in {-s for s in killed} | {128 + s for s in killed}:
        return "timeout", (
            f"your code did not finish within {limits.cpu_seconds:g} s of computing time "
            "(an endless loop, or a very slow approach?)"
        )
    if setup_error:
        return "error", f"defining your function failed: {setup_error}"
    if not done:
        return "crashed", f"your code stopped the process (exit status {returncode})"
    return "ok", "ran"
