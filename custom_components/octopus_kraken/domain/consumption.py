"""Consumption of a meter as kept between polls: half-hours, days, and when to poll again.

Pure functions of what is known and the clock; the consumption coordinator does the I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .jitter import jittered
from .pricing import HalfHourUsage
from .time import HALF_HOUR, LONDON, local_date, local_day_bounds

__all__ = ["ConsumptionData", "DaySummary", "HalfHourUsage"]

HISTORY_DAYS = 7  # local days of half-hours kept for sensors and gap re-requests
RECHECK_DAYS = 2  # every fetch re-reads this many past days: late corrections
POLL_STEPS = (timedelta(hours=1), timedelta(hours=2), timedelta(hours=4), timedelta(hours=6))


@dataclass(frozen=True, slots=True)
class DaySummary:
    """A complete UK local day of consumption."""

    day: date
    start: datetime
    kwh: Decimal
    cost: Decimal | None  # pence, with the standing charge
    standing_charge: Decimal | None  # pence
    half_hours: tuple[HalfHourUsage, ...]


@dataclass(frozen=True, slots=True)
class ConsumptionData:
    """What the coordinator knows of a meter."""

    recent: tuple[HalfHourUsage, ...]
    standing: dict[date, Decimal]  # pence per local day, for the kept days
    last_end: datetime | None  # end of the latest half-hour received
    previous_day: DaySummary | None
    unit: str  # unit the meter reports: "kWh" or "m³"
    fetched_at: datetime
    next_fetch: datetime
    empty_polls: int = 0
    statistics_imported: bool = False
    unpriced_from: datetime | None = None  # first half-hour still without a price: re-priced
    # Starts of the completed smart dispatches the costs were worked out with (Intelligent Go):
    # a dispatch that turns up later re-prices its day.
    dispatches_priced: tuple[datetime, ...] = ()


def window_start(
    previous: ConsumptionData | None,
    now: datetime,
    backfill_from: datetime,
    reprice_from: datetime | None = None,
) -> datetime:
    """The UK local midnight from which the next fetch asks for data."""
    if previous is None or previous.last_end is None:
        candidates = [backfill_from]
    else:
        candidates = [previous.last_end, now - timedelta(days=RECHECK_DAYS)]
        if reprice_from is not None:
            candidates.append(max(reprice_from, backfill_from))
        hole = first_missing(previous.recent, previous.last_end)
        if hole is not None:
            candidates.append(hole)
        if previous.unpriced_from is not None:
            candidates.append(previous.unpriced_from)
    return local_day_bounds(local_date(min(candidates), LONDON), LONDON)[0]


def first_missing(recent: Iterable[HalfHourUsage], last_end: datetime) -> datetime | None:
    """The first half-hour missing between the oldest kept one and ``last_end``."""
    starts = sorted(u.start for u in recent)
    if not starts:
        return None
    slot = starts[0]
    have = set(starts)
    while slot < last_end:
        if slot not in have:
            return slot
        slot += HALF_HOUR
    return None


def next_poll(last_end: datetime | None, now: datetime, empty_polls: int) -> datetime:
    """When new half-hours may exist: grow the wait while nothing new arrives."""
    step = POLL_STEPS[min(empty_polls, len(POLL_STEPS) - 1)]
    when = now + step
    if last_end is not None:
        # No half-hour can be reported before it has ended.
        when = max(when, last_end + HALF_HOUR)
    return jittered(when)


def previous_complete_day(
    recent: Iterable[HalfHourUsage], standing: dict[date, Decimal], today: date
) -> DaySummary | None:
    """The latest local day before ``today`` with every half-hour reported."""
    by_day: dict[date, list[HalfHourUsage]] = defaultdict(list)
    for usage in recent:
        by_day[local_date(usage.start, LONDON)].append(usage)
    for day in sorted(by_day, reverse=True):
        if day >= today:
            continue
        start, end = local_day_bounds(day, LONDON)
        slots = sorted(by_day[day], key=lambda u: u.start)
        if len(slots) != (end - start) // HALF_HOUR:
            continue
        charge = standing.get(day)
        costs = [u.cost for u in slots]
        cost = (
            None
            if any(c is None for c in costs)
            else sum((c or Decimal(0) for c in costs), Decimal(0)) + (charge or Decimal(0))
        )
        return DaySummary(
            day=day,
            start=start,
            kwh=sum((u.kwh for u in slots), Decimal(0)),
            cost=cost,
            standing_charge=charge,
            half_hours=tuple(slots),
        )
    return None
