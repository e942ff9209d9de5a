"""Fixtures shared by every test package: the Octopus API simulator."""

from __future__ import annotations

import asyncio.format_helpers
import logging
import os
import traceback

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
