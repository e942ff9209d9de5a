"""Tariff comparison: what complete days of a meter's consumption cost on its tariff and another.

The meter's own cost comes from the consumption already priced (the pricing model, through the
consumption coordinator); the compared tariff prices the same half-hours through the same model
(``pricing.costed``). Only complete UK days count: every half-hour reported and priced, and, for
import and gas, the day's standing charge known on both tariffs (export has none).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .pricing import HalfHourUsage
from .time import HALF_HOUR, LONDON, local_date, local_day_bounds

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ComparedHalfHour:
    """One half-hour: energy (kWh) and its cost (pence) on the meter's and the compared tariff."""

    start: datetime
    kwh: Decimal
    current: Decimal
    compared: Decimal


@dataclass(frozen=True, slots=True)
class ComparedDay:
    """A complete UK day on both tariffs, in pence, standing charges included (none for export)."""

    day: date
    kwh: Decimal
    current: Decimal
    compared: Decimal
    current_standing: Decimal | None = None
    compared_standing: Decimal | None = None
    half_hours: tuple[ComparedHalfHour, ...] = ()


def complete_days(
    recent: Iterable[HalfHourUsage],
    standing: Mapping[date, Decimal],
    today: date,
    *,
    export: bool,
) -> dict[date, tuple[HalfHourUsage, ...]]:
    """UK days before ``today`` with every half-hour reported and priced on the meter's tariff.

    Import and gas days also need their standing charge (a day's cost is not known without it).
    """
    by_day: dict[date, list[HalfHourUsage]] = defaultdict(list)
    for usage in recent:
        by_day[local_date(usage.start, LONDON)].append(usage)
    days: dict[date, tuple[HalfHourUsage, ...]] = {}
    for day, usages in by_day.items():
        start, end = local_day_bounds(day, LONDON)
        if day >= today or len({u.start for u in usages}) != (end - start) // HALF_HOUR:
            continue
        if any(u.cost is None for u in usages) or (not export and day not in standing):
            continue
        days[day] = tuple(sorted(usages, key=lambda u: u.start))
    return dict(sorted(days.items()))


def compare_day(
    day: date,
    current: tuple[HalfHourUsage, ...],
    compared: Iterable[HalfHourUsage],
    current_standing: Decimal | None,
    compared_standing: Decimal | None,
) -> ComparedDay | None:
    """The day on both tariffs; ``None`` while a compared half-hour has no price."""
    on_compared = {u.start: u.cost for u in compared}
    halves: list[ComparedHalfHour] = []
    for usage in current:
        cost = on_compared.get(usage.start)
        if cost is None or usage.cost is None:
            return None
        halves.append(ComparedHalfHour(usage.start, usage.kwh, usage.cost, cost))
    return ComparedDay(
        day=day,
        kwh=sum((h.kwh for h in halves), _ZERO),
        current=sum((h.current for h in halves), _ZERO) + (current_standing or _ZERO),
        compared=sum((h.compared for h in halves), _ZERO) + (compared_standing or _ZERO),
        current_standing=current_standing,
        compared_standing=compared_standing,
        half_hours=tuple(halves),
    )


def changed_days(
    days: Mapping[date, tuple[HalfHourUsage, ...]],
    standing: Mapping[date, Decimal],
    known: Mapping[date, ComparedDay],
) -> list[date]:
    """Complete days never compared, or whose consumption or own cost changed since."""
    wanted = []
    for day, usages in days.items():
        done = known.get(day)
        own = sum((u.cost or _ZERO for u in usages), _ZERO) + standing.get(day, _ZERO)
        if done is None or done.kwh != sum((u.kwh for u in usages), _ZERO) or done.current != own:
            wanted.append(day)
    return wanted


def month_so_far(days: Iterable[ComparedDay]) -> list[ComparedDay]:
    """The compared days of the month of the latest compared day, in order."""
    ordered = sorted(days, key=lambda d: d.day)
    if not ordered:
        return []
    latest = ordered[-1].day
    return [d for d in ordered if (d.day.year, d.day.month) == (latest.year, latest.month)]
