"""Glue between metered half-hours and the domain's cost functions.

Cost per half-hour is kWh times the unit rate in force (the register already chosen by the
effective timeline); on Intelligent Octopus Go, half-hours touched by a completed dispatch are
charged at that day's off-peak (lowest) rate; a standing charge is added per local day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..api import Account, ConsumptionInterval, Dispatch, Fuel, Rate
from ..const import UK_TZ
from ..domain.cost import gas_m3_to_kwh, half_hour_costs, standing_charge_per_local_day
from ..domain.dispatch import dispatch_half_hours
from ..domain.tariff_codes import InvalidTariffCodeError, TariffKind, parse_tariff_code
from ..domain.time import HALF_HOUR, local_date
from ..domain.timeline import RateTimeline
from ..runtime import MeterConfig

if TYPE_CHECKING:
    from .consumption import HalfHourUsage
    from .tariff_history import Pricing

__all__ = ["completed_dispatches", "costed", "gas_m3_to_kwh", "meter_unit"]

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


def _is_intelligent_go(tariff_code: str | None) -> bool:
    if not tariff_code:
        return False
    try:
        return parse_tariff_code(tariff_code).kind is TariffKind.INTELLIGENT_GO
    except InvalidTariffCodeError:
        return False


def with_dispatch_off_peak(
    timeline: RateTimeline, dispatches: Sequence[Dispatch], start: Any, end: Any
) -> RateTimeline:
    """``timeline`` with completed-dispatch half-hours at their local day's lowest rate."""
    if not dispatches:
        return timeline
    periods = dispatch_half_hours(dispatches, (), end)
    overrides: list[Rate] = []
    for p_start, p_end in periods:
        if p_end <= start or p_start >= end:
            continue
        stats = timeline.day_stats(local_date(p_start, UK_TZ), UK_TZ)
        if stats is None:
            continue
        cheapest = min(
            timeline.day_rates(local_date(p_start, UK_TZ), UK_TZ), key=lambda r: r.value_inc_vat
        )
        overrides.append(Rate(p_start, p_end, cheapest.value_inc_vat, cheapest.value_exc_vat))
    return timeline.merge(overrides) if overrides else timeline


def costed(
    usages: Iterable[HalfHourUsage],
    pricing: Pricing,
    *,
    dispatches: Sequence[Dispatch],
    tariff_code: str | None,
    with_standing: bool,
) -> tuple[list[HalfHourUsage], dict[date, Decimal]]:
    """The usages with their cost (pence) and the standing charge of each day they touch."""
    ordered = sorted(usages, key=lambda u: u.start)
    if not ordered:
        return [], {}
    timeline = pricing.timeline
    if _is_intelligent_go(tariff_code):
        timeline = with_dispatch_off_peak(
            timeline, dispatches, ordered[0].start, ordered[-1].start + HALF_HOUR
        )
    costs = half_hour_costs(
        (ConsumptionInterval(u.start, u.start + HALF_HOUR, u.kwh) for u in ordered), timeline
    )
    priced = [replace(u, cost=c.cost_inc_vat) for u, c in zip(ordered, costs, strict=True)]
    if not with_standing:
        return priced, {}
    days = sorted({local_date(u.start, UK_TZ) for u in ordered})
    charges = standing_charge_per_local_day(days, pricing.standing_charges, UK_TZ)
    return priced, {day: charge for day, charge in charges.items() if charge is not None}
