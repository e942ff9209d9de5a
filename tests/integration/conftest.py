"""Fixtures for tests that run Home Assistant against the simulator.

Feature tests live in sub-folders (``rates/``, ``config_flow/``...) with their own conftest for
feature-specific fixtures; what every feature needs is here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime, timedelta
import functools
import math
import os
import time
from typing import Any
from unittest.mock import AsyncMock, PropertyMock, patch

from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers import event as ha_event
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.recorder import get_instance
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    get_scheduled_timer_handles,
)

from custom_components.octopus_kraken.api import OctopusClient
from custom_components.octopus_kraken.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_BACKFILL_DAYS,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_IMPORT_STATISTICS,
    CONF_IS_EXPORT,
    CONF_MPAN,
    CONF_SERIAL,
    CONF_URL,
    DOMAIN,
)
from custom_components.octopus_kraken.discovery import account_title, discover_meters
from octopus_simulator.scenario import (
    ACCOUNT_INTELLIGENT,
    INTELLIGENT_METER_SERIAL,
    INTELLIGENT_MPAN,
    VEHICLE_DEVICE_ID,
)


@pytest.fixture
def uses_statistics() -> bool:
    """Whether the tests read or write long-term statistics (override with ``True`` where so).

    Only those tests pay for the harness's in-memory recorder; for the others the recorder
    dependency counts as set up, which is all the integration asks of it unless the statistics
    import is switched on.
    """
    return False


@pytest.fixture
def recorder_config() -> dict[str, Any] | None:
    """The recorder of tests that use statistics keeps no state history (the harness's override).

    The integration's statistics are imported, not compiled from states; writing every state
    change of a simulated week (committed one by one in the harness) was a quarter of those
    tests' time. A test that reads history back returns ``None`` here (record everything).
    """
    return {"exclude": {"entity_globs": ["*"]}}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest, uses_statistics: bool) -> None:
    """Provide the recorder dependency (real or counted as loaded), then allow our integration.

    The harness's recorder must start before ``hass``, so the fixtures are requested here in
    that order.
    """
    if uses_statistics:
        request.getfixturevalue("recorder_mock")
    hass: HomeAssistant = request.getfixturevalue("hass")
    if not uses_statistics:
        hass.config.components.add("recorder")
    request.getfixturevalue("enable_custom_integrations")


@pytest.fixture(autouse=True)
async def no_database_read_at_stop(
    request: pytest.FixtureRequest, auto_enable_custom_integrations: None, uses_statistics: bool
) -> AsyncIterator[None]:
    """Let the statistics reads still running when a test ends finish before Home Assistant stops.

    The recorder closes its database connection at stop while jobs on its executor may still
    run; the harness's in-memory database is one connection shared by those threads, and
    closing it under a running query killed the worker with a segmentation fault (seen in CI:
    a consumption back-fill reading statistics as the economy test ended). Requested after the
    recorder and ``hass`` (``auto_enable_custom_integrations``), so torn down before them.
    """
    if not uses_statistics:
        yield
        return
    hass: HomeAssistant = request.getfixturevalue("hass")
    instance = get_instance(hass)
    reading: set[asyncio.Future[Any]] = set()
    submit = instance.async_add_executor_job

    def tracked(target: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        future = submit(target, *args)
        reading.add(future)
        future.add_done_callback(reading.discard)
        return future

    instance.async_add_executor_job = tracked  # type: ignore[method-assign]
    yield
    await settle_until(
        hass,
        lambda: not reading and not running(hass, _BACKFILL_TASK),
        _BACKFILL_REAL_SECONDS,
        required=False,
    )
    assert not reading, "a statistics read was still running a minute after the test ended"


@pytest.fixture(autouse=True)
def fast_retries() -> Iterator[None]:
    """The client retries 5xx and timeouts with backoff; tests need not wait for it."""
    fast = functools.partial(OctopusClient, retry_base_delay=0.0)
    with (
        patch("custom_components.octopus_kraken.config_flow.OctopusClient", fast),
        patch("custom_components.octopus_kraken.OctopusClient", fast),
    ):
        yield


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Stand in for the integration's set-up when only the flow is under test."""
    with patch("custom_components.octopus_kraken.async_setup_entry", return_value=True) as mocked:
        yield mocked


@pytest.fixture(autouse=True)
async def london_time_zone(hass: HomeAssistant) -> None:
    """Octopus lives in the UK; the harness defaults to US/Pacific."""
    await hass.config.async_set_time_zone("Europe/London")


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Make entities that are disabled by default enabled in the test."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
async def entry_data(hass: HomeAssistant, octopus_simulator: Any) -> dict[str, Any]:
    """Config entry data for the simulator's first account with every meter and device selected."""
    client = OctopusClient(
        async_get_clientsession(hass), octopus_simulator.api_key, base_url=octopus_simulator.url
    )
    number = (await client.async_get_account_numbers())[0]
    account = await client.async_get_account(number)
    devices = tuple(await client.async_get_devices(number))
    found = discover_meters(account, devices)
    octopus_simulator.reset_log()
    return {
        CONF_API_KEY: octopus_simulator.api_key,
        CONF_URL: octopus_simulator.url,
        CONF_ACCOUNT_NUMBER: number,
        CONF_ELECTRICITY_METERS: list(found.electricity),
        CONF_GAS_METERS: list(found.gas),
        CONF_DEVICES: list(found.devices),
        "title": account_title(account),
    }


def intelligent_go_entry(octopus_simulator: Any, options: dict[str, Any]) -> MockConfigEntry:
    """The Intelligent Octopus Go account with its import meter and its car (not yet added)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Octopus …EF90",
        unique_id=ACCOUNT_INTELLIGENT,
        data={
            CONF_API_KEY: octopus_simulator.api_key,
            CONF_URL: octopus_simulator.url,
            CONF_ACCOUNT_NUMBER: ACCOUNT_INTELLIGENT,
            CONF_ELECTRICITY_METERS: [
                {
                    CONF_MPAN: INTELLIGENT_MPAN,
                    CONF_SERIAL: INTELLIGENT_METER_SERIAL,
                    CONF_IS_EXPORT: False,
                }
            ],
            CONF_GAS_METERS: [],
            CONF_DEVICES: [VEHICLE_DEVICE_ID],
        },
        options=options,
        version=1,
        minor_version=1,
    )


def account_entry(entry_data: dict[str, Any], options: dict[str, Any]) -> MockConfigEntry:
    """The entry of the simulator account ``entry_data`` describes, with ``options`` (not added)."""
    data = dict(entry_data)
    title = data.pop("title")
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=data[CONF_ACCOUNT_NUMBER],
        data=data,
        options=options,
        version=1,
        minor_version=1,
    )


@pytest.fixture
def mock_config_entry(entry_data: dict[str, Any]) -> MockConfigEntry:
    """The config entry of the simulator's first account (not yet added).

    Statistics import and a long back-fill are off: they cost tens of seconds under the
    recorder and only the consumption tests look at them (they turn them on).
    """
    return account_entry(entry_data, {CONF_IMPORT_STATISTICS: False, CONF_BACKFILL_DAYS: 2})


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set the integration up against the simulator and hand back its entry."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await settle(hass)  # consumption and the Home Mini start as background tasks
    return mock_config_entry


# A consumption back-fill waits for the recorder's thread: real time must pass for it.
_BACKFILL_TASK = "octopus_kraken consumption"
_BACKFILL_REAL_SECONDS = 60.0


async def settle(hass: HomeAssistant) -> None:
    """Let coordinator refreshes (background tasks talking to the simulator) finish.

    Bounded: a task sleeping on a timer waits for simulated time to move, not for us, so
    ``async_block_till_done(wait_background_tasks=True)`` could wait forever under the freezer.
    A consumption back-fill still running after that is waited for in real time (its statistics
    go through the recorder's thread), up to a minute.
    """
    for _ in range(500):
        await hass.async_block_till_done()
        if all(task.done() for task in hass._background_tasks):
            return
        await asyncio.sleep(0)
    await settle_until(
        hass, lambda: not running(hass, _BACKFILL_TASK), _BACKFILL_REAL_SECONDS, required=False
    )


def running(hass: HomeAssistant, prefix: str) -> bool:
    """Whether a background task whose name starts with ``prefix`` is still running."""
    return any(
        not task.done() and task.get_name().startswith(prefix) for task in hass._background_tasks
    )


async def settle_until(
    hass: HomeAssistant, condition: Callable[[], bool], seconds: float, *, required: bool = True
) -> None:
    """Let work finish until ``condition`` holds, for at most ``seconds`` of real time."""
    deadline = os.times().elapsed + seconds  # not frozen, unlike the clocks of ``time``
    while not condition():
        if os.times().elapsed > deadline:
            assert not required, "the work did not finish"
            return
        await hass.async_block_till_done()
        await hass.async_add_executor_job(time.sleep, 0.02)


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add and set up the config entry at the current (frozen) time."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)  # consumption and the Home Mini start as background tasks


def set_up_entry_at(
    hass: HomeAssistant, freezer: Any, entry: MockConfigEntry
) -> Callable[[datetime], Awaitable[MockConfigEntry]]:
    """A function that moves the clock to ``when``, sets ``entry`` up there and hands it back."""

    async def _set_up_at(when: datetime) -> MockConfigEntry:
        freezer.move_to(when)
        await setup_entry(hass, entry)
        return entry

    return _set_up_at


def _housekeeping(handle: asyncio.TimerHandle) -> bool:
    """Whether a timer is upkeep: aiohttp's connections, storage writes or the recorder's own.

    A storage write (``Store.async_delay_save``, caches and registries) changes no entity and
    is flushed when Home Assistant stops; as a stop it doubled a simulated day's stops.
    """
    callback = handle._callback
    if getattr(callback, "__module__", "").startswith("aiohttp."):
        return True
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, Store):
        return True
    # The recorder's interval and time-pattern trackers name the Recorder in their jobs.
    return "<Recorder(" in repr(owner if owner is not None else callback)


_RESOLUTION = time.get_clock_info("monotonic").resolution  # as the harness allows


def fire_due_timers(hass: HomeAssistant, at: datetime) -> None:
    """Run every timer due at ``at``, as the harness's ``async_fire_time_changed_exact`` does.

    Time trackers read the instant they fire for from ``time_tracker_utcnow`` and
    ``time_tracker_timestamp``; the harness patches both with two new mocks for every timer
    it runs (4% of the whole suite went into making them); here they are set once a stop.
    """
    timestamp = at.timestamp()
    due = hass.loop.time() + _RESOLUTION + (timestamp - time.time())
    saved = ha_event.time_tracker_utcnow, ha_event.time_tracker_timestamp
    ha_event.time_tracker_utcnow = lambda: at
    ha_event.time_tracker_timestamp = lambda: timestamp
    try:
        for handle in list(get_scheduled_timer_handles(hass.loop)):
            live = isinstance(handle, asyncio.TimerHandle) and not handle.cancelled()
            if live and handle.when() <= due:
                handle._run()
                handle.cancel()
    finally:
        ha_event.time_tracker_utcnow, ha_event.time_tracker_timestamp = saved


def _next_timer(hass: HomeAssistant) -> asyncio.TimerHandle | None:
    """The earliest live timer on Home Assistant's loop (``None``: nothing is scheduled).

    Housekeeping timers do not count: aiohttp's keep-alive and connection clean-up (every few
    seconds while connections are open) and the recorder's own five-minute and nightly tasks.
    They run at whichever stop comes after them, as they would under fixed steps.
    """
    timers = [
        handle
        for handle in get_scheduled_timer_handles(hass.loop)
        if isinstance(handle, asyncio.TimerHandle)
        and not handle.cancelled()
        and not _housekeeping(handle)
    ]
    return min(timers, key=lambda handle: handle.when(), default=None)


type Observer = Callable[[datetime], None]


async def advance_time(
    hass: HomeAssistant, freezer: Any, target: datetime, observe: Observer | None = None
) -> None:
    """Move simulated time to ``target``, stopping at each timer exactly when it falls due.

    Jumps from one due timer (Home Assistant's time trackers, coordinator refresh intervals, an
    ``asyncio.sleep``) to the next, fires it at that instant and lets the work it starts finish
    (``settle``); at the end the clock stands at ``target`` with every timer due by then run.
    ``observe(now)``, when given, is called after every stop (and at ``target``), once the work
    the stop started has finished: entities can change only at a stop.
    """
    target = dt_util.as_utc(target)
    while (timer := _next_timer(hass)) is not None:
        now = dt_util.utcnow()
        # Under the freezer the loop's clock is the frozen wall clock, so offsets agree.
        wait = timer.when() - hass.loop.time()
        if wait > (target - now).total_seconds():
            break
        # Stand on the first microsecond at or after the timer (the freezer's resolution).
        at = now + timedelta(microseconds=max(0, math.ceil(wait * 1e6)))
        freezer.move_to(at)
        fire_due_timers(hass, at)
        if not timer.cancelled():  # float rounding left it a hair in the future
            freezer.move_to(at := at + timedelta(microseconds=1))
            fire_due_timers(hass, at)
        assert timer.cancelled(), f"{timer} did not fire at {at}"
        await settle(hass)
        if observe is not None:
            observe(at)
    freezer.move_to(target)
    fire_due_timers(hass, target)
    await settle(hass)
    if observe is not None:
        observe(target)


type Advance = Callable[[datetime], Awaitable[None]]


@pytest.fixture
def advance(hass: HomeAssistant, freezer: Any) -> Advance:
    """``await advance(target)``: move simulated time to ``target`` (see ``advance_time``)."""

    async def _advance(target: datetime) -> None:
        await advance_time(hass, freezer, target)

    return _advance
