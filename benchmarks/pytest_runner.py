"""What the benchmarks run through pytest share: ``--days``, the import path, the pytest call.

The Home Assistant test harness moves time with freezegun, so these benchmarks are pytest runs of
a module that prints ``name: value`` lines itself.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent


def run_days_benchmark(
    description: str, target: Path, days_variable: str, default_days: int, *options: str
) -> int:
    """Parse ``--days`` into ``days_variable`` and run ``target`` quietly with ``options``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--days", type=int, default=default_days, help=f"simulated days (default {default_days})"
    )
    args = parser.parse_args()
    os.environ[days_variable] = str(args.days)
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
