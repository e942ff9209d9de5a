#!/usr/bin/env python3
"""Soak benchmark: a week of Home Assistant against the simulator, with and without faults.

Two homes (Agile + export + gas with a Home Mini; Intelligent Octopus Go with its car), 15% of
requests failing at random (seeded: 5xx, 429, KT-CT-1199, truncated JSON, expired tokens, lost
answers), two outages of two hours (one across 16:00) and restarts before and after 16:00 each
day. Prints the requests sent during rate-limit cool-downs, reauth flows, error-level log lines,
extra requests, hourly statistics differing from the fault-free week, and the longest time an
entity showed stale data.

    .venv/bin/python benchmarks/soak.py [--days 7]
"""

from __future__ import annotations

import sys

from pytest_runner import ROOT, run_days_benchmark


def main() -> int:
    """Run the benchmark; its figures are printed by the benchmarked module itself."""
    return run_days_benchmark(
        __doc__.splitlines()[0],
        ROOT / "tests" / "integration" / "soak" / "bench_week.py",
        "OCTOPUS_SOAK_DAYS",
        7,
        "-p",
        "no:randomly",
    )


if __name__ == "__main__":
    sys.exit(main())
