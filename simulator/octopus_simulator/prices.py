"""Unit rates and standing charges of every tariff, as the rows the REST API lists.

One engine serves all products: a schedule names the instants where a price may change and the
price from each instant on; consecutive equal prices merge into one row (so Intelligent Go's
23:30-05:30 off-peak is one row), except for Agile, whose every half hour is a row of its own.
Rows that change price at a point (a quarter's price-cap change) are separate rows, as in the API.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
import random
from typing import overload

from octopus_simulator.catalogue import REGION_FACTOR, Pricing, RateKind, TariffRef
from octopus_simulator.price_rules import (
    BASE_PRICES,
    STANDING,
    TOU_BANDS,
    Ahead,
    PublicationRules,
    RateRow,
    ahead_family,
    ahead_horizon,
)
from octopus_simulator.timeutil import (
    DAY,
    HALF_HOUR,
    LONDON,
    floor_half_hour,
    local_at,
    local_date,
    next_quarter_start,
    quarter_start,
)
from octopus_simulator.wholesale import day_hours, wholesale_day, wholesale_day_mean

VAT = Decimal("1.05")
AGILE_CAP_EXC_VAT = Decimal("95.24")  # Agile is capped at 100p/kWh including VAT
# Half-hourly price history is kept from here on (Agile Outgoing launched in 2019; nobody pages
# through six years of half hours, and generating them would only slow the simulator down).
PRICE_HISTORY_START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class _Schedule:
    points: Callable[[datetime], Iterator[datetime]]  # change points from an instant on
    anchor: Callable[[datetime], datetime]  # a change point at or before an instant
    value: Callable[[datetime], Decimal] | None  # exc-VAT price from a change point on
    horizon: Callable[[datetime], tuple[datetime, bool]]  # (last instant, open-ended?) at "now"
    merge: bool = True
    export: bool = False
    # Half-hourly prices come a day at a time (much faster than point by point).
    day_rows: Callable[[date], tuple[RateRow, ...]] | None = None


def _q(value: float, places: str) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def inc_vat(exc: Decimal, *, export: bool = False) -> Decimal:
    """Price including VAT, rounded to 4 decimals like the API; export earnings carry no VAT."""
    if export:
        return exc.normalize()
    return (exc * VAT).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()


@lru_cache(maxsize=4096)
def _quarter_factor(seed: int, key: str, quarter: date) -> float:
    """A price-cap style revision for one quarter: within ±8% of the base price."""
    return 1 + 0.08 * random.Random(f"{seed}:{key}:{quarter.isoformat()}").uniform(-1, 1)


def _daily_points(times: tuple[time, ...]) -> Callable[[datetime], Iterator[datetime]]:
    def points(start: datetime) -> Iterator[datetime]:
        day = local_date(start)
        while True:
            for at in times:
                instant = local_at(day, at)
                if instant >= start:
                    yield instant
            day += DAY

    return points


def _quarter_points(start: datetime) -> Iterator[datetime]:
    quarter = quarter_start(local_date(start))
    while True:
        instant = local_at(quarter)
        if instant >= start:
            yield instant
        quarter = next_quarter_start(quarter)


def _no_points(start: datetime) -> Iterator[datetime]:
    return iter(())


def _local_day_anchor(instant: datetime) -> datetime:
    # A time-of-use row starts at most a day before any instant it covers.
    return local_at(local_date(instant) - DAY)


def _region(tariff: TariffRef) -> float:
    return REGION_FACTOR[tariff.region]


@lru_cache(maxsize=16384)
def _agile_day(seed: int, region: float, export: bool, day: date) -> tuple[Decimal, ...]:
    """Exc-VAT Agile (or Agile Outgoing) prices of each half hour of a local day."""
    values: list[Decimal] = []
    for hour, price in zip(day_hours(day), wholesale_day(seed, day), strict=True):
        peak = 16 <= hour < 19
        if export:
            values.append(_q(0.95 * price * region + (5.93 if peak else 0.0) + 1.09, "0.01"))
        else:
            value = _q(2.2 * price * region + (12.0 if peak else 0.0), "0.01")
            values.append(min(value, AGILE_CAP_EXC_VAT))
    return tuple(values)


@lru_cache(maxsize=16384)
def _agile_day_rows(seed: int, region: float, export: bool, day: date) -> tuple[RateRow, ...]:
    start = local_at(day)
    return tuple(
        _row(start + i * HALF_HOUR, start + (i + 1) * HALF_HOUR, value, export)
        for i, value in enumerate(_agile_day(seed, region, export, day))
    )


def _agile_schedule(tariff: TariffRef, seed: int, rules: PublicationRules) -> _Schedule:
    export = tariff.product.pricing is Pricing.AGILE_OUTGOING
    region = _region(tariff)

    def day_rows(day: date) -> tuple[RateRow, ...]:
        return _agile_day_rows(seed, region, export, day)

    def horizon(now: datetime) -> tuple[datetime, bool]:
        today = local_date(now)
        published = now >= local_at(today, rules.agile_time) + rules.agile_delay
        # The market "day" runs 23:00 to 23:00 UK time.
        return local_at(today + DAY if published else today, time(23)), False

    return _Schedule(
        _no_points,
        floor_half_hour,
        None,
        horizon,
        merge=False,
        export=export,
        day_rows=day_rows,
    )


def _tou_schedule(tariff: TariffRef, seed: int, rules: PublicationRules) -> _Schedule:
    pricing = tariff.product.pricing
    bands = TOU_BANDS[pricing]
    region = _region(tariff)

    def band_at(instant: datetime) -> str:
        local = instant.astimezone(LONDON).time()
        current = bands[0][1]
        for start, band in bands:
            if local >= start:
                current = band
        return current

    def value(instant: datetime) -> Decimal:
        band = band_at(instant)
        quarter = quarter_start(local_date(instant))
        factor = _quarter_factor(seed, f"{tariff.product.code}:{band}", quarter)
        return _q(BASE_PRICES[pricing, band] * factor * region, "0.0001")

    def horizon(now: datetime) -> tuple[datetime, bool]:
        return local_at(local_date(now) + timedelta(days=rules.time_of_use_days_ahead)), False

    points = _daily_points(tuple(start for start, _ in bands))
    return _Schedule(points, _local_day_anchor, value, horizon, export=tariff.product.is_export)


def _tracker_schedule(tariff: TariffRef, seed: int, rules: PublicationRules) -> _Schedule:
    region = _region(tariff)

    def value(instant: datetime) -> Decimal:
        mean = wholesale_day_mean(seed, local_date(instant))
        if tariff.is_gas:
            return _q(max(2.5, 0.55 * mean + 1.2) * region, "0.01")
        return _q(max(8.0, 1.9 * mean + 7.5) * region, "0.01")

    def horizon(now: datetime) -> tuple[datetime, bool]:
        today = local_date(now)
        published = (
            now >= local_at(today, rules.tracker_time) and today not in rules.tracker_unpublished
        )
        # Each day's price is published the day before.
        return local_at(today + timedelta(days=2 if published else 1)), False

    return _Schedule(_daily_points((time(0),)), local_midnight_of, value, horizon)


def local_midnight_of(instant: datetime) -> datetime:
    """Start of the UK day containing ``instant`` (a Tracker row boundary)."""
    return local_at(local_date(instant))


def _quarterly_schedule(
    tariff: TariffRef, seed: int, rules: PublicationRules, base: float, key: str
) -> _Schedule:
    region = _region(tariff)

    def value(instant: datetime) -> Decimal:
        quarter = quarter_start(local_date(instant))
        return _q(base * _quarter_factor(seed, key, quarter) * region, "0.0001")

    def horizon(now: datetime) -> tuple[datetime, bool]:
        today = local_date(now)
        upcoming = next_quarter_start(today)
        announced = now >= local_at(upcoming) - rules.variable_notice
        return local_at(upcoming if announced else quarter_start(today)), True

    def anchor(instant: datetime) -> datetime:
        return local_at(quarter_start(local_date(instant)))

    return _Schedule(_quarter_points, anchor, value, horizon)


def _fixed_schedule(tariff: TariffRef, base: float, *, export: bool = False) -> _Schedule:
    start = tariff.product.available_from
    price = _q(base * _region(tariff), "0.0001")
    return _Schedule(
        _no_points, lambda _: start, lambda _: price, lambda _: (start, True), export=export
    )


def _register(tariff: TariffRef, kind: RateKind) -> str:
    if tariff.is_gas:
        return "gas"
    return {RateKind.DAY: "day", RateKind.NIGHT: "night"}.get(kind, "standard")


def _schedule(tariff: TariffRef, kind: RateKind, seed: int, rules: PublicationRules) -> _Schedule:
    schedule = _base_schedule(tariff, kind, seed, rules)
    family = ahead_family(tariff)
    mode = rules.ahead.get(family) if family is not None else None
    if kind is RateKind.STANDING or mode is None:
        return schedule
    if mode is Ahead.OPEN_ENDED and tariff.product.pricing in TOU_BANDS:
        raise ValueError("time-of-use rates cannot be open-ended")
    horizon = ahead_horizon(mode, rules.ahead_time)
    if horizon is None:
        return schedule
    return replace(schedule, horizon=horizon)


def _base_schedule(
    tariff: TariffRef, kind: RateKind, seed: int, rules: PublicationRules
) -> _Schedule:
    pricing = tariff.product.pricing
    fuel = "gas" if tariff.is_gas else "electricity"
    if kind is RateKind.STANDING:
        if tariff.product.is_export:
            return _fixed_schedule(tariff, 0.0, export=True)
        if pricing is Pricing.FIXED:
            return _fixed_schedule(tariff, STANDING[fuel] * 0.97)
        key = f"{tariff.product.code}:standing:{fuel}"
        return _quarterly_schedule(tariff, seed, rules, STANDING[fuel], key)
    if pricing in (Pricing.AGILE, Pricing.AGILE_OUTGOING):
        return _agile_schedule(tariff, seed, rules)
    if pricing in TOU_BANDS:
        return _tou_schedule(tariff, seed, rules)
    if pricing is Pricing.TRACKER:
        return _tracker_schedule(tariff, seed, rules)
    register = _register(tariff, kind)
    base = BASE_PRICES[pricing, register]
    if pricing is Pricing.VARIABLE:
        key = f"{tariff.product.code}:{register}"
        return _quarterly_schedule(tariff, seed, rules, base, key)
    return _fixed_schedule(tariff, base, export=pricing is Pricing.OUTGOING_FIXED)


def _generate(
    schedule: _Schedule,
    first: datetime,
    last: datetime,
    open_ended: bool,
    period_to: datetime | None,
) -> list[RateRow]:
    """Rows from ``first`` to the horizon (or just past ``period_to``), oldest first."""
    assert schedule.value is not None  # half-hourly schedules come a day at a time instead
    rows: list[RateRow] = []
    start: datetime | None = first
    value = schedule.value(first)
    for point in schedule.points(first):
        if point <= first:
            continue
        if point > last or (point == last and not open_ended):
            break
        next_value = schedule.value(point)
        if schedule.merge and next_value == value:
            continue
        assert start is not None
        rows.append(_row(start, point, value, schedule.export))
        if period_to is not None and point >= period_to:
            start = None
            break
        start, value = point, next_value
    if start is not None:
        rows.append(_row(start, None if open_ended else last, value, schedule.export))
    return rows


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # any half-hour boundary numbers the slots


def _slot_floor(instant: datetime) -> int:
    """Number of the half hour containing ``instant``."""
    return (instant - _EPOCH) // HALF_HOUR


def _slot_ceil(instant: datetime) -> int:
    """Number of the first half hour starting at or after ``instant``."""
    return -((_EPOCH - instant) // HALF_HOUR)


class HalfHourRows(Sequence[RateRow]):
    """Half-hourly rows of slots ``[low, high)``, made only when read (a page at a time)."""

    __slots__ = ("_day_rows", "_high", "_low")

    def __init__(
        self, day_rows: Callable[[date], tuple[RateRow, ...]], low: int, high: int
    ) -> None:
        self._day_rows = day_rows
        self._low = low
        self._high = max(low, high)

    def __len__(self) -> int:
        return self._high - self._low

    @overload
    def __getitem__(self, index: int) -> RateRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[RateRow]: ...
    def __getitem__(self, index: int | slice) -> RateRow | list[RateRow]:
        if isinstance(index, slice):
            picked = range(len(self))[index]
            if picked.step != 1:
                return [self[i] for i in picked]
            return self._rows(self._low + picked.start, self._low + picked.stop)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._rows(self._low + index, self._low + index + 1)[0]

    def __iter__(self) -> Iterator[RateRow]:
        return iter(self._rows(self._low, self._high))

    def _rows(self, low: int, high: int) -> list[RateRow]:
        rows: list[RateRow] = []
        slot = low
        while slot < high:
            instant = _EPOCH + slot * HALF_HOUR
            day = local_date(instant)
            day_rows = self._day_rows(day)
            offset = (instant - local_at(day)) // HALF_HOUR
            taken = day_rows[offset : offset + high - slot]
            rows.extend(taken)
            slot += len(taken)
        return rows


def _half_hour_rows(
    day_rows: Callable[[date], tuple[RateRow, ...]],
    first: datetime,
    last: datetime,
    period_from: datetime | None,
    period_to: datetime | None,
) -> HalfHourRows:
    """Rows of the half hours from ``first`` to ``last`` overlapping the period, counted."""
    low = _slot_ceil(max(first, PRICE_HISTORY_START))
    if period_from is not None:
        low = max(low, _slot_floor(period_from))  # a slot ending after period_from
    high = _slot_floor(last)  # slots ending by the horizon
    if period_to is not None:
        high = min(high, _slot_ceil(period_to))  # slots starting before period_to
    return HalfHourRows(day_rows, low, high)


_HISTORY_CACHE_SIZE = 64
_history_cache: dict[tuple[object, ...], tuple[list[RateRow], list[datetime]]] = {}


def _history(
    tariff: TariffRef,
    kind: RateKind,
    seed: int,
    rules: PublicationRules,
    last: datetime,
    open_ended: bool,
) -> tuple[list[RateRow], list[datetime]]:
    """Every row from the product's launch to a horizon, with their starts for bisection."""
    key = (tariff, kind, seed, rules.key(), last, open_ended)
    cached = _history_cache.get(key)
    if cached is None:
        schedule = _schedule(tariff, kind, seed, rules)
        rows = _generate(schedule, tariff.product.available_from, last, open_ended, None)
        cached = (rows, [row.valid_from for row in rows])
        if len(_history_cache) >= _HISTORY_CACHE_SIZE:
            del _history_cache[next(iter(_history_cache))]  # the oldest entry goes first
        _history_cache[key] = cached
    return cached


SHORT_WINDOW = timedelta(days=3)


def rate_rows(
    tariff: TariffRef,
    kind: RateKind,
    *,
    seed: int,
    now: datetime,
    rules: PublicationRules,
    period_from: datetime | None = None,
    period_to: datetime | None = None,
) -> Sequence[RateRow]:
    """Rows of a charges endpoint overlapping ``[period_from, period_to)``, oldest first.

    Half-hourly (Agile) rows are counted and made lazily, a page at a time. Otherwise a short
    window is generated directly from the nearest row boundary; anything longer comes from the
    whole history, generated once per horizon and cached, so paging stays cheap.
    """
    if kind is RateKind.STANDING and tariff.product.is_export and not rules.export_standing_charges:
        return []
    schedule = _schedule(tariff, kind, seed, rules)
    product_start = tariff.product.available_from
    last, open_ended = schedule.horizon(now)
    if schedule.day_rows is not None:
        # Every half hour is a row: count them, make only the ones read.
        return _half_hour_rows(schedule.day_rows, product_start, last, period_from, period_to)
    if (
        period_from is not None
        and period_to is not None
        and period_to - period_from <= SHORT_WINDOW
    ):
        first = max(product_start, schedule.anchor(period_from))
        if first > last or (first == last and not open_ended):
            return []
        rows = _generate(schedule, first, last, open_ended, period_to)
    else:
        if product_start > last or (product_start == last and not open_ended):
            return []
        # The horizon, not "now", keys the cache: it only moves at publication times.
        rows, starts = _history(tariff, kind, seed, rules, last, open_ended)
        low = max(0, bisect_right(starts, period_from) - 1) if period_from is not None else 0
        high = bisect_left(starts, period_to) if period_to is not None else len(rows)
        rows = rows[low:high]
    return [
        row
        for row in rows
        if (period_from is None or row.valid_to is None or row.valid_to > period_from)
        and (period_to is None or row.valid_from < period_to)
    ]


def _row(start: datetime, end: datetime | None, exc: Decimal, export: bool) -> RateRow:
    return RateRow(start, end, exc.normalize(), inc_vat(exc, export=export))


def rate_at(
    tariff: TariffRef, kind: RateKind, instant: datetime, *, seed: int, rules: PublicationRules
) -> RateRow | None:
    """The row in force at ``instant`` as far as it is published at that instant."""
    rows = rate_rows(
        tariff,
        kind,
        seed=seed,
        now=instant,
        rules=rules,
        period_from=instant,
        period_to=instant + timedelta(seconds=1),
    )
    return rows[0] if rows else None


__all__ = ["PublicationRules", "RateRow", "inc_vat", "rate_at", "rate_rows"]
