#!/usr/bin/env python3
"""Billing benchmark: the largest daily difference between the integration's cost and the bill.

Runs ``benchmarks/bench_billing.py`` through pytest (the Home Assistant test harness moves time
with freezegun): one account with a meter on each tariff (Agile, Agile Outgoing as income, gas
in m³ on Tracker, Go, Intelligent Go with smart dispatches, boosts and a capped slow car,
Tracker, Economy 7, fixed, a switch at midnight and one inside the back-fill) lives through 30
simulated days around each clock change; every complete UK day's cost statistics are compared
with the simulator's independent biller. Prints ``name: value`` lines (target 0.00).

    .venv/bin/python benchmarks/billing.py [--days 30]
"""

from __future__ import annotations

import sys

from pytest_runner import ROOT, run_days_benchmark


def main() -> int:
    """Run the benchmark; its figures are printed by the benchmarked module itself."""
    return run_days_benchmark(
        __doc__.splitlines()[0],
        ROOT / "benchmarks" / "bench_billing.py",
        "OCTOPUS_BENCH_DAYS",
        30,
        "-p",
        "no:xdist",
        "-p",
        "octopus_simulator.pytest_plugin",
    )


if __name__ == "__main__":
    sys.exit(main())
