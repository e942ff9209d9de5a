"""Fixtures shared by every test package: the Octopus API simulator."""

from __future__ import annotations

import asyncio
import calendar
from collections.abc import Iterator
from datetime import UTC, datetime
import faulthandler
import gc
import logging
import os
from unittest.mock import Mock, patch

import freezegun.api
import pytest

pytest_plugins = ["octopus_simulator.pytest_plugin"]

# The Home Assistant harness turns SQL echo on for every query the recorder makes; in a suite
# that imports statistics that is megabytes of output hiding the failures that matter.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

# The harness runs every test in asyncio's debug mode, which keeps its checks (a loop call from
# another thread, a coroutine never awaited, a slow callback) but also makes asyncio and aiohttp
# record where each future, task, handle, request and session was created: a stack walk with a
# source-line lookup per object, a fifth of a long test's time. They ask ``loop.get_debug()``,
# while the loop's own checks read its ``_debug`` flag: answering ``False`` to the question
# keeps every check and drops only the "created at" records. OCTOPUS_ASYNCIO_TRACEBACKS=1 brings
# them back when chasing one.
_TRACEBACKS = bool(os.environ.get("OCTOPUS_ASYNCIO_TRACEBACKS"))


# A worker killed by a fault in C code (a segmentation fault) is reported by xdist only as
# "crashed"; its fault handler's stacks went to the terminal far above the summary. With
# OCTOPUS_CRASH_DIR set (scripts/test sets it), each worker writes them to its own file there
# and scripts/test prints any that are not empty when the tests fail.
_crash_files: list[object] = []


@pytest.hookimpl(trylast=True)  # after pytest's own faulthandler set-up, which it replaces
def pytest_configure(config: pytest.Config) -> None:
    """In an xdist worker, send fatal errors' stacks of every thread to OCTOPUS_CRASH_DIR."""
    folder, worker = os.environ.get("OCTOPUS_CRASH_DIR"), os.environ.get("PYTEST_XDIST_WORKER")
    if folder and worker:  # a replaced worker has the same name: the process id tells them apart
        stream = open(os.path.join(folder, f"{worker}-{os.getpid()}.txt"), "w")  # noqa: SIM115
        _crash_files.append(stream)  # open until the process ends
        faulthandler.enable(file=stream, all_threads=True)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """In the controller, list failed tests for scripts/test: a dead worker's apart from others.

    scripts/test runs a lane once more when its only failures were workers that died (a fault
    in the interpreter or a C library, whose stacks it prints), never when a test failed.
    """
    folder = os.environ.get("OCTOPUS_CRASH_DIR")
    if not folder or os.environ.get("PYTEST_XDIST_WORKER") or not report.failed:
        return
    crashed = report.when == "???" and "crashed while running" in str(report.longrepr)  # xdist's
    with open(os.path.join(folder, "crashed.txt" if crashed else "failed.txt"), "a") as listed:
        listed.write(f"{report.nodeid}\n")


def _frozen_at() -> datetime | None:
    """The freezer's instant (naive UTC), or ``None`` while time is not frozen."""
    return freezegun.api.get_current_time() if freezegun.api.freeze_factories else None


def _loop_time() -> float:
    """The loop's clock: what ``time.monotonic()`` answers the loop, without freezegun's detour.

    Under the freezer, ``time.monotonic`` walks five frames per call to see whether the caller
    is on freezegun's ignore list (threads, queues, pytest's own timing); the loop is never on
    it, so it always gets the frozen clock. The loop asks several times per iteration.
    """
    if (now := _frozen_at()) is None:
        return freezegun.api.real_monotonic()
    return calendar.timegm(now.timetuple()) + now.microsecond / 1e6


@pytest.fixture(autouse=True)
def enable_event_loop_debug(request: pytest.FixtureRequest) -> None:
    """Replace the harness's fixture of this name: debug mode on, cheaper (see above)."""
    try:  # the pinned harness hands the loop out as a fixture; newer ones do not
        loop: asyncio.AbstractEventLoop = request.getfixturevalue("event_loop")
    except pytest.FixtureLookupError:
        loop = asyncio.get_event_loop()
    loop.set_debug(True)
    if not _TRACEBACKS:
        loop.get_debug = lambda: False  # type: ignore[method-assign]
    loop.time = _loop_time  # type: ignore[method-assign]


_REAL_DATETIME: type[datetime] = freezegun.api.real_datetime


def _utcnow() -> datetime:
    """``dt_util.utcnow()`` as a plain ``datetime``, frozen or not.

    Under the freezer the harness's ``utcnow`` hands out freezegun's datetime subclass, and
    every sum, difference and time zone change of one makes another through a Python-level
    conversion: a tenth of a long test went into that, on the integration's date arithmetic.
    The instant is the same; only the class differs.
    """
    if (at := _frozen_at()) is None:
        return _REAL_DATETIME.now(UTC)
    plain = _REAL_DATETIME(
        at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond, UTC
    )
    return plain + freezegun.api.tz_offsets[-1]


@pytest.fixture(autouse=True)
def plain_utcnow() -> Iterator[None]:
    """Serve ``dt_util.utcnow()`` as plain datetimes (see ``_utcnow``)."""
    with patch("homeassistant.util.dt.utcnow", _utcnow):
        yield


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
    "tests/integration/comparison/",
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


def pytest_collection_finish(session: pytest.Session) -> None:
    """Leave everything imported so far out of every later garbage collection.

    The harness collects garbage in full before each test module, and Python does on its own
    as objects pile up; both walked Home Assistant's whole import (modules, schemas, types)
    each time, a twentieth of the suite. Frozen objects are still freed by reference counting.
    """
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def forget_resolver_calls() -> Iterator[None]:
    """Let each test's Home Assistant go when the test ends.

    The harness replaces the web session's DNS resolver factory with a mock for the whole
    session; the mock records every call, and each call's argument is the test's ``hass``, so
    every Home Assistant that opened a web session stayed alive to the end of the worker.
    """
    yield
    from homeassistant.helpers import aiohttp_client  # imported after the harness patched time

    made = aiohttp_client._async_make_resolver
    if isinstance(made, Mock):
        made.reset_mock()


@pytest.fixture(autouse=True, scope="module")
def garbage_collection() -> None:
    """Replace the harness's full collection before every test module with Python's own.

    The harness's mocks record calls with each test's Home Assistant (the resolver's is cleared
    after each test above; the translation mock's records last to the end of the module), so
    the live heap grew over a worker's session and a full collection per module grew with it,
    to half a second: a sixth of the suite. Python's own
    full collections run only when the long-lived objects grew by a quarter, so their cost
    stays a fraction of that; frozen imports (``pytest_collection_finish``) are never walked.
    """
