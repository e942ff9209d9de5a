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

import argparse
import os
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run the benchmark; its figures are printed by the benchmark test itself."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7, help="simulated days (default 7)")
    args = parser.parse_args()
    os.environ["OCTOPUS_BENCH_DAYS"] = str(args.days)
    for path in (ROOT, ROOT / "simulator"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.chdir(ROOT)
    import pytest

    return pytest.main(
        [
            str(ROOT / "benchmarks" / "bench_rates_economy.py"),
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
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
