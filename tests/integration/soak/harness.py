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
from custom_components.octopus_kraken.const import DOMAIN
from custom_components.octopus_kraken.meters import MeterConfig
from octopus_simulator.faults import FaultKind
from octopus_simulator.timeutil import LONDON

from ..billing.harness import money_hours
from ..conftest import advance_time, settle, settle_until

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


@dataclass
class SoakFigures:
    """What one run measured."""

    requests: int = 0
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
    # At each half-hour boundary, every entity of ours: entity_id -> state.
    boundaries: dict[datetime, dict[str, str]] = field(default_factory=dict)
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
    """A restart before and after 16:00 each day (the evening one during a dispatch)."""
    first_day = start.astimezone(LONDON).date()
    midnight = datetime.combine(first_day, datetime.min.time(), LONDON)
    return sorted(
        midnight + timedelta(days=d, hours=h, minutes=7) for d in range(days) for h in (13, 20)
    )


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


def _snapshot(hass: HomeAssistant) -> dict[str, str]:
    ours = {
        entity.entity_id
        for entity in hass.data["entity_registry"].entities.values()
        if entity.platform == DOMAIN
    }
    return {
        state.entity_id: state.state for state in hass.states.async_all() if state.entity_id in ours
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
            for entry in entries:
                await _restart(hass, freezer, entry)
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
        reauth_seen: set[str] = set()
        end = start + timedelta(days=days)
        edges = {a for a, _ in outages} | {b for _, b in outages} | set(restarts)
        boundaries = _half_hours(start, end)
        in_outage = False

        def watch(_now: datetime) -> None:
            for flow in hass.config_entries.flow.async_progress():
                if flow["context"].get("source") == SOURCE_REAUTH:
                    reauth_seen.add(flow["flow_id"])

        # Timer to timer (``advance_time``): every poll, retry and cool-down end fires exactly
        # when due, so a request sent during a cool-down is seen, however short the pause.
        for when in sorted(edges | boundaries | {end}):
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
                    for entry in entries:
                        await _restart(hass, freezer, entry)
            await advance_time(hass, freezer, when, watch)
            if when in boundaries:
                figures.boundaries[when] = _snapshot(hass)
        now = end
        simulator.faults.fail_randomly(0, ())
        simulator.faults.clear()
        # Let a request still waiting for its timeout give up before the figures are read.
        freezer.move_to(now + 2 * REQUEST_TIMEOUT)
        async_fire_time_changed(hass, now + 2 * REQUEST_TIMEOUT)
        await settle(hass)
        figures.reauth_flows = len(reauth_seen)
        figures.requests = len(simulator.request_log)
        figures.faults = Counter(r.fault for r in simulator.request_log if r.fault)
        windows = _cool_downs(simulator)
        figures.requests_in_cool_down = sum(
            1 for r in simulator.request_log if any(a < r.at < b for a, b in windows)
        )
        for name, meter in meters.items():
            figures.money[name] = await money_hours(hass, meter)
    finally:
        logging.getLogger().removeHandler(handler)
    return figures


def errors_per_outage(figures: SoakFigures) -> dict[int | None, Counter[str]]:
    """ERROR lines counted per outage (its index), ``None`` for lines outside every outage."""
    counted: dict[int | None, Counter[str]] = {}
    for at, line in figures.errors_at:
        which = next((i for i, (a, b) in enumerate(figures.outages) if a <= at < b), None)
        counted.setdefault(which, Counter())[line] += 1
    return counted


def longest_stale(
    baseline: dict[datetime, dict[str, str]], run: dict[datetime, dict[str, str]]
) -> tuple[timedelta, str | None]:
    """The longest run of half-hour boundaries at which an entity differed from the baseline."""
    longest, which = timedelta(0), None
    streak: dict[str, int] = Counter()
    for boundary in sorted(baseline):
        expected, seen = baseline[boundary], run.get(boundary, {})
        for entity_id, state in expected.items():
            if seen.get(entity_id) != state:
                streak[entity_id] += 1
                if timedelta(minutes=30 * streak[entity_id]) > longest:
                    longest, which = timedelta(minutes=30 * streak[entity_id]), entity_id
            else:
                streak[entity_id] = 0
    return longest, which


def describe(figures: SoakFigures, baseline: SoakFigures | None = None) -> list[str]:
    """``name: value`` lines of a run (compared with a fault-free baseline when given)."""
    lines = [
        f"requests: {figures.requests}",
        f"faults served: {sum(figures.faults.values())} {dict(sorted(figures.faults.items()))}",
        f"requests sent during a Retry-After or KT-CT-1199 cool-down: "
        f"{figures.requests_in_cool_down}",
        f"reauth flows started: {figures.reauth_flows}",
        f"restarts during a first back-fill: {figures.restarts_mid_backfill} "
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
    lines.append(
        f"error-level lines outside an outage: {outside}; repeated within one outage: {repeated}"
    )
    if baseline is not None:
        lines.append(f"extra requests caused by the faults: {figures.requests - baseline.requests}")
        differing = {
            name: sorted(
                hour
                for hour in set(hours) | set(baseline.money[name])
                if hours.get(hour) != baseline.money[name].get(hour)
            )
            for name, hours in figures.money.items()
        }
        for name, hours in differing.items():
            lines.append(
                f"statistics hours differing from the fault-free run ({name}): {len(hours)} "
                f"of {len(baseline.money[name])}"
            )
            for hour in hours[:5]:
                lines.append(
                    f"  {hour.isoformat()}: {figures.money[name].get(hour)} "
                    f"(fault-free {baseline.money[name].get(hour)})"
                )
        stale, which = longest_stale(baseline.boundaries, figures.boundaries)
        lines.append(f"longest time an entity showed stale data: {stale} ({which})")
        final = max(baseline.boundaries, default=None)
        unequal = sorted(
            e
            for e, s in baseline.boundaries.get(final, {}).items()
            if figures.boundaries.get(final, {}).get(e) != s
        )
        lines.append(f"entities differing at the last boundary: {len(unequal)} {unequal[:5]}")
    return lines
