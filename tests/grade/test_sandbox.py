"""The sandbox on its own: kernel isolation (bubblewrap), limits, and what feedback can carry.

Most tests run student code with the audit hook off (``guard=False``): what they check is
what the kernel enforces, whatever the code does inside Python.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import psutil
import pytest

from medialit.grade import isolation
from medialit.grade.sandbox import Limits, run_function

QUICK = Limits(cpu_seconds=1, wall_seconds=20)  # wall: room for a busy machine
REPO = Path(__file__).resolve().parents[2]


def test_bubblewrap_is_installed_and_runs_here() -> None:
    """Not skipped when missing: the grader refuses code items without it, so the suite fails
    with the fix (`make bwrap`, or `apt-get install bubblewrap`)."""
    assert shutil.which("bwrap"), (
        "bubblewrap is missing: run `make bwrap` (apt-get install bubblewrap)"
    )
    assert isolation.bwrap_problem() is None, isolation.bwrap_problem()
    assert isolation.mode() == "bwrap"


def run1(source: str, limits: Limits = QUICK, guard: bool = False):
    return run_function(source, "f", [[]], limits, guard=guard)


def value(source: str, guard: bool = False):
    run = run1(source, guard=guard)
    assert run.isolation == "bwrap"
    outcome = run.outcomes[0]
    assert outcome is not None, run
    return outcome


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
    run = run1("def f():\n    while True:\n        pass\n")
    assert run.status == "timeout"
    assert "did not finish" in run.message
    assert time.monotonic() - started < 60  # a hang guard, not a speed target


def test_sleeping_forever_is_stopped_at_the_wall_clock() -> None:
    source = "import time\ndef f():\n    time.sleep(600)\n"
    run = run1(source, Limits(cpu_seconds=1, wall_seconds=1.5))
    assert run.status == "timeout"
    assert run.seconds < 60


def test_memory_bomb_hits_the_memory_cap() -> None:
    source = "def f():\n    blocks = []\n    while True:\n        blocks.append(bytearray(10**7))\n"
    run = run1(source, Limits(cpu_seconds=2, memory_mb=128))
    assert run.status == "memory"
    assert "128 MB" in run.message


@pytest.mark.parametrize(
    "body",
    ["while True:\n        print('x' * 10000)", "import os\n    os.write(1, b'\\xff' * 10**8)"],
    ids=["prints", "raw-bytes"],
)
def test_flood_of_output_is_capped_without_waiting(body: str) -> None:
    run = run1(f"def f():\n    {body}\n", Limits(cpu_seconds=5, output_kb=64, wall_seconds=30))
    assert run.status == "output"
    assert run.seconds < 20


def test_the_child_is_nobody_in_an_empty_world() -> None:
    source = (
        "import os\n"
        "def f():\n"
        "    return [os.getuid(), os.getpid(), sorted(os.listdir('/')), os.listdir('/tmp'),\n"
        "            sorted(os.environ), os.path.exists('/proc')]\n"
    )
    outcome = value(source)
    uid, pid, root, tmp, env, proc = outcome["value"]
    assert uid == 65534
    assert pid < 10  # its own PID namespace
    assert set(root) <= {"bin", "dev", "lib", "lib64", "proc", "sandbox", "tmp", "usr", "root"}
    assert tmp == []
    assert set(env) <= {"HOME", "LANG", "PATH", "PWD", "TMPDIR", "PYTHONHASHSEED"}
    assert proc is False  # no /proc: it would show the host's paths and environment


def test_the_graders_environment_does_not_reach_the_child(monkeypatch) -> None:
    monkeypatch.setenv("MEDIALIT_TEST_SECRET", "TOKEN-1234")
    outcome = value("import os\ndef f():\n    return dict(os.environ)\n")
    assert "TOKEN-1234" not in str(outcome)


@pytest.mark.parametrize("guard", [False, True], ids=["kernel-only", "with-guard"])
@pytest.mark.parametrize(
    "target",
    ["secret", "repo", "submission", "bundle"],
)
def test_no_file_of_the_machine_is_visible(tmp_path: Path, target: str, guard: bool) -> None:
    """World-readable files of the instructor checkout, a classmate and the bundle."""
    paths = {
        "secret": tmp_path / "key.txt",
        "repo": REPO / "exercises" / "README.md",
        "submission": tmp_path / "submissions" / "bob" / "sourcing.ipynb",
        "bundle": tmp_path / "grader" / "bundle.json",
    }
    path = paths[target]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("THE ANSWER")
        path.chmod(0o644)
    marker = path.read_text()[:30]
    source = (
        "import os\n"
        "def f():\n"
        "    found = []\n"
        f"    for p in [{str(path)!r}, {str(path.parent)!r}]:\n"
        "        try:\n"
        "            found.append(open(p).read() if os.path.isfile(p) else os.listdir(p))\n"
        "        except Exception as exc:\n"
        "            found.append(type(exc).__name__)\n"
        "    return found\n"
    )
    run = run1(source, guard=guard)
    assert run.outcomes[0] is not None
    assert marker not in str(run.to_dict())
    if not guard:
        assert run.outcomes[0]["value"] == ["FileNotFoundError", "FileNotFoundError"]


def test_installed_packages_are_not_visible() -> None:
    import pytest as installed

    folders = isolation._package_folders(isolation.interpreter()[1])
    assert folders  # the system's dist-packages at least
    ours = str(Path(installed.__file__).parents[1])  # the grader's own site-packages
    outcome = value(
        "import os\n"
        "def f():\n"
        f"    return [os.listdir(p) for p in {folders!r} if os.path.isdir(p)],"
        f" os.path.exists({ours!r})\n"
    )
    assert outcome["ok"], outcome
    listings, visible = outcome["value"]
    assert not any(listings) and visible is False


def test_no_network_even_to_this_machine() -> None:
    outcome = value(
        "import socket\n"
        "def f():\n"
        "    s = socket.socket()\n"
        "    s.settimeout(2)\n"
        "    s.connect(('127.0.0.1', 22))\n"
    )
    assert outcome["ok"] is False
    assert "ConnectionRefused" in outcome["error"] or "unreachable" in outcome["error"]


def test_tmp_is_private_small_and_gone_afterwards() -> None:
    marker = f"medialit-{os.getpid()}-{time.time_ns()}"
    outcome = value(
        "def f():\n"
        f"    open('/tmp/{marker}', 'w').write('x')\n"
        "    try:\n"
        "        open('/tmp/big', 'wb').write(b'x' * 5_000_000)\n"
        "    except OSError as exc:\n"
        "        return type(exc).__name__\n"
    )
    assert outcome == {"ok": True, "value": "OSError"}
    assert not Path("/tmp", marker).exists()


def test_nothing_outside_tmp_is_writable() -> None:
    outcome = value(
        "def f():\n"
        "    errors = []\n"
        "    for p in ['/x', '/usr/x', '/sandbox/runner.py', '/dev/shm/x']:\n"
        "        try:\n"
        "            open(p, 'w').write('x')\n"
        "        except OSError as exc:\n"
        "            errors.append(exc.errno)\n"
        "    return len(errors)\n"
    )
    assert outcome == {"ok": True, "value": 4}


def _sleepers(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if marker in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def test_processes_meant_to_outlive_the_child_are_killed() -> None:
    """A daemon started with setsid and a double fork still dies with the sandbox."""
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
    run = run1(source)
    assert run.outcomes[0] == {"ok": True, "value": "started"}
    time.sleep(0.3)
    assert _sleepers(marker) == []


def test_a_fork_bomb_is_held_by_the_process_limit() -> None:
    source = (
        "import os\n"
        "def f():\n"
        "    made = 0\n"
        "    try:\n"
        "        for _ in range(500):\n"
        "            if os.fork() == 0:\n"
        "                import time\n"
        "                time.sleep(60)\n"
        "                os._exit(0)\n"
        "            made += 1\n"
        "    except OSError:\n"
        "        pass\n"
        "    return made\n"
    )
    run = run1(source, Limits(cpu_seconds=1, wall_seconds=20, processes=8))
    assert run.outcomes[0]["ok"] is True
    assert run.outcomes[0]["value"] < 8


def test_forged_and_pathological_results_are_data() -> None:
    """Code that writes to every descriptor it has (the results pipe among them): lines that
    are not sane JSON are dropped, deep nesting and huge numbers are refused by shape."""
    source = (
        "import os\n"
        "def f():\n"
        "    for fd in range(3, 30):\n"
        "        for line in [b'[' * 100000 + b'\\n', b'{\"case\": 0, \"ok\": true, \"value\": '\n"
        "                     + b'[' * 50 + b']' * 50 + b'}\\n', b'\\xff\\xfe\\n',\n"
        '                     b\'{"case": 0, "ok": true, "value": 1\'\n'
        "                     + b'0' * 5000 + b'}\\n']:\n"
        "            try:\n"
        "                os.write(fd, line)\n"
        "            except OSError:\n"
        "                pass\n"
        "    return 1\n"
    )
    run = run1(source)
    outcome = run.outcomes[0]
    assert outcome is not None and outcome["ok"] is False
    assert "nested too deeply" in outcome["error"]


def test_an_exception_is_only_its_type_and_a_short_message() -> None:
    source = (
        "class Leak(Exception):\n"
        "    def __str__(self):\n"
        "        return 'A' * 100000 + '\\x1b[2J\\n'\n"
        "def f():\n"
        "    raise Leak()\n"
    )
    outcome = value(source)
    assert outcome["error"].startswith("Leak: AAA")
    assert len(outcome["error"]) <= 300
    assert "\x1b" not in outcome["error"] and "\n" not in outcome["error"]


def test_an_exception_whose_message_raises_is_still_reported() -> None:
    source = (
        "class Odd(Exception):\n"
        "    def __str__(self):\n"
        "        raise RuntimeError('no')\n"
        "def f():\n"
        "    raise Odd()\n"
    )
    assert value(source)["error"].startswith("Odd: (the exception's message")


@pytest.mark.parametrize(
    "body",
    [
        "import subprocess\n    return subprocess.run(['true']).returncode",
        "import ctypes\n    return 1",
        "import socket\n    return 1",
    ],
    ids=["subprocess", "ctypes", "socket"],
)
def test_the_audit_hook_is_a_second_layer(body: str) -> None:
    outcome = value("def f():\n    " + body + "\n", guard=True)
    assert outcome["ok"] is False
    assert "PermissionError" in outcome["error"]


def test_without_bubblewrap_code_is_refused_with_the_fix(monkeypatch) -> None:
    monkeypatch.setattr(isolation, "bwrap_problem", lambda: "bwrap is not installed. Fix...")
    monkeypatch.setattr(isolation, "_UNSAFE", [])
    monkeypatch.delenv(isolation.UNSAFE_ENV, raising=False)
    with pytest.raises(isolation.SandboxUnavailable, match="not installed"):
        run1("def f():\n    return 1\n")


def test_the_opt_out_runs_code_and_says_so(monkeypatch) -> None:
    monkeypatch.setattr(isolation, "bwrap_problem", lambda: "no user namespaces")
    monkeypatch.setenv(isolation.UNSAFE_ENV, "1")
    run = run1("def f():\n    return 2\n")
    assert run.outcomes[0] == {"ok": True, "value": 2}
    assert run.isolation == "unsafe"


def test_nothing_the_child_makes_can_block_the_grader() -> None:
    """Named pipes where a grader might read results (its folder, /tmp, the old results file
    name): the grader reads pipes it owns, so the run ends at once with the values."""
    source = (
        "import os\n"
        "def f():\n"
        "    for path in ['results.jsonl', 'output.txt', '/tmp/results.jsonl', 'job.json']:\n"
        "        try:\n"
        "            os.remove(path)\n"
        "        except OSError:\n"
        "            pass\n"
        "        try:\n"
        "            os.mkfifo(path)\n"
        "        except OSError:\n"
        "            pass\n"
        "    return 'made'\n"
    )
    started = time.monotonic()
    run = run1(source)
    assert run.outcomes[0] == {"ok": True, "value": "made"}
    assert time.monotonic() - started < 20
