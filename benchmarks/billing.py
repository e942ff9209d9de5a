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

import argparse
import os
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run the benchmark; its figures are printed by the benchmark test itself."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--days", type=int, default=30, help="simulated days (default 30)")
    args = parser.parse_args()
    os.environ["OCTOPUS_BENCH_DAYS"] = str(args.days)
    for path in (ROOT, ROOT / "simulator"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.chdir(ROOT)
    import pytest

    return pytest.main(
        [
            str(ROOT / "benchmarks" / "bench_billing.py"),
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-p",
            "octopus_simulator.pytest_plugin",
            "--show-capture=no",
            "-o",
            "log_level=WARNING",
            "-W",
            "ignore::DeprecationWarning",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
