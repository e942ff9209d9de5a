"""Glue between metered half-hours and the domain's cost functions.

Cost per half-hour is kWh times the unit rate in force (the register already chosen by the
effective timeline); on Intelligent Octopus Go, half-hours touched by a completed *smart*
dispatch are charged at that day's off-peak (lowest) rate within the daily cap, boosts at the
normal rate (``domain.dispatch.with_completed_dispatches``). A half-hour without a price stays
unpriced (``cost`` None) and is never written as zero; a standing charge is owed per UK day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..api import Account, ConsumptionInterval, Dispatch, Fuel
from ..const import UK_TZ
from ..domain.cost import gas_m3_to_kwh, half_hour_costs, standing_charge_per_local_day
from ..domain.dispatch import with_completed_dispatches
from ..domain.tariff_codes import InvalidTariffCodeError, TariffKind, parse_tariff_code
from ..domain.time import HALF_HOUR, local_day_bounds
from ..runtime import MeterConfig

if TYPE_CHECKING:
    from .consumption import HalfHourUsage
    from .tariff_history import Pricing

__all__ = [
    "completed_dispatches",
    "costed",
    "gas_m3_to_kwh",
    "is_intelligent_go",
    "meter_unit",
    "money_by_hour",
]

KWH = "kWh"
M3 = "m³"


def meter_unit(account: Account | None, meter: MeterConfig) -> str:
    """The unit a meter reports: kWh, or m³ for SMETS2 gas (assumed when the account is silent)."""
    if meter.fuel is not Fuel.GAS:
        return KWH
    for point in account.gas_meter_points if account else ():
        if point.mprn != meter.mpxn:
            continue
        for gas_meter in point.meters:
            if gas_meter.serial_number == meter.serial and gas_meter.consumption_units:
                units = gas_meter.consumption_units.strip().lower()
                return KWH if units == "kwh" else M3
    return M3


def completed_dispatches(runtime: Any) -> tuple[Dispatch, ...]:
    """Completed SmartFlex dispatches the dispatch coordinator(s) kept, if any."""
    found: list[Dispatch] = []
    for coordinator in getattr(runtime, "dispatch", {}).values():
        found.extend(getattr(getattr(coordinator, "data", None), "completed", ()) or ())
    return tuple(found)


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

    ``standing_days`` are the UK days to charge, whatever was metered on them: a standing
    charge is owed once per day. A day whose charge is not known yet is left out.
    """
    ordered = sorted(usages, key=lambda u: u.start)
    charges = standing_charge_per_local_day(standing_days, pricing.standing_charges, UK_TZ)
    day_charges = {day: charge for day, charge in charges.items() if charge is not None}
    if not ordered:
        return [], day_charges
    timeline = pricing.timeline
    if is_intelligent_go(tariff_code):
        timeline = with_completed_dispatches(
            timeline, dispatches, ordered[0].start, ordered[-1].start + HALF_HOUR, tz=UK_TZ
        )
    costs = half_hour_costs(
        (ConsumptionInterval(u.start, u.start + HALF_HOUR, u.kwh) for u in ordered), timeline
    )
    priced = [replace(u, cost=c.cost_inc_vat) for u, c in zip(ordered, costs, strict=True)]
    return priced, day_charges


def money_by_hour(
    usages: Iterable[HalfHourUsage], day_charges: dict[date, Decimal]
) -> dict[datetime, float]:
    """GBP per UTC hour for statistics: priced hours only, each day's charge in its first hour.

    An hour with an unpriced half-hour is left out (never written as zero); it is written once
    its price is known.
    """
    money: dict[datetime, float] = {}
    unpriced = {u.start.replace(minute=0) for u in usages if u.cost is None}
    for usage in usages:
        hour = usage.start.replace(minute=0)
        if hour not in unpriced and usage.cost is not None:
            money[hour] = money.get(hour, 0.0) + float(usage.cost) / 100
    for day, charge in day_charges.items():
        first = local_day_bounds(day, UK_TZ)[0]
        money[first] = money.get(first, 0.0) + float(charge) / 100
    return money
