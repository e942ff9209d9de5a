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

import argparse
import os
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run the soak; its figures are printed by the soak itself."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7, help="simulated days (default 7)")
    args = parser.parse_args()
    os.environ["OCTOPUS_SOAK_DAYS"] = str(args.days)
    for path in (ROOT, ROOT / "simulator"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.chdir(ROOT)
    import pytest

    return pytest.main(
        [
            str(ROOT / "tests" / "integration" / "soak" / "bench_week.py"),
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--show-capture=no",
            "-o",
            "log_level=WARNING",
            "-W",
            "ignore::DeprecationWarning",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
