"""Cheapest-window search against a brute-force oracle on random half-hourly timelines.

Timelines are blocks of 1-4 half-hours, each priced from a small set (ties are common, some
prices negative) or left as a gap; the last block may be open-ended. The oracle enumerates every
candidate run or subset and sums with ``Fraction``, so ties are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import combinations
from random import Random

from hypothesis import given, settings, strategies as st

from custom_components.octopus_kraken.api.models import Rate
from custom_components.octopus_kraken.domain.cheapest import (
    DurationMode,
    ResultReason,
    SearchMode,
    SearchTarget,
    TieBreak,
    WindowSearch,
    find_cheapest_window,
    fixed_window_bounds,
    search_fixed_window,
)
from custom_components.octopus_kraken.domain.time import LONDON, LocalWindow, combine_local
from custom_components.octopus_kraken.domain.timeline import RateTimeline

from .helpers import HALF_HOUR, at

BASE = at("2026-10-24T20:00")  # near the autumn clock change; the search itself is in UTC
PRICES = [Decimal(p) for p in ("-3", "-0.5", "0", "1.25", "1.25", "4", "4", "7")]
CAPS = st.one_of(st.none(), st.sampled_from(PRICES))


@dataclass(frozen=True)
class Market:
    rates: list[Rate]
    prices: dict[datetime, Decimal]  # half-hour start -> price
    open_from: datetime | None  # an open-ended last rate: its start
    open_price: Decimal | None

    def price(self, slot: datetime) -> Decimal | None:
        if slot in self.prices:
            return self.prices[slot]
        if self.open_from is not None and slot >= self.open_from:
            return self.open_price
        return None


@st.composite
def markets(draw: st.DrawFn, max_blocks: int) -> Market:
    blocks = draw(
        st.lists(
            st.tuples(st.integers(1, 4), st.one_of(st.none(), st.sampled_from(PRICES))),
            max_size=max_blocks,
        )
    )
    rates, prices = [], {}
    cursor = BASE
    for length, price in blocks:
        end = cursor + length * HALF_HOUR
        if price is not None:
            rates.append(Rate(cursor, end, price, price))
            for k in range(length):
                prices[cursor + k * HALF_HOUR] = price
        cursor = end
    if rates and rates[-1].valid_to == cursor and draw(st.booleans()):
        last = rates[-1]
        rates[-1] = Rate(last.valid_from, None, last.value_inc_vat, last.value_exc_vat)
        return Market(rates, prices, last.valid_from, last.value_inc_vat)
    return Market(rates, prices, None, None)


@st.composite
def searches(draw: st.DrawFn, mode: SearchMode, max_slots: int) -> WindowSearch:
    return WindowSearch(
        duration=draw(st.integers(1, max_slots)) * HALF_HOUR,
        mode=mode,
        target=draw(st.sampled_from(SearchTarget)),
        min_price=draw(CAPS),
        max_price=draw(CAPS),
        prefer=draw(st.sampled_from(TieBreak)),
        start_offset=draw(st.sampled_from([timedelta(0), -HALF_HOUR, timedelta(minutes=10)])),
        allow_partial=draw(st.booleans()),
    )


@dataclass(frozen=True)
class Expected:
    slots: list[tuple[datetime, Decimal]]
    reason: ResultReason | None
    complete: bool


def oracle(market: Market, start: datetime, end: datetime, search: WindowSearch) -> Expected:
    first = start + (-(start - BASE)) % HALF_HOUR  # ceil to the half-hour grid
    last = end - (end - BASE) % HALF_HOUR  # floor
    slots = [first + k * HALF_HOUR for k in range(max(0, (last - first) // HALF_HOUR))]
    priced = {s: p for s in slots if (p := market.price(s)) is not None}
    complete = len(priced) == len(slots)
    if (not priced and slots) or (not complete and not search.allow_partial):
        return Expected([], ResultReason.RATES_UNKNOWN, complete)

    def in_range(price: Decimal) -> bool:
        return (search.min_price is None or price >= search.min_price) and (
            search.max_price is None or price <= search.max_price
        )

    eligible = [k for k, s in enumerate(slots) if s in priced and in_range(priced[s])]
    if not eligible and priced:
        return Expected([], ResultReason.NO_SLOTS_IN_PRICE_RANGE, complete)
    n = search.slot_count
    sign = 1 if search.target is SearchTarget.CHEAPEST else -1
    latest = search.prefer is TieBreak.LATEST

    def total(indices: Sequence[int]) -> Fraction:
        return sign * sum((Fraction(priced[slots[k]]) for k in indices), Fraction(0))

    chosen: Sequence[int]
    if search.mode is SearchMode.CONTINUOUS:
        runs = [
            list(range(k, k + n))
            for k in range(len(slots) - n + 1)
            if all(j in set(eligible) for j in range(k, k + n))
        ]
        chosen = min(runs, key=lambda run: (total(run), -run[0] if latest else run[0]), default=[])
    elif len(eligible) < n:
        chosen = []
    else:
        chosen = min(
            combinations(eligible, n),
            key=lambda c: (total(c), tuple(-k for k in reversed(c)) if latest else c),
        )
    return Expected(
        [(slots[k], priced[slots[k]]) for k in chosen],
        ResultReason.NOT_ENOUGH_SLOTS if len(chosen) < n else None,
        complete,
    )


def check(market: Market, a: int, b: int, lead: int, tail: int, search: WindowSearch) -> None:
    start = BASE + a * HALF_HOUR - timedelta(minutes=lead)
    end = BASE + b * HALF_HOUR + timedelta(minutes=tail)
    now = BASE + (a + 1) * HALF_HOUR
    expected = oracle(market, start, end, search)

    result = find_cheapest_window(RateTimeline(market.rates), start, end, search, now)

    assert [(s.start, s.price) for s in result.slots] == expected.slots
    assert result.reason is expected.reason
    assert result.complete is expected.complete
    assert result.total == sum((p for _, p in expected.slots), Decimal(0))
    assert all(s.end == s.start + HALF_HOUR for s in result.slots)
    covered = {
        p[0] + k * HALF_HOUR for p in result.periods for k in range((p[1] - p[0]) // HALF_HOUR)
    }
    assert covered == {s.start + search.start_offset for s in result.slots}
    upcoming = [p for p in result.periods if p[0] > now]
    assert result.next_start == (upcoming[0][0] if upcoming else None)


common = settings(max_examples=200, deadline=None)


@common
@given(
    market=markets(max_blocks=30),
    a=st.integers(-2, 60),
    length=st.integers(0, 50),
    lead=st.integers(0, 29),
    tail=st.integers(0, 29),
    search=searches(SearchMode.CONTINUOUS, max_slots=8),
)
def test_continuous_search_matches_the_brute_force_oracle(
    market: Market, a: int, length: int, lead: int, tail: int, search: WindowSearch
) -> None:
    check(market, a, a + length, lead, tail, search)


@common
@given(
    market=markets(max_blocks=8),
    a=st.integers(-2, 20),
    length=st.integers(0, 12),
    search=searches(SearchMode.INTERMITTENT, max_slots=6),
)
def test_intermittent_search_matches_the_brute_force_oracle(
    market: Market, a: int, length: int, search: WindowSearch
) -> None:
    check(market, a, a + length, 0, 0, search)


@common
@given(
    day=st.sampled_from([date(2026, 3, 28), date(2026, 3, 29), date(2026, 10, 25)]),
    minutes_into_day=st.integers(0, 25 * 60 - 1),
    start=st.integers(0, 47),
    end=st.integers(0, 47),
    seed=st.integers(0, 2**32),
    n=st.integers(1, 6),
)
def test_fixed_windows_on_clock_change_days_are_searched_whole(
    day: date, minutes_into_day: int, start: int, end: int, seed: int, n: int
) -> None:
    prices = Random(seed).choices(PRICES, k=150)
    window = LocalWindow(time(start // 2, start % 2 * 30), time(end // 2, end % 2 * 30))
    day_start = combine_local(day, time(0))
    now = day_start + timedelta(minutes=minutes_into_day)
    origin = day_start - timedelta(days=1)
    timeline = RateTimeline(
        Rate(origin + k * HALF_HOUR, origin + (k + 1) * HALF_HOUR, p, p)
        for k, p in enumerate(prices)
    )
    search = WindowSearch(
        n * HALF_HOUR, mode=SearchMode.INTERMITTENT, duration_mode=DurationMode.AT_MOST
    )

    bounds = fixed_window_bounds(window, now)
    result = search_fixed_window(timeline, window, search, now)

    # The instance is the running or next one: it ends after now and the one before did not.
    first_day = bounds[0].astimezone(LONDON).date()
    assert bounds[1] > now
    assert window.bounds_on(first_day - timedelta(days=1))[1] <= now
    assert result == find_cheapest_window(timeline, *bounds, search, now)
    expected_slots = min(n, (bounds[1] - bounds[0]) // HALF_HOUR)
    assert len(result.slots) == expected_slots
    assert all(bounds[0] <= s.start < bounds[1] for s in result.slots)
