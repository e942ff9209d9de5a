"""Every search option against a brute-force oracle on whole UK days of 46, 48 and 50 slots.

The oracle below is written from the option's definition, not from the search code: it lists
every candidate (each block of touching slots, each subset of slots), prices it with
``Fraction``, and takes the best by cost and the tie-break. Duration modes, weightings, price
limits, targets, tie-breaks, partial prices, rolling windows that skip a nearly finished slot and
the per-period summaries are all checked on the spring (46 slots), ordinary (48) and autumn (50)
days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import combinations

from hypothesis import given, settings, strategies as st

from custom_components.octopus_kraken.api.models import Rate
from custom_components.octopus_kraken.domain.cheapest import (
    DurationMode,
    PricedSlot,
    ResultReason,
    SearchMode,
    SearchTarget,
    TieBreak,
    Weighting,
    WindowSearch,
    find_cheapest_window,
    search_rolling_window,
)
from custom_components.octopus_kraken.domain.time import combine_local
from custom_components.octopus_kraken.domain.timeline import RateTimeline

HALF = timedelta(minutes=30)
DAYS = {date(2026, 3, 29): 46, date(2026, 1, 15): 48, date(2026, 10, 25): 50}
PRICES = ["-2", "0", "1.5", "1.5", "3", "4.25", "7"]
CAPS = st.one_of(st.none(), st.sampled_from([Decimal(p) for p in PRICES]))


@dataclass(frozen=True)
class Day:
    first: datetime  # local midnight, UTC
    prices: list[Decimal | None]  # one per half-hour of the local day

    def slot(self, k: int) -> datetime:
        return self.first + k * HALF

    def rates(self) -> list[Rate]:
        return [
            Rate(self.slot(k), self.slot(k + 1), p, p)
            for k, p in enumerate(self.prices)
            if p is not None
        ]


@st.composite
def days(draw: st.DrawFn) -> Day:
    day = draw(st.sampled_from(sorted(DAYS)))
    first = combine_local(day, time(0))
    assert (combine_local(day + timedelta(days=1), time(0)) - first) // HALF == DAYS[day]
    gaps = draw(st.booleans())
    price = st.sampled_from([Decimal(p) for p in PRICES])
    cell = st.one_of(st.none(), price) if gaps else price
    # Few distinct runs keep the enumeration small; many equal prices make ties common.
    prices = draw(st.lists(cell, min_size=DAYS[day], max_size=DAYS[day]))
    return Day(first, prices)


@st.composite
def weightings(draw: st.DrawFn, n: int) -> Weighting | None:
    if draw(st.booleans()):
        return None
    repeat = draw(st.booleans())
    size = draw(st.integers(1, n)) if repeat else n
    weights = draw(
        st.lists(st.sampled_from(["0", "0.5", "1", "2", "3"]), min_size=size, max_size=size)
    )
    return Weighting(tuple(Decimal(w) for w in weights), repeat)


@st.composite
def searches(draw: st.DrawFn, mode: SearchMode, max_n: int) -> WindowSearch:
    n = draw(st.integers(1, max_n))
    return WindowSearch(
        duration=n * HALF,
        mode=mode,
        target=draw(st.sampled_from(SearchTarget)),
        min_price=draw(CAPS),
        max_price=draw(CAPS),
        prefer=draw(st.sampled_from(TieBreak)),
        start_offset=draw(st.sampled_from([timedelta(0), -HALF, timedelta(minutes=40)])),
        allow_partial=draw(st.booleans()),
        duration_mode=draw(st.sampled_from(DurationMode)),
        weighting=draw(weightings(n)) if mode is SearchMode.CONTINUOUS else None,
    )


# --- the oracle --------------------------------------------------------------------------------


def weight(search: WindowSearch, i: int) -> Fraction:
    """The weight of the i-th slot of a run, read from the weighting's definition."""
    if search.weighting is None:
        return Fraction(1)
    weights = search.weighting.weights
    return Fraction(weights[i] if i < len(weights) else weights[-1])


def oracle(
    prices: Sequence[Decimal | None], lo: int, hi: int, search: WindowSearch
) -> tuple[list[int], ResultReason | None]:
    """The chosen slot indices among ``[lo, hi)`` and the reason, by enumeration."""
    window = range(lo, hi)
    priced = [k for k in window if prices[k] is not None]
    if (not priced and lo < hi) or (len(priced) < len(window) and not search.allow_partial):
        return [], ResultReason.RATES_UNKNOWN
    sign = 1 if search.target is SearchTarget.CHEAPEST else -1
    latest = search.prefer is TieBreak.LATEST
    n = search.slot_count

    def fits(k: int) -> bool:
        p = prices[k]
        assert p is not None
        return (search.min_price is None or p >= search.min_price) and (
            search.max_price is None or p <= search.max_price
        )

    def cost(chosen: Sequence[int]) -> Fraction:
        return sign * sum(
            (weight(search, i) * Fraction(prices[k]) for i, k in enumerate(chosen)),  # type: ignore[arg-type]
            Fraction(0),
        )

    def best(pool: Sequence[int], size: int) -> list[int] | None:
        pool_set = set(pool)
        if search.mode is SearchMode.CONTINUOUS:
            candidates = [
                list(range(a, a + size))
                for a in window
                if all(k in pool_set for k in range(a, a + size))
            ]
            key = lambda c: (cost(c), -c[0] if latest else c[0])  # noqa: E731
        else:
            candidates = [list(c) for c in combinations(pool, size)]
            key = lambda c: (cost(c), tuple(-k for k in reversed(c)) if latest else tuple(c))  # noqa: E731
        return min(candidates, key=key) if candidates else None

    if search.duration_mode is DurationMode.AT_LEAST:
        core = best(priced, n)
        if core is None:
            return [], ResultReason.NOT_ENOUGH_SLOTS
        if search.mode is SearchMode.INTERMITTENT:
            return sorted(set(core) | {k for k in priced if fits(k)}), None
        # The longest run of priced slots around the core whose other slots all fit.
        grown = max(
            (
                list(range(a, b))
                for a in range(lo, core[0] + 1)
                for b in range(core[-1] + 1, hi + 1)
                if all(prices[k] is not None and (k in core or fits(k)) for k in range(a, b))
            ),
            key=len,
        )
        return grown, None
    eligible = [k for k in priced if fits(k)]
    if not eligible and priced:
        return [], ResultReason.NO_SLOTS_IN_PRICE_RANGE
    sizes = [n] if search.duration_mode is DurationMode.EXACT else range(n, 0, -1)
    for size in sizes:
        found = best(eligible, size)
        if found is not None:
            return found, None if size == n else ResultReason.NOT_ENOUGH_SLOTS
    return [], ResultReason.NOT_ENOUGH_SLOTS


def check(day: Day, lo: int, hi: int, search: WindowSearch, result_of: object) -> None:
    result = result_of
    assert hasattr(result, "slots")
    chosen, reason = oracle(day.prices, lo, hi, search)
    assert [s.start for s in result.slots] == [day.slot(k) for k in chosen]  # type: ignore[attr-defined]
    assert result.reason is reason  # type: ignore[attr-defined]
    # Per-period summaries: runs of touching chosen slots, offset applied, exact prices.
    runs: list[list[int]] = []
    for k in chosen:
        if runs and runs[-1][-1] + 1 == k:
            runs[-1].append(k)
        else:
            runs.append([k])
    expected = [
        (
            day.slot(run[0]) + search.start_offset,
            day.slot(run[-1] + 1) + search.start_offset,
            min(Fraction(day.prices[k]) for k in run),  # type: ignore[arg-type]
            max(Fraction(day.prices[k]) for k in run),  # type: ignore[arg-type]
            sum(Fraction(day.prices[k]) for k in run) / len(run),  # type: ignore[arg-type]
        )
        for run in runs
    ]
    got = [
        (p.start, p.end, Fraction(p.minimum), Fraction(p.maximum), Fraction(p.average))
        for p in result.summaries  # type: ignore[attr-defined]
    ]
    # Averages are Decimal quotients (28 significant digits): equal to far below a 1e-20 p.
    assert [g[:4] for g in got] == [e[:4] for e in expected]
    assert all(abs(g[4] - e[4]) < Fraction(1, 10**20) for g, e in zip(got, expected, strict=True))
    assert all(p.duration == p.end - p.start for p in result.summaries)  # type: ignore[attr-defined]


common = settings(max_examples=100, deadline=None)


@common
@given(day=days(), data=st.data(), search=searches(SearchMode.CONTINUOUS, max_n=6))
def test_continuous_options_match_the_oracle_on_whole_days(
    day: Day, data: st.DataObject, search: WindowSearch
) -> None:
    size = len(day.prices)
    lo = data.draw(st.integers(0, size))
    hi = data.draw(st.integers(lo, size))
    now = day.first - HALF
    result = find_cheapest_window(
        RateTimeline(day.rates()), day.slot(lo), day.slot(hi), search, now
    )
    check(day, lo, hi, search, result)


@common
@given(day=days(), data=st.data(), search=searches(SearchMode.INTERMITTENT, max_n=3))
def test_intermittent_options_match_the_oracle_on_whole_days(
    day: Day, data: st.DataObject, search: WindowSearch
) -> None:
    size = len(day.prices)
    lo = data.draw(st.integers(0, size))
    hi = data.draw(st.integers(lo, min(size, lo + 24)))  # keeps the subsets enumerable
    now = day.first - HALF
    result = find_cheapest_window(
        RateTimeline(day.rates()), day.slot(lo), day.slot(hi), search, now
    )
    check(day, lo, hi, search, result)


@common
@given(
    day=days(),
    minute=st.integers(0, 50 * 30 - 1),
    min_left=st.integers(0, 29),
    hours=st.integers(1, 16),
    search=searches(SearchMode.CONTINUOUS, max_n=4),
)
def test_a_rolling_window_skips_a_slot_with_too_little_left(
    day: Day, minute: int, min_left: int, hours: int, search: WindowSearch
) -> None:
    """A slot counts when at least ``min_left`` minutes of it are left."""
    size = len(day.prices)
    now = day.first + timedelta(minutes=minute % (size * 30))
    current = (now - day.first) // HALF
    left = day.slot(current + 1) - now
    lo = current if left >= timedelta(minutes=min_left) else current + 1
    hi = min(size, lo + hours)
    rolled = search_rolling_window(
        RateTimeline(day.rates()), hours * HALF, search, now, timedelta(minutes=min_left)
    )
    assert rolled.window_start == day.slot(lo)
    if lo + hours <= size:  # past the day the oracle knows no prices
        check(day, lo, hi, search, rolled)


@common
@given(day=days(), data=st.data(), search=searches(SearchMode.INTERMITTENT, max_n=4))
def test_a_resumed_search_looks_only_for_what_is_left_of_the_duration(
    day: Day, data: st.DataObject, search: WindowSearch
) -> None:
    """Slots already run before the rest of a window count towards the duration (the sensor
    resumes a started window this way)."""
    size = len(day.prices)
    lo = data.draw(st.integers(1, size))
    hi = data.draw(st.integers(lo, min(size, lo + 20)))
    n = search.slot_count
    ran = sorted(data.draw(st.sets(st.integers(0, lo - 1), max_size=min(lo, n))))
    done = tuple(PricedSlot(day.slot(k), day.slot(k + 1), Decimal(1)) for k in ran)
    now = day.slot(lo)

    result = find_cheapest_window(
        RateTimeline(day.rates()), day.slot(lo), day.slot(hi), search, now, done=done
    )

    if len(ran) == n and search.duration_mode is not DurationMode.AT_LEAST:
        chosen, reason = [], None  # nothing more is owed
    elif len(ran) == n:
        return  # at least nothing more, plus extras: the whole-day tests cover extras
    else:
        rest = replace(search, duration=(n - len(ran)) * HALF)
        chosen, reason = oracle(day.prices, lo, hi, rest)
    assert [s.start for s in result.slots] == [day.slot(k) for k in [*ran, *chosen]]
    assert result.reason is reason
