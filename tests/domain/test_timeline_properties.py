"""RateTimeline against a brute-force painter on a 15-minute grid.

Each generated rate is tagged with its input position in ``value_exc_vat``, so the oracle can
tell which input won a cell even when prices are equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings, strategies as st

from custom_components.octopus_kraken.api.models import Rate
from custom_components.octopus_kraken.domain.time import local_day_bounds
from custom_components.octopus_kraken.domain.timeline import RateTimeline

from .helpers import at

CELL = timedelta(minutes=15)
BASE = at("2026-03-28T20:00")  # the grid spans the spring clock change
SPAN = 160  # cells in which rates start
END = SPAN + 40  # beyond every finite rate end
PRICES = [Decimal(p) for p in ("-2", "0", "0", "5", "5", "12.5")]


@st.composite
def rate_lists(draw: st.DrawFn) -> list[Rate]:
    """Up to 12 rates on the grid, overlapping at will, a few open-ended."""
    count = draw(st.integers(0, 12))
    rates = []
    for index in range(count):
        start = draw(st.integers(0, SPAN - 1))
        length = draw(
            st.one_of(st.integers(1, 32), st.none()) if index % 4 == 3 else st.integers(1, 32)
        )
        rates.append(
            Rate(
                BASE + start * CELL,
                None if length is None else BASE + (start + length) * CELL,
                draw(st.sampled_from(PRICES)),
                Decimal(index),
            )
        )
    return rates


def winner(rates: Sequence[Rate], instant: datetime) -> int | None:
    """Input position of the last rate covering ``instant``."""
    found = None
    for index, rate in enumerate(rates):
        if rate.valid_from <= instant and (rate.valid_to is None or instant < rate.valid_to):
            found = index
    return found


def price(rates: Sequence[Rate], instant: datetime) -> Decimal | None:
    index = winner(rates, instant)
    return None if index is None else rates[index].value_inc_vat


def cell(k: int) -> datetime:
    return BASE + k * CELL


def maximal_run(rates: Sequence[Rate], k: int) -> tuple[datetime, datetime | None]:
    """Extent of the cells around cell ``k`` won by the same input."""
    owner = winner(rates, cell(k))
    lo = k
    while lo > 0 and winner(rates, cell(lo - 1)) == owner:
        lo -= 1
    hi = k
    while hi < END and winner(rates, cell(hi + 1)) == owner:
        hi += 1
    return cell(lo), None if hi == END else cell(hi + 1)


common = settings(max_examples=200, deadline=None)


@common
@given(rates=rate_lists(), k=st.integers(0, END), offset=st.integers(0, 14))
def test_the_rate_at_an_instant_is_the_latest_input_covering_it_as_a_maximal_piece(
    rates: list[Rate], k: int, offset: int
) -> None:
    instant = cell(k) + timedelta(minutes=offset)
    owner = winner(rates, instant)

    found = RateTimeline(rates).rate_at(instant)

    if owner is None:
        assert found is None
    else:
        assert found is not None
        assert found.value_exc_vat == owner
        assert found.value_inc_vat == rates[owner].value_inc_vat
        assert (found.valid_from, found.valid_to) == maximal_run(rates, k)


@common
@given(rates=rate_lists(), k=st.integers(0, END), offset=st.integers(0, 14))
def test_the_next_change_is_the_first_instant_the_known_price_differs(
    rates: list[Rate], k: int, offset: int
) -> None:
    instant = cell(k) + timedelta(minutes=offset)
    now_price = price(rates, instant)
    expected = next(
        (cell(j) for j in range(k + 1, END + 1) if price(rates, cell(j)) != now_price), None
    )

    assert RateTimeline(rates).next_change(instant) == expected


@common
@given(rates=rate_lists(), k=st.integers(1, END - 1))
def test_previous_and_next_rates_are_the_neighbouring_pieces(rates: list[Rate], k: int) -> None:
    timeline = RateTimeline(rates)
    instant = cell(k)
    current = timeline.rate_at(instant)

    previous, following = timeline.previous_rate(instant), timeline.next_rate(instant)

    if current is None:
        assert previous is None
        assert following is None
        return
    before = timeline.rate_at(current.valid_from - CELL)
    assert previous == (before if before and before.valid_to == current.valid_from else None)
    after = None if current.valid_to is None else timeline.rate_at(current.valid_to)
    assert following == after


@common
@given(rates=rate_lists(), a=st.integers(0, END), b=st.integers(0, END))
def test_gaps_are_exactly_the_unpriced_cells(rates: list[Rate], a: int, b: int) -> None:
    start, end = cell(min(a, b)), cell(max(a, b))
    timeline = RateTimeline(rates)
    unpriced = {cell(j) for j in range(min(a, b), max(a, b)) if winner(rates, cell(j)) is None}

    gaps = timeline.gaps(start, end)

    covered_by_gaps = {
        cell(j) for j in range(END) for gap_start, gap_end in gaps if gap_start <= cell(j) < gap_end
    }
    assert covered_by_gaps == unpriced
    assert all(gap_end > gap_start for gap_start, gap_end in gaps)
    assert all(one[1] < two[0] for one, two in pairwise(gaps))
    assert timeline.covers(start, end) is (not unpriced)


@common
@given(rates=rate_lists(), a=st.integers(0, END), b=st.integers(0, END))
def test_half_hour_split_prices_fully_covered_half_hours_by_their_mean(
    rates: list[Rate], a: int, b: int
) -> None:
    # The grid starts on the hour, so even cells start half-hours.
    first, last = min(a, b) // 2 * 2, max(a, b)
    expected = []
    for j in range(first, last, 2):
        pair = [price(rates, cell(j)), price(rates, cell(j + 1))]
        if None not in pair:
            expected.append((cell(j), sum(p for p in pair if p is not None) / 2))

    slots = RateTimeline(rates).split_half_hours(cell(first), cell(last))

    assert [(s.valid_from, s.value_inc_vat) for s in slots] == expected
    assert all(s.valid_to == s.valid_from + 2 * CELL for s in slots)


@common
@given(rates=rate_lists(), day=st.sampled_from([date(2026, 3, 28), date(2026, 3, 29)]))
def test_day_stats_match_the_cells_of_the_local_day(rates: list[Rate], day: date) -> None:
    start, end = local_day_bounds(day)
    cells = [start + j * CELL for j in range((end - start) // CELL)]
    prices = [p for p in (price(rates, c) for c in cells) if p is not None]
    owners = [winner(rates, c) for c in cells]
    pieces = sum(
        1
        for j, owner in enumerate(owners)
        if owner is not None and (j == 0 or owners[j - 1] != owner)
    )

    stats = RateTimeline(rates).day_stats(day)

    if not prices:
        assert stats is None
        return
    assert stats is not None
    assert (stats.min, stats.max) == (min(prices), max(prices))
    assert stats.mean == sum(prices) / len(prices)
    assert stats.complete is (len(prices) == len(cells))
    assert stats.count == pieces


@common
@given(older=rate_lists(), newer=rate_lists())
def test_merging_equals_building_from_both_with_the_newer_last(
    older: list[Rate], newer: list[Rate]
) -> None:
    merged = RateTimeline(older).merge(RateTimeline(newer))

    assert merged == RateTimeline([*older, *newer])
    assert merged == RateTimeline(older).merge(newer)


@common
@given(rates=rate_lists())
def test_the_stored_form_rebuilds_the_same_timeline(rates: list[Rate]) -> None:
    timeline = RateTimeline(rates)

    assert RateTimeline.from_json(timeline.to_json()) == timeline


@common
@given(rates=rate_lists())
def test_pieces_are_sorted_and_disjoint(rates: list[Rate]) -> None:
    pieces = RateTimeline(rates).rates

    for one, two in pairwise(pieces):
        assert one.valid_to is not None
        assert one.valid_to <= two.valid_from
    assert all(p.valid_to is None or p.valid_to > p.valid_from for p in pieces)
