"""Half-hourly meter readings: a household's import, a solar export and a gas boiler.

Values are a pure function of the seed, the meter point and the half hour, so every request and
every restart sees the same history; EV charging dispatches show up in the import they belong to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
import math
import random

from octopus_simulator.dispatches import ev_load_slots
from octopus_simulator.scenario import (
    Device,
    ElectricityMeterPoint,
    GasMeterPoint,
    Scenario,
)
from octopus_simulator.timeutil import (
    DAY,
    HALF_HOUR,
    LONDON,
    ceil_half_hour,
    floor_half_hour,
    local_at,
    local_date,
    local_days,
)

_KWH = Decimal("0.001")


class Profile(StrEnum):
    """What kind of flow a meter records."""

    IMPORT = "import"
    EXPORT = "export"
    GAS = "gas"


@dataclass(frozen=True, slots=True)
class Interval:
    """One consumption row (half hour or group)."""

    start: datetime
    end: datetime
    value: Decimal


def _household_shape(hour: float, weekend: bool) -> float:
    if hour < 6:
        return 0.45
    if hour < 7:
        return 0.7
    if hour < 9:
        return 1.4
    if hour < 16:
        return 1.1 if weekend else 0.8
    if hour < 17:
        return 1.2
    if hour < 21:
        return 1.9
    return 1.2 if hour < 23 else 0.7


def _season(day: date) -> float:
    """1 at midwinter, -1 at midsummer."""
    return math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365.25)


@lru_cache(maxsize=16384)
def day_profile(
    seed: int, key: str, profile: Profile, annual: float, day: date
) -> tuple[float, ...]:
    """Raw values (kWh or m³) of each half hour of a local day for one meter point."""
    rng = random.Random(f"{seed}:consumption:{key}:{day.isoformat()}")
    start = local_at(day)
    count = int((local_at(day + DAY) - start) / HALF_HOUR)
    season = _season(day)
    weekend = day.weekday() >= 5
    cloud = rng.uniform(0.15, 1.0)
    values: list[float] = []
    regular = count == 48  # no clock change: local time is simply index half hours in
    start_minute = start.hour * 60 + start.minute
    for index in range(count):
        if regular:
            hour = index / 2
        else:
            local = (start + index * HALF_HOUR).astimezone(LONDON)
            hour = local.hour + local.minute / 60
        if profile is Profile.IMPORT:
            base = annual / 365 / 48 * (1 + 0.25 * season)
            value = base * _household_shape(hour, weekend) * rng.uniform(0.7, 1.3)
        elif profile is Profile.EXPORT:
            utc_minute = (start_minute + 30 * index) % 1440
            utc_hour = utc_minute // 60 + utc_minute % 60 / 60 + 0.25
            daylight = 12 - 4.3 * season
            sunrise = 12.1 - daylight / 2
            position = (utc_hour - sunrise) / daylight
            sun = math.sin(math.pi * position) if 0 < position < 1 else 0.0
            value = annual / 1000 * 0.55 * sun * cloud * (0.6 - 0.3 * season)
        else:
            heating = max(0.0, 0.2 + 0.8 * season)
            demand = 0.02
            if 6 <= hour < 9 or 17 <= hour < 22:
                demand += annual / 11.2 / 365 / 14 * heating * 1.6
            if 7 <= hour < 8:
                demand += 0.12
            value = demand * rng.uniform(0.6, 1.4) if demand > 0.02 else rng.uniform(0, 0.02)
        values.append(round(max(0.0, value), 3))
    return tuple(values)


def _ev_extra(scenario: Scenario, devices: Iterable[Device], day: date) -> dict[datetime, float]:
    extra: dict[datetime, float] = {}
    for device in devices:
        for slot in ev_load_slots(scenario.seed, device, day, scenario.dispatch):
            extra[slot] = extra.get(slot, 0.0) + float(device.charge_power_kw) / 2
    return extra


def _point(scenario: Scenario, identifier: str) -> tuple[Profile, float, datetime, list[Device]]:
    try:
        account, prop, point = scenario.electricity_point(identifier)
    except KeyError:
        gas_point: GasMeterPoint = scenario.gas_point(identifier)[2]
        return Profile.GAS, gas_point.annual_kwh, gas_point.data_from, []
    elec: ElectricityMeterPoint = point
    if elec.direction == "EXPORT":
        return Profile.EXPORT, elec.annual_kwh, elec.data_from, []
    devices = [d for d in account.devices if d.property_id == prop.id]
    return Profile.IMPORT, elec.annual_kwh, elec.data_from, devices


SlotCache = dict[tuple[str, date], tuple[Interval, ...]]


def _uncorrected(scenario: Scenario, identifier: str, day: date) -> tuple[Interval, ...]:
    profile, annual, _, devices = _point(scenario, identifier)
    extra = _ev_extra(scenario, devices, day) if devices else {}
    return _day_intervals(
        scenario.seed, identifier, profile, annual, day, tuple(sorted(extra.items()))
    )


@lru_cache(maxsize=65536)
def _day_intervals(
    seed: int,
    identifier: str,
    profile: Profile,
    annual: float,
    day: date,
    extra: tuple[tuple[datetime, float], ...],
) -> tuple[Interval, ...]:
    raw = day_profile(seed, identifier, profile, annual, day)
    start = local_at(day)
    added = [0.0] * len(raw)
    for slot, amount in extra:
        index = (slot - start) // HALF_HOUR
        if 0 <= index < len(raw) and start + index * HALF_HOUR == slot:
            added[index] = amount
    slots = [start + index * HALF_HOUR for index in range(len(raw) + 1)]
    return tuple(
        Interval(slots[index], slots[index + 1], _kwh(round(value + added[index], 3)))
        for index, value in enumerate(raw)
    )


_KWH_VALUES: dict[float, Decimal] = {}


def _kwh(value: float) -> Decimal:
    """``value`` as a Decimal of 3 places (memoised: meters repeat the same few thousand)."""
    amount = _KWH_VALUES.get(value)
    if amount is None:
        amount = Decimal(repr(value)).quantize(_KWH)
        if len(_KWH_VALUES) < 100_000:
            _KWH_VALUES[value] = amount
    return amount


def uncorrected_slots(
    scenario: Scenario,
    identifier: str,
    day: date,
    cache: SlotCache | None = None,
    settled_before: date | None = None,
) -> tuple[Interval, ...]:
    """``slot_values`` before corrections (kept in ``cache`` for days before ``settled_before``)."""
    key = (identifier, day)
    rows = cache.get(key) if cache is not None else None
    if rows is None:
        rows = _uncorrected(scenario, identifier, day)
        if cache is not None and settled_before is not None and day < settled_before:
            cache[key] = rows
    return rows


def slot_values(
    scenario: Scenario,
    identifier: str,
    day: date,
    cache: SlotCache | None = None,
    settled_before: date | None = None,
) -> list[Interval]:
    """Every half hour of a local day for an MPAN or MPRN, corrections applied, no availability.

    Days before ``settled_before`` cannot change any more (their dispatches are history), so
    their values may be kept in ``cache``; corrections are applied after the cache.
    """
    rows = uncorrected_slots(scenario, identifier, day, cache, settled_before)
    corrections = scenario.consumption.corrections
    if not corrections:
        return list(rows)
    return [
        Interval(r.start, r.end, corrections[identifier, r.start])
        if (identifier, r.start) in corrections
        else r
        for r in rows
    ]


def settled_before(now: datetime) -> date:
    """Days before this one can no longer change (sessions ended, plans are history)."""
    return local_date(now) - 2 * DAY


def available_until(scenario: Scenario, now: datetime) -> datetime:
    """End of the complete data: the previous local midnight (or an explicit delay)."""
    rules = scenario.consumption
    if rules.delay is not None:
        return floor_half_hour(now - rules.delay)
    return local_at(local_date(now) - timedelta(days=rules.lag_days))


def intervals(
    scenario: Scenario,
    identifier: str,
    now: datetime,
    period_from: datetime | None,
    period_to: datetime | None,
    cache: SlotCache | None = None,
) -> list[Interval]:
    """Available half hours in ``[period_from, period_to)``, oldest first."""
    _, _, data_from, _ = _point(scenario, identifier)
    start = max(data_from, ceil_half_hour(period_from) if period_from else data_from)
    end = available_until(scenario, now)
    if period_to is not None:
        end = min(end, period_to)
    missing = scenario.consumption.missing_days
    rows: list[Interval] = []
    for day in local_days(local_date(start), local_date(end - timedelta(microseconds=1)) + DAY):
        if (identifier, day) in missing or ("*", day) in missing:
            continue
        day_rows = slot_values(scenario, identifier, day, cache, settled_before(now))
        rows.extend(r for r in day_rows if start <= r.start < end)
    return rows


def _group_start(instant: datetime, group_by: str) -> datetime:
    if group_by == "hour":
        return instant.replace(minute=0)
    day = local_date(instant)
    if group_by == "week":
        day -= timedelta(days=day.weekday())
    elif group_by == "month":
        day = day.replace(day=1)
    elif group_by == "quarter":
        day = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return local_at(day)


def _group_end(start: datetime, group_by: str) -> datetime:
    if group_by == "hour":
        return start + timedelta(hours=1)
    day = local_date(start)
    if group_by == "day":
        return local_at(day + DAY)
    if group_by == "week":
        return local_at(day + timedelta(days=7))
    months = 1 if group_by == "month" else 3
    month = day.month - 1 + months
    return local_at(date(day.year + month // 12, month % 12 + 1, 1))


GROUPINGS = ("hour", "day", "week", "month", "quarter")


def group(rows: list[Interval], group_by: str) -> list[Interval]:
    """Sum half hours into hours or UK local days, weeks (Monday), months or quarters."""
    sums: dict[datetime, Decimal] = {}
    for row in rows:
        key = _group_start(row.start, group_by)
        sums[key] = sums.get(key, Decimal(0)) + row.value
    return [Interval(start, _group_end(start, group_by), value) for start, value in sums.items()]
