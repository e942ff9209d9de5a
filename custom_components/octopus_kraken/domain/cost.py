"""What consumption cost: per interval, per UTC hour; a local day's standing charge; gas to energy.

Costs are pence inc VAT as exact ``Decimal``s (no rounding here: bills round per line, and the
edge decides how to display). An interval whose rate is unknown is flagged, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from ..api.models import ConsumptionInterval, StandingCharge
from .time import LONDON, local_day_bounds, to_utc
from .timeline import RateTimeline, standing_charge_at

DEFAULT_CALORIFIC_VALUE = Decimal("39.5")  # MJ/m³, a typical GB value; bills show the actual one
VOLUME_CORRECTION = Decimal("1.02264")  # standard temperature and pressure correction
_MJ_PER_KWH = Decimal("3.6")
_ONE_HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class IntervalCost:
    """Cost of one consumption interval.

    ``rate_inc_vat`` is the rate in force (p/kWh), time-weighted if the price changed within the
    interval (consumption assumed even); it and ``cost_inc_vat`` (pence) are ``None`` when rates
    do not cover the whole interval.
    """

    start: datetime
    end: datetime
    consumption_kwh: Decimal
    rate_inc_vat: Decimal | None
    cost_inc_vat: Decimal | None

    @property
    def priced(self) -> bool:
        """Whether the interval's cost is known."""
        return self.cost_inc_vat is not None


@dataclass(frozen=True, slots=True)
class HourlyTotal:
    """Consumption (and cost) of one UTC hour, for long-term statistics.

    ``cost_inc_vat`` is ``None`` if any interval of the hour is unpriced or had no cost (plain
    consumption); ``complete`` says the intervals cover the whole hour.
    """

    start: datetime
    consumption_kwh: Decimal
    cost_inc_vat: Decimal | None
    complete: bool


def gas_m3_to_kwh(
    m3: Decimal,
    calorific_value_mj_per_m3: Decimal = DEFAULT_CALORIFIC_VALUE,
    volume_correction: Decimal = VOLUME_CORRECTION,
) -> Decimal:
    """Energy in a gas volume, as billed: m³ * volume correction * calorific value / 3.6."""
    return m3 * volume_correction * calorific_value_mj_per_m3 / _MJ_PER_KWH


def gas_intervals_to_kwh(
    intervals: Iterable[ConsumptionInterval],
    calorific_value_mj_per_m3: Decimal = DEFAULT_CALORIFIC_VALUE,
    volume_correction: Decimal = VOLUME_CORRECTION,
) -> list[ConsumptionInterval]:
    """SMETS2 gas readings (m³) converted to kWh, interval by interval."""
    return [
        replace(
            interval,
            consumption=gas_m3_to_kwh(
                interval.consumption, calorific_value_mj_per_m3, volume_correction
            ),
        )
        for interval in intervals
    ]


def half_hour_costs(
    consumption: Iterable[ConsumptionInterval], timeline: RateTimeline
) -> list[IntervalCost]:
    """kWh times the unit rate in force (inc VAT) for each interval, sorted by start."""
    costs = []
    for interval in sorted(consumption, key=lambda i: i.interval_start):
        rate = _rate_over(timeline, interval.interval_start, interval.interval_end)
        costs.append(
            IntervalCost(
                start=to_utc(interval.interval_start),
                end=to_utc(interval.interval_end),
                consumption_kwh=interval.consumption,
                rate_inc_vat=rate,
                cost_inc_vat=None if rate is None else interval.consumption * rate,
            )
        )
    return costs


def standing_charge_per_local_day(
    days: Iterable[date], charges: Iterable[StandingCharge], tz: tzinfo = LONDON
) -> dict[date, Decimal | None]:
    """The standing charge (pence inc VAT) of each local day: the one in force at its start.

    A standing charge is per day, whatever the day's length (23 or 25 hours on clock changes).
    """
    charges = tuple(charges)
    result: dict[date, Decimal | None] = {}
    for day in days:
        charge = standing_charge_at(charges, local_day_bounds(day, tz)[0])
        result[day] = None if charge is None else charge.value_inc_vat
    return result


def aggregate_hourly(
    intervals: Iterable[IntervalCost | ConsumptionInterval],
) -> list[HourlyTotal]:
    """Intervals (half-hours) summed into UTC hours, sorted by hour.

    Plain ``ConsumptionInterval``s give consumption only. An interval that crosses the hour is
    refused (``ValueError``): splitting it would guess when the energy was used.
    """
    hours: dict[datetime, tuple[Decimal, Decimal | None, timedelta]] = {}
    for interval in intervals:
        if isinstance(interval, IntervalCost):
            start, end = interval.start, interval.end
            kwh, cost = interval.consumption_kwh, interval.cost_inc_vat
        else:
            start, end = to_utc(interval.interval_start), to_utc(interval.interval_end)
            kwh, cost = interval.consumption, None
        hour = start.replace(minute=0, second=0, microsecond=0)
        if end > hour + _ONE_HOUR or end < start:
            raise ValueError(f"interval {start} to {end} does not fit in one hour")
        if hour in hours:
            total_kwh, total_cost, covered = hours[hour]
            kwh += total_kwh
            cost = None if cost is None or total_cost is None else cost + total_cost
            span = covered + (end - start)
        else:
            span = end - start
        hours[hour] = (kwh, cost, span)
    return [
        HourlyTotal(hour, kwh, cost, complete=span == _ONE_HOUR)
        for hour, (kwh, cost, span) in sorted(hours.items())
    ]


def _rate_over(timeline: RateTimeline, start: datetime, end: datetime) -> Decimal | None:
    """Time-weighted unit rate over ``[start, end)``; ``None`` unless fully covered."""
    if end <= start:
        return None
    rates = timeline.rates_between(start, end)
    if len(rates) == 1 and rates[0].valid_from == start and rates[0].valid_to == end:
        return rates[0].value_inc_vat
    if timeline.gaps(start, end):
        return None
    weighted = Decimal(0)
    for rate in rates:
        assert rate.valid_to is not None  # clipped to the interval
        weighted += rate.value_inc_vat * int((rate.valid_to - rate.valid_from).total_seconds())
    return weighted / int((end - start).total_seconds())
