"""The sandbox on its own: limits, isolation, and the killing of stray processes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import psutil
import pytest

from medialit.grade.sandbox import Limits, run_function

QUICK = Limits(cpu_seconds=1, wall_seconds=20)  # wall: room for a busy machine


def test_returns_values_as_json() -> None:
    source = "def f(x, y):\n    return {'sum': x + y, 'pair': (x, y), 'set': {3, 1}}\n"
    run = run_function(source, "f", [[1, 2], [3, 4]], QUICK)
    assert run.status == "ok"
    assert run.outcomes[0] == {"ok": True, "value": {"sum": 3, "pair": [1, 2], "set": [1, 3]}}
    assert run.outcomes[1]["value"]["sum"] == 7


def test_an_exception_is_reported_per_case() -> None:
    run = run_function("def f(x):\n    return 10 // x\n", "f", [[2], [0]], QUICK)
    assert run.outcomes[0] == {"ok": True, "value": 5}
    assert run.outcomes[1]["ok"] is False
    assert run.outcomes[1]["error"].startswith("ZeroDivisionError")


def test_infinite_loop_is_stopped_at_the_cpu_limit() -> None:
    started = time.monotonic()
    run = run_function("def f():\n    while True:\n        pass\n", "f", [[]], QUICK)
    assert run.status == "timeout"
    assert "did not finish" in run.message
    # a hang guard, not a speed target: CPU time accrues slowly on a busy machine
    assert time.monotonic() - started < 60


def test_sleeping_forever_is_stopped_at_the_wall_clock() -> None:
    source = "import time\ndef f():\n    time.sleep(600)\n"
    run = run_function(source, "f", [[]], Limits(cpu_seconds=1, wall_seconds=1.5))
    assert run.status == "timeout"
    assert run.seconds < 60  # the wall-clock limit ended it (hang guard only)


def test_memory_bomb_hits_the_memory_cap() -> None:
    source = "def f():\n    blocks = []\n    while True:\n        blocks.append(bytearray(10**7))\n"
    run = run_function(source, "f", [[]], Limits(cpu_seconds=2, memory_mb=128))
    assert run.status == "memory"
    assert "128 MB" in run.message


def test_flood_of_output_is_capped() -> None:
    source = "def f():\n    while True:\n        print('x' * 10000)\n"
    run = run_function(source, "f", [[]], Limits(cpu_seconds=2, output_kb=64))
    assert run.status == "output"


def test_the_child_runs_without_root(tmp_path: Path) -> None:
    run = run_function(
        "import os\ndef f():\n    return os.getuid()\n", "f", [[]], QUICK, guard=False
    )
    if os.getuid() == 0:
        assert run.outcomes[0]["value"] != 0
    else:
        assert run.outcomes[0]["value"] == os.getuid()


def test_the_child_sees_only_its_own_folder() -> None:
    source = "import os\ndef f():\n    return sorted(os.listdir('.'))\n"
    run = run_function(source, "f", [[]], QUICK)
    assert set(run.outcomes[0]["value"]) <= {"job.json", "runner.py", "results.jsonl", "output.txt"}


@pytest.mark.parametrize(
    "body",
    [
        "return open({secret!r}).read()",
        "import os\n    return os.listdir({folder!r})",
        "import subprocess\n    return subprocess.run(['cat', {secret!r}]).returncode",
        "import ctypes\n    return 1",
        "import socket\n    return 1",
    ],
    ids=["open", "listdir", "subprocess", "ctypes", "socket"],
)
def test_the_guard_refuses_files_processes_and_c_code(tmp_path: Path, body: str) -> None:
    secret = tmp_path / "key.txt"
    secret.write_text("THE ANSWER")
    secret.chmod(0o644)
    source = "def f():\n    " + body.format(secret=str(secret), folder=str(tmp_path)) + "\n"
    run = run_function(source, "f", [[]], QUICK)
    outcome = run.outcomes[0]
    assert outcome is not None and outcome["ok"] is False, outcome
    assert "PermissionError" in outcome["error"]
    assert "THE ANSWER" not in str(run.to_dict())


@pytest.mark.skipif(os.getuid() != 0, reason="the uid layer exists only when grading as root")
def test_without_the_guard_another_uid_still_cannot_read_private_files(tmp_path: Path) -> None:
    secret = tmp_path / "bundle.json"
    secret.write_text("THE ANSWER")
    secret.chmod(0o600)
    run = run_function(
        f"def f():\n    return open({str(secret)!r}).read()\n", "f", [[]], QUICK, guard=False
    )
    assert run.outcomes[0]["ok"] is False
    assert "Permission" in run.outcomes[0]["error"]


@pytest.mark.skipif(os.getuid() != 0, reason="the uid layer exists only when grading as root")
def test_without_the_guard_another_uid_cannot_write_the_graders_files(tmp_path: Path) -> None:
    target = tmp_path / "gradebook.csv"
    target.write_text("alice,10\n")
    target.chmod(0o644)
    source = f"def f():\n    open({str(target)!r}, 'w').write('mallory,100')\n"
    run = run_function(source, "f", [[]], QUICK, guard=False)
    assert run.outcomes[0]["ok"] is False
    assert target.read_text() == "alice,10\n"


def _sleepers(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if marker in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def test_processes_meant_to_outlive_the_child_are_killed() -> None:
    """With the guard off, a daemon started with setsid and a double fork still dies."""
    marker = f"{os.getpid()}{time.time_ns() % 10**6}"
    source = (
        "import os, subprocess\n"
        "def f():\n"
        f"    subprocess.Popen(['setsid', 'sleep', '{marker}'], start_new_session=True)\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        "        if os.fork() == 0:\n"
        f"            os.execvp('sleep', ['sleep', '{marker}1'])\n"
        "        os._exit(0)\n"
        "    return 'started'\n"
    )
    run = run_function(source, "f", [[]], QUICK, guard=False)
    assert run.outcomes[0] == {"ok": True, "value": "started"}
    assert run.strays_killed >= 1
    time.sleep(0.2)
    assert _sleepers(marker) == []


def test_with_the_guard_no_process_can_be_started() -> None:
    marker = f"{os.getpid()}{time.time_ns() % 10**6 + 7}"
    source = f"import os\ndef f():\n    os.system('sleep {marker} &')\n    return 1\n"
    run = run_function(source, "f", [[]], QUICK)
    assert run.outcomes[0]["ok"] is False
    assert _sleepers(marker) == []


def test_code_cannot_disable_the_guard(tmp_path: Path) -> None:
    secret = tmp_path / "key.txt"
    secret.write_text("THE ANSWER")
    secret.chmod(0o644)
    source = (
        "import sys\n"
        "def f(attempt):\n"
        "    if attempt == 'hook':\n"
        "        sys.addaudithook(lambda *a: None)\n"
        "    if attempt == 'gc':\n"
        "        import gc\n"
        "        gc.get_objects()\n"
        "    if attempt == 'code':\n"
        "        f.__code__ = (lambda attempt: 1).__code__\n"
        f"    return open({str(secret)!r}).read()\n"
    )
    run = run_function(source, "f", [["hook"], ["gc"], ["code"]], QUICK)
    assert [outcome["ok"] for outcome in run.outcomes] == [False, False, False]
    assert "THE ANSWER" not in str(run.to_dict())
