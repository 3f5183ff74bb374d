"""Benchmark: what the kernel sandbox costs per code item, with bubblewrap and without.

Runs one small student function (three cases, as a code exercise has) N times in each mode and
prints the wall time per run (median, 90th percentile) and the CPU time of all processes.

    python benchmarks/sandbox_cost.py --runs 40
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

from medialit.grade import isolation
from medialit.grade.sandbox import Limits, run_function

SOURCE = (
    "import re\n"
    "def find_direct_quotes(text):\n"
    '    return re.findall(r\'["\\u201c]([^"\\u201c\\u201d]*)["\\u201d]\', text)\n'
)
CASES = [['a "b" c'], ["\u201cx y\u201d"], ["none here"]]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(mode: str, runs: int) -> tuple[list[float], float]:
    isolation.force_mode(mode)
    walls = []
    cpu_before = _cpu()
    for _ in range(runs):
        started = time.perf_counter()
        result = run_function(SOURCE, "find_direct_quotes", CASES, Limits(cpu_seconds=2))
        walls.append(time.perf_counter() - started)
        assert result.status == "ok" and result.isolation == mode, result
    return walls, (_cpu() - cpu_before) / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}, {args.runs} runs per mode")
    print(f"{'mode':8} {'median':>9} {'p90':>9} {'CPU/run':>9}")
    for mode in ("bwrap", "unsafe"):
        walls, cpu = measure(mode, args.runs)
        p90 = sorted(walls)[int(0.9 * (len(walls) - 1))]
        median = statistics.median(walls)
        print(f"{mode:8} {median * 1000:7.0f} ms {p90 * 1000:7.0f} ms {cpu * 1000:7.0f} ms")
    isolation.force_mode(None)


if __name__ == "__main__":
    main()
