#!/usr/bin/env python3
"""Soak benchmark: a week of Home Assistant against the simulator, with and without faults.

Two homes (Agile + export + gas with a Home Mini; Intelligent Octopus Go with its car), 15% of
requests failing at random (seeded: 5xx, timeouts, connection resets, 429 with and without
Retry-After, KT-CT-1199, KT-CT-1188/1189, truncated JSON, empty bodies, empty pages, expired
tokens, lost answers), two outages of two hours (one across 16:00), a restart in the middle of the
first back-fill and restarts before and after 16:00 each day. Prints the requests sent during
rate-limit cool-downs, reauth flows, error-level log lines (and how many fell outside an outage or
repeated within one), extra requests, hourly statistics differing from the fault-free week, and
the longest time an entity showed stale data.

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
