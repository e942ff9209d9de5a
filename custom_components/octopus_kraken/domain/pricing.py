"""What metered half-hours cost: past prices, Intelligent Go dispatches, standing charges.

Cost per half-hour is kWh times the unit rate in force (the register already chosen by the
effective timeline); on Intelligent Octopus Go, half-hours touched by a completed dispatch are
charged at that day's off-peak (lowest) rate; a standing charge is added per local day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from ..api.models import Agreement, ConsumptionInterval, Dispatch, StandingCharge
from .cost import IntervalCost, aggregate_hourly, half_hour_costs, standing_charge_per_local_day
from .dispatch import with_completed_dispatches
from .tariff_codes import InvalidTariffCodeError, TariffKind, parse_tariff_code
from .time import HALF_HOUR, LONDON, Period, local_day_bounds, merge_periods, to_utc
from .timeline import RateTimeline, standing_charge_at


@dataclass(frozen=True, slots=True)
class HalfHourUsage:
    """One metered half-hour: energy in kWh, cost (income for export) in pence."""

    start: datetime
    kwh: Decimal
    raw: Decimal  # in the meter's unit (m³ for SMETS2 gas)
    cost: Decimal | None  # None while the unit rate is unknown


@dataclass(frozen=True, slots=True)
class Pricing:
    """The unit rates (effective register already chosen) and standing charges of a period."""

    timeline: RateTimeline
    standing_charges: tuple[StandingCharge, ...]

    def standing_charge_for(self, day: date) -> Decimal | None:
        """Standing charge (p/day, inc VAT) of a UK local day; ``None`` when unknown."""
        start, _ = local_day_bounds(day)
        charge = standing_charge_at(self.standing_charges, start)
        return None if charge is None else charge.value_inc_vat


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


def agreement_segments(
    agreements: Iterable[Agreement], start: datetime, end: datetime
) -> list[tuple[str, str, int, Period]]:
    """``(tariff code, product code, registers, period)`` of each agreement within the window."""
    segments: list[tuple[str, str, int, Period]] = []
    for agreement in agreements:
        s = max(start, agreement.valid_from) if agreement.valid_from else start
        e = min(end, agreement.valid_to) if agreement.valid_to else end
        if s >= e:
            continue
        code = agreement.tariff.tariff_code
        try:
            parsed = parse_tariff_code(code)
        except InvalidTariffCodeError:
            continue
        product = agreement.tariff.product_code or parsed.product_code
        segments.append((code, product, parsed.registers, (to_utc(s), to_utc(e))))
    return segments


def is_intelligent_go(tariff_code: str | None) -> bool:
    if not tariff_code:
        return False
    try:
        return parse_tariff_code(tariff_code).kind is TariffKind.INTELLIGENT_GO
    except InvalidTariffCodeError:
        return False


def costed(
    usages: Iterable[HalfHourUsage],
    pricing: Pricing,
    *,
    dispatches: Sequence[Dispatch],
    tariff_code: str | None,
    standing_days: Iterable[date] = (),
) -> tuple[list[HalfHourUsage], dict[date, Decimal]]:
    """The usages with their cost (pence; ``None`` while unpriced) and each day's standing charge.

    On Intelligent Octopus Go, half-hours touched by a completed *smart* dispatch are charged at
    that day's off-peak (lowest) rate within the daily cap, boosts at the normal rate
    (``dispatch.with_completed_dispatches``). ``standing_days`` are the UK days to charge,
    whatever was metered on them: a standing charge is owed once per day. A day whose charge is
    not known yet is left out.
    """
    ordered = sorted(usages, key=lambda u: u.start)
    charges = standing_charge_per_local_day(standing_days, pricing.standing_charges, LONDON)
    day_charges = {day: charge for day, charge in charges.items() if charge is not None}
    if not ordered:
        return [], day_charges
    timeline = pricing.timeline
    if is_intelligent_go(tariff_code):
        timeline = with_completed_dispatches(
            timeline, dispatches, ordered[0].start, ordered[-1].start + HALF_HOUR, tz=LONDON
        )
    costs = half_hour_costs(
        (ConsumptionInterval(u.start, u.start + HALF_HOUR, u.kwh) for u in ordered), timeline
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
