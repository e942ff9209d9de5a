"""What the benchmarks run through pytest share: ``--days``, the import path, the pytest call.

The Home Assistant test harness moves time with freezegun, so these benchmarks are pytest runs of
a module that prints ``name: value`` lines (or a table) itself.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent


def days_parser(description: str, default_days: int) -> argparse.ArgumentParser:
    """An argument parser with ``--days`` (more arguments may be added to it)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--days", type=int, default=default_days, help=f"simulated days (default {default_days})"
    )
    return parser


def run_pytest(target: Path, days_variable: str, days: int, *options: str) -> int:
    """Run ``target`` quietly with ``options``, ``days`` in the environment as ``days_variable``."""
    os.environ[days_variable] = str(days)
    for path in (ROOT, ROOT / "simulator"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.chdir(ROOT)
    import pytest

    return pytest.main(
        [
            str(target),
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            *options,
            "--show-capture=no",
            "-o",
            "log_level=WARNING",
            "-W",
            "ignore::DeprecationWarning",
        ]
    )


def run_days_benchmark(
    description: str, target: Path, days_variable: str, default_days: int, *options: str
) -> int:
    """Parse ``--days`` into ``days_variable`` and run ``target`` quietly with ``options``."""
    args = days_parser(description, default_days).parse_args()
    return run_pytest(target, days_variable, args.days, *options)
