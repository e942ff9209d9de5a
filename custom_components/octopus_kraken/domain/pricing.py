"""What metered half-hours cost, priced by the one ``PriceModel``, and their hourly money.

Cost per half-hour is kWh times the model's unit price of that half-hour (Economy 7 register
and Intelligent Go dispatch off-peak included); a standing charge is added once per UK day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from ..api.models import ConsumptionInterval
from .cost import IntervalCost, aggregate_hourly, half_hour_costs
from .price_model import PriceModel
from .time import HALF_HOUR, LONDON, Period, local_day_bounds, merge_periods


@dataclass(frozen=True, slots=True)
class HalfHourUsage:
    """One metered half-hour: energy in kWh, cost (income for export) in pence."""

    start: datetime
    kwh: Decimal
    raw: Decimal  # in the meter's unit (m³ for SMETS2 gas)
    cost: Decimal | None  # None while the unit rate is unknown


def missing_periods(wanted: Period, covered: Iterable[Period]) -> list[Period]:
    """Parts of ``wanted`` not inside any of ``covered``."""
    start, end = wanted
    gaps: list[Period] = []
    cursor = start
    for c_start, c_end in merge_periods(covered):
        if c_end <= cursor or c_start >= end:
            continue
        if c_start > cursor:
            gaps.append((cursor, min(c_start, end)))
        cursor = max(cursor, c_end)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def costed(
    usages: Iterable[HalfHourUsage], prices: PriceModel, *, standing_days: Iterable[date] = ()
) -> tuple[list[HalfHourUsage], dict[date, Decimal]]:
    """The usages with their cost (pence; ``None`` while unpriced) and each day's standing charge.

    Each half-hour costs its kWh times the model's unit price (dispatch off-peak included);
    ``standing_days`` are the UK days to charge, whatever was metered on them: a standing charge
    is owed once per day. A day whose charge is not known yet is left out.
    """
    ordered = sorted(usages, key=lambda u: u.start)
    day_charges = {
        day: charge for day in standing_days if (charge := prices.standing_charge(day)) is not None
    }
    costs = half_hour_costs(
        (ConsumptionInterval(u.start, u.start + HALF_HOUR, u.kwh) for u in ordered),
        prices.timeline,
    )
    priced = [replace(u, cost=c.cost_inc_vat) for u, c in zip(ordered, costs, strict=True)]
    return priced, day_charges


def money_by_hour(
    usages: Iterable[HalfHourUsage], day_charges: dict[date, Decimal]
) -> dict[datetime, Decimal]:
    """Pence per UTC hour for statistics: priced hours only, each day's charge in its first hour.

    An hour with an unpriced half-hour is left out (never written as zero); it is written once
    its price is known. Sums are exact (``cost.aggregate_hourly``).
    """
    hours = aggregate_hourly(
        IntervalCost(u.start, u.start + HALF_HOUR, u.kwh, None, u.cost) for u in usages
    )
    money = {hour.start: hour.cost_inc_vat for hour in hours if hour.cost_inc_vat is not None}
    for day, charge in day_charges.items():
        first = local_day_bounds(day, LONDON)[0]
        money[first] = money.get(first, Decimal(0)) + charge
    return money
