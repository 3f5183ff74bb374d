"""Nothing about the grading machine is visible inside the sandbox: no /proc, an empty environment.

Student code that reads /proc (bubblewrap's own command line as PID 1, environments, mounts,
status) and raises what it read gets nothing host-specific into its feedback.
"""

from __future__ import annotations

import os
import sys

import pytest

from medialit.grade import isolation
from medialit.grade.sandbox import Limits, run_function

QUICK = Limits(cpu_seconds=1, wall_seconds=20)
READS = [
    "/proc/1/cmdline",
    "/proc/1/environ",
    "/proc/self/environ",
    "/proc/self/mountinfo",
    "/proc/self/status",
    "/proc/self/cmdline",
    "/proc/2/cmdline",
    "/proc/mounts",
    "/proc/cpuinfo",
]


def _host_words() -> list[str]:
    """Strings that would give the host away: its paths, its python, this checkout, its env."""
    python, prefix = isolation.interpreter()
    words = [python, prefix, os.getcwd(), sys.prefix, str(os.getpid()), "bwrap", "--ro-bind"]
    words += [v for v in os.environ.values() if len(v) >= 6][:20]
    return [w for w in words if w and w not in ("/", "/usr")]


@pytest.mark.parametrize("guard", [False, True], ids=["kernel-only", "with-guard"])
@pytest.mark.parametrize("path", READS)
def test_proc_tells_nothing_about_the_host(path: str, guard: bool) -> None:
    source = (
        "def f():\n"
        f"    with open({path!r}, 'rb') as handle:\n"
        "        data = handle.read()\n"
        "    raise ValueError(data.decode('latin-1')[:250])\n"
    )
    run = run_function(source, "f", [[]], QUICK, guard=guard)
    assert run.isolation == "bwrap"
    outcome = run.outcomes[0]
    assert outcome is not None and outcome["ok"] is False, run
    error = outcome["error"]
    assert error.startswith(("FileNotFoundError", "PermissionError")), error
    for word in _host_words():
        assert word not in error, (word, error)


def test_no_proc_and_an_empty_environment_but_the_runner_still_works() -> None:
    source = (
        "import os, resource, sys\n"
        "def f():\n"
        "    return [os.path.exists('/proc'), dict(os.environ), os.cpu_count() is not None,\n"
        "            resource.getrlimit(resource.RLIMIT_AS)[0], sys.getrecursionlimit() > 0,\n"
        "            sorted(os.listdir('/dev'))]\n"
    )
    run = run_function(source, "f", [[]], QUICK, guard=False)
    assert run.status == "ok", run
    proc, env, cpus, memory, _, dev = run.outcomes[0]["value"]
    assert proc is False
    assert set(env) <= {"HOME", "LANG", "PATH", "PWD", "TMPDIR", "PYTHONHASHSEED"}
    assert all(value in ("/tmp", "C.UTF-8", "/usr/bin:/bin", "0") for value in env.values()), env
    assert cpus is True
    assert memory == QUICK.memory_mb * 1024 * 1024
    assert set(dev) <= {
        "null",
        "zero",
        "full",
        "random",
        "urandom",
        "tty",
        "pts",
        "ptmx",
        "shm",
        "console",
        "fd",
        "stdin",
        "stdout",
        "stderr",
        "core",
        "mqueue",
    }
