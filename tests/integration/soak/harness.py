"""The soak: days of Home Assistant against the simulator, with random faults, outages, restarts.

Shared by ``test_soak.py`` (one day) and ``benchmarks/soak.py`` (seven, with and without faults).
Faults come from the simulator (``fail_randomly``, seeded) so every run sends the same ones; the
figures are read from the simulator's request log, Home Assistant's flows and a log handler.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.octopus_kraken.api.transport import DEFAULT_RATE_LIMIT_COOL_DOWN
from custom_components.octopus_kraken.caches import cache_store
from custom_components.octopus_kraken.domain import jitter
from custom_components.octopus_kraken.entity_ids import meter_tag
from custom_components.octopus_kraken.lifecycle import async_remove_caches
from custom_components.octopus_kraken.meters import MeterConfig
from octopus_simulator.faults import FaultKind
from octopus_simulator.timeutil import LONDON

from ..billing.harness import money_hours
from ..conftest import advance_time, settle, settle_until
from .compare import (
    HalfHours,
    Snapshot,
    compare_states,
    describe_states,
    final_differences,
    home_mini_half_hours,
    retried_failures,
    snapshot,
)

FAULT_RATE = 0.15
FAULT_KINDS = (
    FaultKind.SERVER_ERROR,
    FaultKind.TIMEOUT,
    FaultKind.RATE_LIMIT,
    FaultKind.GRAPHQL_RATE_LIMIT,
    FaultKind.MALFORMED_JSON,
    FaultKind.EXPIRED_TOKEN,
    FaultKind.LOST_502,
    FaultKind.CONNECTION_RESET,
    FaultKind.RATE_LIMIT_NO_RETRY_AFTER,
    FaultKind.QUERY_TOO_COMPLEX,
    FaultKind.TOO_MANY_NODES,
    FaultKind.EMPTY_PAGE,
    FaultKind.EMPTY_BODY,
)
REQUEST_TIMEOUT = timedelta(seconds=31)  # just past the client's 30 s
# Entities move to the next half-hour on a timer at the boundary itself: a snapshot at that very
# instant races it (the loop's float clock may put the timer a hair later), so a run could show
# the half-hour before while the other shows the new one. A second later every boundary timer
# has fired, and no scheduled poll can have (they never fall in the first minute of a
# half-hour).
SNAPSHOT_DELAY = timedelta(seconds=1)


@dataclass
class SoakFigures:
    """What one run measured."""

    requests: int = 0
    # Every request the simulator served (``LoggedRequest``), and how many of them the
    # restarts' set-ups sent.
    log: list[Any] = field(default_factory=list)
    restart_requests: int = 0
    restarts: list[datetime] = field(default_factory=list)
    restarted_at: list[datetime] = field(default_factory=list)  # when each restart began
    faults: Counter[str] = field(default_factory=Counter)
    requests_in_cool_down: int = 0
    reauth_flows: int = 0
    error_lines: Counter[str] = field(default_factory=Counter)
    # Every ERROR line with the simulated time it was logged at.
    errors_at: list[tuple[datetime, str]] = field(default_factory=list)
    outages: list[tuple[datetime, datetime]] = field(default_factory=list)
    # Restarts that came while a first back-fill was still running, and the warnings Home
    # Assistant logged about tasks an unload had to wait for.
    restarts_mid_backfill: int = 0
    unload_waits: int = 0
    # At each half-hour boundary, every entity of ours (``compare.snapshot``), and the
    # energy of each ended half-hour of today of each Home Mini.
    boundaries: dict[datetime, Snapshot] = field(default_factory=dict)
    half_hours: dict[datetime, HalfHours] = field(default_factory=dict)
    # After the faults stopped and every poll had time to succeed: the entities that differ
    # from a fresh, fault-free set-up at the same instant (entity, this run, fresh set-up).
    final_differences: list[tuple[str, str, str]] = field(default_factory=list)
    final_half_hours_differ: bool = False
    money: dict[str, dict[datetime, Decimal]] = field(default_factory=dict)


class _ErrorLines(logging.Handler):
    def __init__(self, figures: SoakFigures) -> None:
        super().__init__(logging.WARNING)
        self.figures = figures

    def emit(self, record: logging.LogRecord) -> None:
        if "did not complete in time" in record.getMessage():
            self.figures.unload_waits += 1
        if record.levelno < logging.ERROR:
            return
        line = f"{record.name}: {record.getMessage()}"
        self.figures.error_lines[line] += 1
        self.figures.errors_at.append((dt_util.utcnow(), line))


def _outages(start: datetime, days: int) -> list[tuple[datetime, datetime]]:
    """Two outages of two hours: 15:00-17:00 UK time on the first day, 02:00-04:00 mid-run."""
    midnight = datetime.combine(start.astimezone(LONDON).date(), datetime.min.time(), LONDON)
    afternoon = midnight + timedelta(hours=15)
    night = midnight + timedelta(days=days // 2 + 1, hours=2)
    return [(afternoon, afternoon + timedelta(hours=2)), (night, night + timedelta(hours=2))]


def _restarts(start: datetime, days: int) -> list[datetime]:
    """A restart before and after 16:00 each day (the evening one during a dispatch), and one
    in the middle of the night outage (during a dispatch too)."""
    first_day = start.astimezone(LONDON).date()
    midnight = datetime.combine(first_day, datetime.min.time(), LONDON)
    daily = [
        midnight + timedelta(days=d, hours=h, minutes=7) for d in range(days) for h in (13, 20)
    ]
    night_outage = _outages(start, days)[1][0]
    return sorted([*daily, night_outage + timedelta(hours=1, minutes=7)])


def _cool_downs(simulator: Any) -> list[tuple[datetime, datetime]]:
    windows = []
    for request in simulator.request_log:
        if request.fault == FaultKind.RATE_LIMIT.value:
            wait = float(simulator.faults.default_retry_after)
        elif request.fault in (
            FaultKind.GRAPHQL_RATE_LIMIT.value,
            FaultKind.RATE_LIMIT_NO_RETRY_AFTER.value,
        ):
            wait = DEFAULT_RATE_LIMIT_COOL_DOWN
        else:
            continue
        windows.append((request.at, request.at + timedelta(seconds=wait)))
    return windows


async def _restart(hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: Any) -> None:
    """Reload an entry as a restart would, with the clock moving while set-up waits.

    Set-up waits for its first requests; one that meets a timeout fault only gives up when the
    clock passes the client's deadline, so the clock moves on in the client's timeout steps.
    """
    # Not a task of Home Assistant's: ``settle`` must not wait for it.
    reload = asyncio.get_running_loop().create_task(
        hass.config_entries.async_reload(entry.entry_id)
    )
    while not reload.done():
        for _ in range(200):  # loopback answers take a few turns of the loop
            await settle(hass)
            if reload.done():
                break
            await asyncio.sleep(0)
        else:
            later = dt_util.utcnow() + REQUEST_TIMEOUT
            freezer.move_to(later)
            async_fire_time_changed(hass, later)
    await reload


async def _restart_all(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Any,
    entries: list[MockConfigEntry],
    figures: SoakFigures,
) -> None:
    """Restart every entry, counting the requests their set-ups send."""
    sent = len(simulator.request_log)
    figures.restarted_at.append(dt_util.utcnow())
    for entry in entries:
        await _restart(hass, freezer, entry)
    figures.restart_requests += len(simulator.request_log) - sent


# Longer than the longest wait between two tries of a poll (30 minutes, stretched by a quarter).
RECOVERY = timedelta(minutes=40)


async def _compare_with_a_fresh_set_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entries: list[MockConfigEntry],
    figures: SoakFigures,
    watch: Any,
) -> None:
    """Once every poll had its chance without faults, compare with a fault-free start.

    Each entry restarts with its caches deleted, so everything it shows is fetched afresh at
    the same instant, without any fault behind it. Only the SmartFlex cache stays: it holds
    what no request can give back (dispatches seen running, which price the past half-hours
    they covered off-peak until Octopus lists them as completed).
    """
    await advance_time(hass, freezer, dt_util.utcnow() + RECOVERY, watch)
    before, before_half_hours = snapshot(hass), home_mini_half_hours(hass)
    for entry in entries:
        assert await hass.config_entries.async_unload(entry.entry_id)
        dispatches = cache_store(hass, entry.entry_id, "dispatches")
        seen = await dispatches.async_load()
        await async_remove_caches(hass, entry)
        if seen is not None:
            await dispatches.async_save(seen)
        assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    figures.final_differences = final_differences(before, snapshot(hass))
    after_half_hours = home_mini_half_hours(hass)
    figures.final_half_hours_differ = any(
        after_half_hours.get(device, {}).get(slot) != kwh
        for device, slots in before_half_hours.items()
        for slot, kwh in slots.items()
    )


def _backfills(hass: HomeAssistant) -> list[asyncio.Task[Any]]:
    """The consumption refreshes still running as background tasks."""
    return [
        task
        for task in hass._background_tasks
        if not task.done() and "consumption" in task.get_name()
    ]


def _half_hours(start: datetime, end: datetime) -> set[datetime]:
    """Every half-hour boundary after ``start`` up to and including ``end``."""
    first = start.replace(minute=start.minute // 30 * 30, second=0, microsecond=0)
    return {
        first + timedelta(minutes=30 * n)
        for n in range(1, int((end - first) / timedelta(minutes=30)) + 1)
    }


async def run_soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Any,
    entries: list[MockConfigEntry],
    meters: dict[str, MeterConfig],
    *,
    start: datetime,
    days: int,
    faults: bool,
    seed: int = 16,
) -> SoakFigures:
    """Run ``days`` from ``start``; with ``faults``, random failures, outages and restarts."""
    figures = SoakFigures()
    handler = _ErrorLines(figures)
    logging.getLogger().addHandler(handler)
    # The integration's random spreads too, so that the same run sends the same requests and
    # meets the same faults every time.
    jitter._RANDOM.seed(seed)
    try:
        freezer.move_to(start)
        if faults:
            # The gas meter's first back-fill hangs (the clock stands still, so no timeout
            # ends it): the first restart comes in the middle of it.
            simulator.faults.inject(
                FaultKind.TIMEOUT, 1, path_contains="gas-meter-points", delay=3600
            )
        for entry in entries:
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
        if faults:
            # Every back-fill but the stuck one finishes first.
            await settle_until(hass, lambda: len(_backfills(hass)) <= 1, 300)
            if any(
                not task.done() and "consumption" in task.get_name()
                for task in hass._background_tasks
            ):
                figures.restarts_mid_backfill += 1
            await _restart_all(hass, freezer, simulator, entries, figures)
        await hass.async_block_till_done(wait_background_tasks=True)
        if faults:
            # A timeout is a server that does not answer within the client's 30 s. The loop's
            # clock is the frozen one, so no wall-clock second passes: the client gives up when
            # the next step moves the clock past its deadline.
            simulator.faults.timeout_seconds = 3600
            simulator.faults.fail_randomly(FAULT_RATE, FAULT_KINDS, seed=seed)
        outages = _outages(start, days) if faults else []
        figures.outages = outages
        restarts = _restarts(start, days) if faults else []
        figures.restarts = restarts
        reauth_seen: set[str] = set()
        end = start + timedelta(days=days)
        edges = {a for a, _ in outages} | {b for _, b in outages} | set(restarts)
        # Snapshots a second after each boundary (see SNAPSHOT_DELAY), on the boundary's key.
        boundaries = {b + SNAPSHOT_DELAY: b for b in _half_hours(start, end) if b < end}
        in_outage = False

        def watch(_now: datetime) -> None:
            for flow in hass.config_entries.flow.async_progress():
                if flow["context"].get("source") == SOURCE_REAUTH:
                    reauth_seen.add(flow["flow_id"])

        # Timer to timer (``advance_time``): every poll, retry and cool-down end fires exactly
        # when due, so a request sent during a cool-down is seen, however short the pause.
        for when in sorted(edges | set(boundaries) | {end}):
            if when in edges:
                # Outages and restarts take effect just before their instant, so the timers
                # due at it already meet them.
                await advance_time(hass, freezer, when - timedelta(microseconds=1), watch)
                outage = any(a <= when < b for a, b in outages)
                if outage and not in_outage:
                    simulator.faults.inject(FaultKind.SERVER_ERROR, 10**9)
                elif in_outage and not outage:
                    simulator.faults.clear()
                in_outage = outage
                if when in restarts:
                    await _restart_all(hass, freezer, simulator, entries, figures)
            await advance_time(hass, freezer, when, watch)
            if when in boundaries:
                figures.boundaries[boundaries[when]] = snapshot(hass)
                figures.half_hours[boundaries[when]] = home_mini_half_hours(hass)
        now = end
        simulator.faults.fail_randomly(0, ())
        simulator.faults.clear()
        # Let a request still waiting for its timeout give up before the figures are read.
        freezer.move_to(now + 2 * REQUEST_TIMEOUT)
        async_fire_time_changed(hass, now + 2 * REQUEST_TIMEOUT)
        await settle(hass)
        figures.reauth_flows = len(reauth_seen)
        figures.log = list(simulator.request_log)
        figures.requests = len(simulator.request_log)
        figures.faults = Counter(r.fault for r in simulator.request_log if r.fault)
        windows = _cool_downs(simulator)
        figures.requests_in_cool_down = sum(
            1 for r in simulator.request_log if any(a < r.at < b for a, b in windows)
        )
        for name, meter in meters.items():
            figures.money[name] = await money_hours(hass, meter)
        if faults:
            await _compare_with_a_fresh_set_up(hass, freezer, entries, figures, watch)
    finally:
        logging.getLogger().removeHandler(handler)
    return figures


type OutageStart = tuple[
    int, int
]  # (outage, Home Assistant start within it: 0, 1 after a restart…)


def errors_per_outage(figures: SoakFigures) -> dict[OutageStart | None, Counter[str]]:
    """ERROR lines counted per outage and per start of Home Assistant within it.

    ``None`` collects the lines outside every scheduled outage. A restart during an outage
    begins a new start: a coordinator logs the outage once more then (once per start).
    """
    counted: dict[OutageStart | None, Counter[str]] = {}
    for at, line in figures.errors_at:
        key: OutageStart | None = None
        for index, (begin, end) in enumerate(figures.outages):
            if begin <= at < end:
                key = (index, sum(1 for r in figures.restarted_at if begin <= r <= at))
        counted.setdefault(key, Counter())[line] += 1
    return counted


def _label(meter: MeterConfig) -> str:
    """A meter as its entity ids name it (no MPAN or serial in the output)."""
    return f"{meter.kind} {meter_tag(meter)}"


def describe_requests(figures: SoakFigures, baseline: SoakFigures) -> list[str]:
    """Requests of a run with faults against the fault-free run, and the extra ones."""

    def in_outage(request: Any) -> bool:
        return any(a <= request.at < b for a, b in figures.outages)

    retried = retried_failures(figures.log)
    retried_in_outages = sum(1 for r in retried if in_outage(r))
    failed = sum(figures.faults.values())
    failed_in_outages = sum(1 for r in figures.log if r.fault and in_outage(r))
    difference = figures.requests - baseline.requests
    held_back = len(retried) + figures.restart_requests - difference
    restarts = len(figures.restarted_at)
    return [
        f"requests sent: {figures.requests} with faults, {baseline.requests} in the fault-free "
        f"run: a difference of {difference:+d}",
        f"requests a fault failed: {failed} ({failed - failed_in_outages} random faults, "
        f"{failed_in_outages} during the outages)",
        f"extra requests caused by the faults: {len(retried)} (failed requests that were sent "
        f"again: {len(retried) - retried_in_outages} after a random fault, {retried_in_outages} "
        f"during the outages; counted in the simulator's log)",
        f"  the difference = {len(retried)} extra + {figures.restart_requests} sent by the "
        f"{restarts} restarts' set-ups - {held_back} polls not sent (held back by an outage's "
        f"backoff or a rate-limit pause, net of the other timings of random spreads)",
    ]


def describe(
    figures: SoakFigures,
    baseline: SoakFigures | None = None,
    meters: dict[str, MeterConfig] | None = None,
) -> list[str]:
    """``name: value`` lines of a run (compared with a fault-free baseline when given)."""
    lines = [
        f"requests: {figures.requests}",
        f"faults served: {sum(figures.faults.values())} {dict(sorted(figures.faults.items()))}",
        f"requests sent during a Retry-After or KT-CT-1199 cool-down: "
        f"{figures.requests_in_cool_down}",
        f"reauth flows started: {figures.reauth_flows}",
        f"restarts: {len(figures.restarts)} scheduled, "
        f"{sum(1 for r in figures.restarts if any(a < r < b for a, b in figures.outages))} "
        f"of them during an outage; during a first back-fill: {figures.restarts_mid_backfill} "
        f"(unloads that had to wait for a task: {figures.unload_waits})",
        f"error-level log lines: {sum(figures.error_lines.values())}",
    ]
    lines += [f"  {count} x {line[:160]}" for line, count in figures.error_lines.most_common()]
    per_outage = errors_per_outage(figures)
    outside = sum(per_outage.get(None, Counter()).values())
    repeated = sum(
        count - 1
        for which, counted in per_outage.items()
        if which is not None
        for count in counted.values()
    )
    again = sum(
        sum(counted.values())
        for which, counted in per_outage.items()
        if which is not None and which[1] > 0
    )
    lines.append(
        f"error-level lines outside the scheduled outages: {outside}; repeated within one "
        f"outage and one start of Home Assistant: {repeated}; logged again after a restart "
        f"during an outage: {again}"
    )
    if figures.faults:
        lines.append(
            f"entities differing from a fresh fault-free set-up once every poll had "
            f"{RECOVERY} without faults: {len(figures.final_differences)} "
            f"{figures.final_differences[:5]}; Home Mini half-hours differing: "
            f"{'yes' if figures.final_half_hours_differ else 'none'}"
        )
    if baseline is not None:
        lines += describe_requests(figures, baseline)
        for name, hours in figures.money.items():
            expected = baseline.money[name]
            differing = sorted(
                h for h in set(hours) | set(expected) if hours.get(h) != expected.get(h)
            )
            label = _label(meters[name]) if meters else name
            lines.append(
                f"statistics hours differing from the fault-free run ({label}): "
                f"{len(differing)} of {len(expected)}"
            )
            lines += [
                f"  {hour.isoformat()}: {hours.get(hour)} (fault-free {expected.get(hour)})"
                for hour in differing[:5]
            ]
        lines += describe_states(
            compare_states(
                baseline.boundaries, figures.boundaries, baseline.half_hours, figures.half_hours
            )
        )
    return lines
