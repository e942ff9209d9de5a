#!/usr/bin/env python3
"""Rates economy benchmark: a simulated week of Home Assistant against the simulator.

Runs ``benchmarks/bench_rates_economy.py`` through pytest (the Home Assistant test harness moves
time with freezegun) and prints ``name: value`` lines: rate requests per day by operation for
homes on Agile, Go, Intelligent Go, Tracker, Economy 7, Agile Outgoing and gas (Tracker), both the
rates coordinator's own and the whole integration's (consumption cost included; counted by path
in the simulator's request log, also after the first day's back-fill), and the simulated minutes
between the publication of tomorrow's Agile prices and the entities showing them.

    .venv/bin/python benchmarks/economy.py [--days 7]
"""

from __future__ import annotations

import sys

from pytest_runner import ROOT, run_days_benchmark


def main() -> int:
    """Run the benchmark; its figures are printed by the benchmarked module itself."""
    return run_days_benchmark(
        __doc__.splitlines()[0],
        ROOT / "benchmarks" / "bench_rates_economy.py",
        "OCTOPUS_BENCH_DAYS",
        7,
        "-p",
        "octopus_simulator.pytest_plugin",
    )


if __name__ == "__main__":
    sys.exit(main())
