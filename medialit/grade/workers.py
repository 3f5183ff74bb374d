"""Grading processes with a watchdog: each submission has a deadline, and a stop is clean.

The engine hands out one submission at a time to each worker process (forked, so the bundle
is shared). A worker that passes a submission's deadline is killed with everything it started
(bubblewrap dies with its parent) and replaced; that submission gets rows saying so and the
batch goes on. SIGINT and SIGTERM end the run with :class:`Stopped`, which carries what was
graded: every finished submission is already stored in the cache, atomically.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from medialit.grade import scoring
from medialit.grade.bundle import Bundle
from medialit.grade.collect import Task
from medialit.grade.sandbox import Limits
from medialit.grade.textsafe import printable

BASE_SECONDS = 60.0  # reading and scoring one notebook; code items add their own wall time


class Stopped(Exception):
    """The run was stopped by SIGINT or SIGTERM; ``done`` holds the results graded so far."""

    def __init__(self, signum: int, done: dict[int, tuple[dict, bool]]) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum
        self.done = done


def deadline_for(task: Task, bundle: Bundle) -> float:
    """Seconds one submission may take: a base, plus every code item's wall-clock limit."""
    walls = [
        Limits(cpu_seconds=item.cpu_seconds, memory_mb=item.memory_mb).wall
        for item in bundle.sets[task.set_id].items
        if item.kind == "code"
    ]
    return BASE_SECONDS + 1.5 * sum(walls)


def watchdog_rows(task: Task, bundle: Bundle, seconds: float, why: str) -> dict:
    """The result of a submission the watchdog stopped: every item ungradable, not cached."""
    reason = f"grading this notebook {why} ({seconds:.0f} s); it was stopped"
    return _failed_rows(task, bundle, reason)


def _failed_rows(task: Task, bundle: Bundle, reason: str) -> dict:
    rows = [
        scoring.ungradable(item, f"{reason}. Tell staff").to_dict()
        for item in bundle.sets[task.set_id].items
    ]
    return {
        "student": task.student,
        "set_id": task.set_id,
        "fingerprint": "",
        "items": rows,
        "file": "",
    }


def _serve(conn: Connection, grade: Callable[[Task], tuple[dict, bool]], bundle: Bundle) -> None:
    """A worker: grade each task it is sent and send the result back; stop on None. A grader
    error on one notebook becomes that notebook's rows, never the end of the batch."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, _exit_on_term)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        for index, task in message:  # a chunk: one result is sent back per submission
            try:
                conn.send((index, *grade(task)))
            except Exception as exc:
                detail = printable(traceback.format_exception_only(exc)[-1].strip())[:200]
                rows = _failed_rows(task, bundle, f"the grader failed on this notebook ({detail})")
                conn.send((index, rows, True))


def _exit_on_term(signum: int, frame: Any) -> None:
    raise SystemExit(1)  # unwinds run_function's cleanup, which kills any child it started


class _Slot:
    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.queue: deque[int] = deque()  # the submissions sent to it, in order, not yet back
        self.started = 0.0  # when the first of them started (the last result came back)

    @property
    def index(self) -> int | None:
        return self.queue[0] if self.queue else None


class Pool:
    """``workers`` forked grading processes; ``grade(task)`` runs in them."""

    def __init__(
        self, workers: int, grade: Callable[[Task], tuple[dict, bool]], bundle: Bundle
    ) -> None:
        self.size = max(1, workers)
        self.grade = grade
        self.bundle = bundle
        self.context = multiprocessing.get_context("fork")
        self.slots: list[_Slot] = []

    def _start(self) -> _Slot:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_serve, args=(child, self.grade, self.bundle), daemon=True
        )
        process.start()
        child.close()
        slot = _Slot(process, parent)
        self.slots.append(slot)
        return slot

    def _retire(self, slot: _Slot, *, kill: bool) -> None:
        if kill and slot.process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(slot.process.pid, signal.SIGKILL)
        slot.conn.close()
        slot.process.join(5)
        self.slots.remove(slot)

    def close(self) -> None:
        """Stop every worker: ask, then terminate (their sandboxes die with them), then kill."""
        for slot in self.slots:
            with contextlib.suppress(OSError):
                slot.conn.send(None)
        for slot in self.slots:
            if slot.index is not None and slot.process.is_alive():
                slot.process.terminate()
        deadline = time.monotonic() + 10
        for slot in list(self.slots):
            slot.process.join(max(0.1, deadline - time.monotonic()))
            self._retire(slot, kill=True)

    def run(self, tasks: list[Task], deadlines: list[float]) -> Iterator[tuple[int, dict, bool]]:
        """Yield ``(index, result, fresh)`` as submissions finish, in any order. Workers get
        small chunks (fewer messages); the deadline applies to each submission of a chunk."""
        todo = deque(range(len(tasks)))
        chunk = max(1, min(16, len(tasks) // (self.size * 8)))
        while todo or any(slot.index is not None for slot in self.slots):
            while len(self.slots) < min(self.size, len(tasks)):
                self._start()
            for slot in self.slots:
                if slot.index is None and todo:
                    sent = [todo.popleft() for _ in range(min(chunk, len(todo)))]
                    slot.queue.extend(sent)
                    slot.started = time.monotonic()
                    slot.conn.send([(index, tasks[index]) for index in sent])
            busy = [slot for slot in self.slots if slot.index is not None]
            if not busy:
                break
            now = time.monotonic()
            soonest = min(s.started + deadlines[s.index] for s in busy) - now  # type: ignore[index]
            ready = wait([slot.conn for slot in busy], timeout=max(0.0, soonest))
            now = time.monotonic()
            for slot in busy:
                index = slot.index
                assert index is not None
                if slot.conn in ready:
                    try:
                        got, result, fresh = slot.conn.recv()
                    except (EOFError, OSError):
                        todo.extendleft(reversed(list(slot.queue)[1:]))  # the rest: elsewhere
                        self._retire(slot, kill=True)
                        why = "stopped the grading process"
                        rows = watchdog_rows(tasks[index], self.bundle, now - slot.started, why)
                        yield index, rows, True
                        continue
                    slot.queue.popleft()
                    slot.started = now
                    yield got, result, fresh
                elif now - slot.started > deadlines[index]:
                    todo.extendleft(reversed(list(slot.queue)[1:]))
                    self._retire(slot, kill=True)
                    why = "took longer than the grader allows"
                    rows = watchdog_rows(tasks[index], self.bundle, deadlines[index], why)
                    yield index, rows, True


def stop_on_signals() -> Callable[[], None]:
    """Turn SIGTERM into KeyboardInterrupt (as SIGINT already is); returns the undo."""
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread: leave signals alone
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, previous)
