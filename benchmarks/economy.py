#!/usr/bin/env python3
"""Economy benchmark: four homes, a simulated week each, requests and freshness against targets.

Runs ``tests/integration/economy/bench_homes.py`` through pytest (the Home Assistant test harness
moves time with freezegun) and prints one table, a column per home: (a) Agile import + gas,
(b) (a) + Agile Outgoing export, (c) Intelligent Octopus Go + gas + an EV charger plugged in
every evening, (d) (c) + a Home Mini; (a)-(c) with the simulator's telemetry switch at "no Home
Mini (empty list)". Rows: requests a day by operation (GraphQL operation or kind of REST path,
from the simulator's request log), token requests a day, minutes from the publication of
tomorrow's Agile prices to the entities showing them, and minutes from a SmartFlex plan change
to the entity showing it while the charger is plugged in; each target beside its figure with
PASS or MISS, and why where a target cannot be met.

Simulated time jumps from one timer on Home Assistant's event loop to the next, firing each at
its own instant; see ``tests/integration/economy/harness.py`` for why that counts every request
a fixed 5-second step would (and more exactly). ``--tariffs`` prints instead the older figures
of the rates alone: rate requests a day for a meter on each tariff (Agile, Go, Intelligent Go,
Tracker, Economy 7, fixed, Agile Outgoing, gas), from ``benchmarks/bench_rates_economy.py``.

    .venv/bin/python benchmarks/economy.py [--days 7] [--tariffs]
"""

from __future__ import annotations

import sys

from pytest_runner import ROOT, days_parser, run_pytest


def main() -> int:
    """Run the benchmark; its figures are printed by the benchmarked module itself."""
    parser = days_parser(__doc__.splitlines()[0], 7)
    parser.add_argument(
        "--tariffs", action="store_true", help="rate requests per tariff instead of the homes"
    )
    args = parser.parse_args()
    if args.tariffs:
        return run_pytest(
            ROOT / "benchmarks" / "bench_rates_economy.py",
            "OCTOPUS_BENCH_DAYS",
            args.days,
            "-p",
            "octopus_simulator.pytest_plugin",
        )
    return run_pytest(
        ROOT / "tests" / "integration" / "economy" / "bench_homes.py",
        "OCTOPUS_BENCH_DAYS",
        args.days,
        "-p",
        "no:randomly",
    )


if __name__ == "__main__":
    sys.exit(main())
