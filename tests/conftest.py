"""Fixtures shared by every test package: the Octopus API simulator."""

from __future__ import annotations

import asyncio.format_helpers
import logging
import os
import traceback

import pytest

pytest_plugins = ["octopus_simulator.pytest_plugin"]

# The Home Assistant harness turns SQL echo on for every query the recorder makes; in a suite
# that imports statistics that is megabytes of output hiding the failures that matter.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

# The harness runs every test in asyncio's debug mode, which keeps its checks (a loop call from
# another thread, a coroutine never awaited, a slow callback) but also records where each
# callback handle was created: a stack walk per ``call_soon``, a fifth of a long test's time.
# Only the "created at" lines of debug warnings need it; OCTOPUS_ASYNCIO_TRACEBACKS=1 brings
# them back when chasing one.
if not os.environ.get("OCTOPUS_ASYNCIO_TRACEBACKS"):

    def _no_source_traceback(f: object = None, limit: int | None = None) -> traceback.StackSummary:
        return traceback.StackSummary()

    asyncio.format_helpers.extract_stack = _no_source_traceback

# Files whose tests live through simulated days (most under the recorder). They start first so
# that under xdist none of them is left running alone at the end; ``--dist worksteal``
# (scripts/test) lets the other worker take over what is still queued behind them.
SLOW_FIRST = (
    "tests/integration/soak/",
    "tests/integration/billing/",
    "tests/integration/cost_tracker/",
    "tests/integration/rates/test_agile.py",
    "tests/integration/rates/test_integration_economy.py",
    "tests/integration/cheapest/test_with_simulator.py",
    "tests/integration/smartflex/",
    "tests/integration/consumption/",
    "tests/integration/octoplus/",
    "tests/integration/setup/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slow files first (a stable sort: the order within each group stays)."""

    def rank(item: pytest.Item) -> int:
        return next(
            (n for n, prefix in enumerate(SLOW_FIRST) if item.nodeid.startswith(prefix)),
            len(SLOW_FIRST),
        )

    items.sort(key=rank)
