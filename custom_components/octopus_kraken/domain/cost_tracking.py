"""Cost trackers: any energy meter's readings priced at the import meter's half-hourly rates.

A reading's increase since the previous reading is spread evenly over the time between them,
cut at half-hour boundaries, and each piece is priced at the rate in force in its half-hour.
Totals run per local day, per week (from a chosen weekday) and per month (from a chosen day
of the month); a piece counts in the periods its half-hour falls in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum

from .time import HALF_HOUR, floor_half_hour, local_date, to_utc
from .timeline import RateTimeline

_ZERO = Decimal(0)


class TrackedPeriod(StrEnum):
    """The running totals a tracker keeps."""

    TODAY = "today"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class PeriodSettings:
    """When weeks and months begin: ``week_start`` 0 = Monday; ``month_day`` 1..28."""

    week_start: int = 0
    month_day: int = 1

    def start_of(self, period: TrackedPeriod, day: date) -> date:
        """The first local day of the ``period`` containing ``day``."""
        if period is TrackedPeriod.TODAY:
            return day
        if period is TrackedPeriod.WEEK:
            return day - timedelta(days=(day.weekday() - self.week_start) % 7)
        if day.day >= self.month_day:
            return day.replace(day=self.month_day)
        previous = day.replace(day=1) - timedelta(days=1)
        return previous.replace(day=self.month_day)


@dataclass(frozen=True, slots=True)
class PeriodTotal:
    """Energy and its cost (pence inc VAT) since ``start``; unpriced energy kept apart."""

    start: date
    kwh: Decimal = _ZERO
    cost: Decimal = _ZERO
    unpriced_kwh: Decimal = _ZERO

    def add(self, kwh: Decimal, price: Decimal | None) -> PeriodTotal:
        """This total with ``kwh`` at ``price`` (p/kWh; ``None``: not known) added."""
        if price is None:
            return replace(self, kwh=self.kwh + kwh, unpriced_kwh=self.unpriced_kwh + kwh)
        return replace(self, kwh=self.kwh + kwh, cost=self.cost + kwh * price)


def spread(kwh: Decimal, start: datetime, end: datetime) -> list[tuple[datetime, Decimal]]:
    """``kwh`` used evenly over ``[start, end)``, as (half-hour start, kWh) pieces.

    An empty or backwards interval puts everything in the half-hour of ``end``.
    """
    start, end = to_utc(start), to_utc(end)
    if end <= start:
        return [(floor_half_hour(end), kwh)]
    total = Decimal((end - start).total_seconds())
    pieces: list[tuple[datetime, Decimal]] = []
    slot = floor_half_hour(start)
    while slot < end:
        lo, hi = max(slot, start), min(slot + HALF_HOUR, end)
        pieces.append((slot, kwh * Decimal((hi - lo).total_seconds()) / total))
        slot += HALF_HOUR
    return pieces


def add_usage(
    totals: dict[TrackedPeriod, PeriodTotal],
    settings: PeriodSettings,
    pieces: list[tuple[datetime, Decimal]],
    timeline: RateTimeline | None,
    tz: tzinfo,
) -> dict[TrackedPeriod, PeriodTotal]:
    """``totals`` with the priced ``pieces`` added; a newer period replaces an older total.

    Pieces falling in a period already closed (before a total's start) are dropped.
    """
    result = dict(totals)
    for slot, kwh in pieces:
        rate = None if timeline is None else timeline.rate_at(slot)
        price = None if rate is None else rate.value_inc_vat
        day = local_date(slot, tz)
        for period in TrackedPeriod:
            start = settings.start_of(period, day)
            current = result.get(period)
            if current is None or current.start < start:
                current = PeriodTotal(start)
            elif current.start > start:
                continue
            result[period] = current.add(kwh, price)
    return result


def current_total(
    totals: dict[TrackedPeriod, PeriodTotal],
    settings: PeriodSettings,
    period: TrackedPeriod,
    now: datetime,
    tz: tzinfo,
) -> PeriodTotal:
    """The total of the ``period`` running at ``now``: zero once a new period has begun."""
    start = settings.start_of(period, local_date(now, tz))
    found = totals.get(period)
    return found if found is not None and found.start == start else PeriodTotal(start)


def reading_increase(
    previous: Decimal, current: Decimal, *, increasing: bool, reset: bool
) -> Decimal:
    """Energy used between two readings of a meter.

    A ``total_increasing`` meter that goes down was reset (it counts from zero again); a
    ``total`` meter was reset when its ``last_reset`` changed (``reset``).
    """
    if reset or (increasing and current < previous):
        return current
    return current - previous
