"""Cheapest-window search, by example."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

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
    fixed_window_bounds,
    rolling_window_bounds,
    search_fixed_window,
    search_rolling_window,
)
from custom_components.octopus_kraken.domain.time import LocalWindow, local_day_bounds
from custom_components.octopus_kraken.domain.timeline import RateTimeline

from .helpers import HALF_HOUR, at, half_hourly, rate

HOUR = timedelta(hours=1)
CONTINUOUS_HOUR = WindowSearch(HOUR)
INTERMITTENT_HOUR = WindowSearch(HOUR, mode=SearchMode.INTERMITTENT)
EVENING = at("2026-01-10T18:00")


@pytest.fixture
def evening() -> RateTimeline:
    """Half-hours from 16:00 UTC on a winter day: an evening peak, then cheap night slots."""
    return RateTimeline(
        half_hourly(
            "2026-01-10T16:00",
            # 16:00 ... 19:30 | 20:00 ... 23:30 | 00:00 ... 03:30 | 04:00 ... 07:30
            [
                *(30, 35, 40, 38, 33, 25, 22, 20, 18, 17, 16, 15, 14, 12, 9, 10),
                *(8, 6, 5, 7, 4, 9, 11, 13, 12, 11, 15, 16, 18, 20, 24, 26),
            ],
        )
    )


def starts(slots: Iterable[PricedSlot]) -> list[str]:
    """UTC clock times at which the slots start."""
    return [slot.start.strftime("%H:%M") for slot in slots]


def test_the_cheapest_continuous_hour_overnight_is_found(evening: RateTimeline) -> None:
    result = find_cheapest_window(
        evening, at("2026-01-10T22:00"), at("2026-01-11T06:00"), CONTINUOUS_HOUR, EVENING
    )

    assert starts(result.slots) == ["00:30", "01:00"]
    assert result.periods == ((at("2026-01-11T00:30"), at("2026-01-11T01:30")),)
    assert result.total == Decimal(11)
    assert result.average == Decimal("5.5")
    assert result.complete
    assert result.reason is None
    assert result.found


def test_intermittent_slots_are_the_cheapest_anywhere_in_chronological_order(
    evening: RateTimeline,
) -> None:
    result = find_cheapest_window(
        evening, at("2026-01-10T22:00"), at("2026-01-11T06:00"), INTERMITTENT_HOUR, EVENING
    )

    assert starts(result.slots) == ["01:00", "02:00"]
    assert result.periods == (
        (at("2026-01-11T01:00"), at("2026-01-11T01:30")),
        (at("2026-01-11T02:00"), at("2026-01-11T02:30")),
    )
    assert result.total == Decimal(9)


def test_export_users_find_the_most_expensive_hour(evening: RateTimeline) -> None:
    search = WindowSearch(HOUR, target=SearchTarget.MOST_EXPENSIVE)

    result = find_cheapest_window(
        evening, at("2026-01-10T16:00"), at("2026-01-10T22:00"), search, EVENING
    )

    assert starts(result.slots) == ["17:00", "17:30"]
    assert result.average == Decimal(39)


@pytest.mark.parametrize(
    ("mode", "prefer", "expected"),
    [
        (SearchMode.CONTINUOUS, TieBreak.EARLIEST, ["10:00", "10:30"]),
        (SearchMode.CONTINUOUS, TieBreak.LATEST, ["11:30", "12:00"]),
        (SearchMode.INTERMITTENT, TieBreak.EARLIEST, ["10:00", "10:30"]),
        (SearchMode.INTERMITTENT, TieBreak.LATEST, ["11:30", "12:00"]),
    ],
)
def test_equal_prices_are_broken_by_the_preferred_end_of_the_window(
    mode: SearchMode, prefer: TieBreak, expected: list[str]
) -> None:
    flat = half_hourly("2026-01-10T10:00", [5, 5, 5, 5, 5])

    result = find_cheapest_window(
        flat,
        at("2026-01-10T10:00"),
        at("2026-01-10T12:30"),
        WindowSearch(HOUR, mode=mode, prefer=prefer),
        at("2026-01-10T09:00"),
    )

    assert starts(result.slots) == expected


def test_negative_prices_are_the_cheapest() -> None:
    rates = half_hourly("2026-01-10T10:00", [1, "-3.5", 2, "-0.5", 0])

    result = find_cheapest_window(
        rates,
        at("2026-01-10T10:00"),
        at("2026-01-10T12:30"),
        INTERMITTENT_HOUR,
        at("2026-01-10T09:00"),
    )

    assert starts(result.slots) == ["10:30", "11:30"]
    assert result.total == Decimal(-4)


def test_a_price_cap_may_leave_fewer_intermittent_slots_than_asked_at_most() -> None:
    rates = half_hourly("2026-01-10T10:00", [10, 3, 12, 4])
    search = WindowSearch(
        2 * HOUR,
        mode=SearchMode.INTERMITTENT,
        max_price=Decimal(4),
        duration_mode=DurationMode.AT_MOST,
    )

    result = find_cheapest_window(
        rates, at("2026-01-10T10:00"), at("2026-01-10T12:00"), search, at("2026-01-10T09:00")
    )

    assert starts(result.slots) == ["10:30", "11:30"]
    assert result.reason is ResultReason.NOT_ENOUGH_SLOTS
    assert result.complete


@pytest.mark.parametrize("mode", list(SearchMode))
def test_a_short_result_is_empty_in_both_modes_unless_at_most_is_asked(mode: SearchMode) -> None:
    """One rule for both modes: exactly the duration, or nothing."""
    rates = half_hourly("2026-01-10T10:00", [10, 3, 12, 4])
    search = WindowSearch(2 * HOUR, mode=mode, max_price=Decimal(4))

    result = find_cheapest_window(
        rates, at("2026-01-10T10:00"), at("2026-01-10T12:00"), search, at("2026-01-10T09:00")
    )

    assert result.slots == ()
    assert result.reason is ResultReason.NOT_ENOUGH_SLOTS


def test_a_cap_that_excludes_every_slot_says_so() -> None:
    rates = half_hourly("2026-01-10T10:00", [10, 11])
    search = WindowSearch(HALF_HOUR, max_price=Decimal(4))

    result = find_cheapest_window(
        rates, at("2026-01-10T10:00"), at("2026-01-10T11:00"), search, at("2026-01-10T09:00")
    )

    assert result.slots == ()
    assert result.reason is ResultReason.NO_SLOTS_IN_PRICE_RANGE
    assert result.total == 0
    assert result.average is None


def test_a_continuous_run_must_stay_within_the_price_range() -> None:
    rates = half_hourly("2026-01-10T10:00", [1, 9, 1, 1, 2])
    search = WindowSearch(HOUR, max_price=Decimal(5), target=SearchTarget.MOST_EXPENSIVE)

    result = find_cheapest_window(
        rates, at("2026-01-10T10:00"), at("2026-01-10T12:30"), search, at("2026-01-10T09:00")
    )

    assert starts(result.slots) == ["11:30", "12:00"]


def test_a_minimum_price_keeps_exports_above_it() -> None:
    rates = half_hourly("2026-01-10T10:00", [15, 4, 16, 20])
    search = WindowSearch(
        2 * HOUR,
        mode=SearchMode.CONTINUOUS,
        min_price=Decimal(15),
        target=SearchTarget.MOST_EXPENSIVE,
    )

    result = find_cheapest_window(
        rates, at("2026-01-10T10:00"), at("2026-01-10T12:00"), search, at("2026-01-10T09:00")
    )

    assert result.slots == ()
    assert result.reason is ResultReason.NOT_ENOUGH_SLOTS


def test_a_window_shorter_than_the_duration_finds_no_continuous_run() -> None:
    rates = half_hourly("2026-01-10T10:00", [1, 2])

    result = find_cheapest_window(
        rates,
        at("2026-01-10T10:00"),
        at("2026-01-10T11:00"),
        WindowSearch(2 * HOUR),
        at("2026-01-10T09:00"),
    )

    assert result.slots == ()
    assert result.reason is ResultReason.NOT_ENOUGH_SLOTS


def test_an_unpriced_window_finds_nothing_unless_partial_results_are_allowed() -> None:
    # Tomorrow's Agile prices are not out yet: the window is priced only until midnight.
    rates = half_hourly("2026-01-10T22:00", [5, 4, 3, 6])
    window = (at("2026-01-10T22:00"), at("2026-01-11T06:00"))
    now = at("2026-01-10T14:00")

    strict = find_cheapest_window(rates, *window, CONTINUOUS_HOUR, now)
    partial = find_cheapest_window(rates, *window, WindowSearch(HOUR, allow_partial=True), now)

    assert strict.slots == ()
    assert strict.reason is ResultReason.RATES_UNKNOWN
    assert not strict.complete
    assert starts(partial.slots) == ["22:30", "23:00"]
    assert not partial.complete
    assert partial.reason is None


def test_a_window_without_any_rate_is_unknown_even_when_partial_is_allowed() -> None:
    result = find_cheapest_window(
        [],
        at("2026-01-10T22:00"),
        at("2026-01-11T06:00"),
        WindowSearch(HOUR, allow_partial=True),
        at("2026-01-10T14:00"),
    )

    assert result.reason is ResultReason.RATES_UNKNOWN
    assert result.window_start == at("2026-01-10T22:00")


def test_window_bounds_are_narrowed_to_whole_half_hours() -> None:
    rates = half_hourly("2026-01-10T10:00", [1, 9, 9, 9, 2])

    result = find_cheapest_window(
        rates,
        at("2026-01-10T10:10"),
        at("2026-01-10T12:20"),
        INTERMITTENT_HOUR,
        at("2026-01-10T09:00"),
    )

    assert (result.window_start, result.window_end) == (
        at("2026-01-10T10:30"),
        at("2026-01-10T12:00"),
    )
    assert result.complete
    assert [s.price for s in result.slots] == [9, 9]


def test_an_empty_window_has_not_enough_slots() -> None:
    result = find_cheapest_window(
        [], at("2026-01-10T10:10"), at("2026-01-10T10:20"), CONTINUOUS_HOUR, at("2026-01-10T09:00")
    )

    assert result.window_start == result.window_end == at("2026-01-10T10:30")
    assert result.reason is ResultReason.NOT_ENOUGH_SLOTS


def test_the_start_offset_moves_the_periods_but_not_the_slots(evening: RateTimeline) -> None:
    search = WindowSearch(HOUR, start_offset=-HALF_HOUR)

    result = find_cheapest_window(
        evening, at("2026-01-10T22:00"), at("2026-01-11T06:00"), search, at("2026-01-11T00:10")
    )

    assert starts(result.slots) == ["00:30", "01:00"]
    assert result.periods == ((at("2026-01-11T00:00"), at("2026-01-11T01:00")),)
    assert result.is_active(at("2026-01-11T00:10"))
    assert result.next_start is None
    assert result.next_end is None


def test_next_start_is_the_first_period_still_to_come(evening: RateTimeline) -> None:
    result = find_cheapest_window(
        evening,
        at("2026-01-10T22:00"),
        at("2026-01-11T06:00"),
        INTERMITTENT_HOUR,
        at("2026-01-11T01:10"),
    )

    assert result.current_period(at("2026-01-11T01:10")) == (
        at("2026-01-11T01:00"),
        at("2026-01-11T01:30"),
    )
    assert (result.next_start, result.next_end) == (at("2026-01-11T02:00"), at("2026-01-11T02:30"))
    assert result.next_period(at("2026-01-11T02:00")) is None
    assert not result.is_active(at("2026-01-11T01:30"))


def test_the_rolling_window_moves_after_the_current_slot_ends() -> None:
    rates = RateTimeline(half_hourly("2026-01-11T00:00", [9, 2, 5, 7, 3, 8]))
    search = WindowSearch(HALF_HOUR)

    during = search_rolling_window(rates, 2 * HOUR, search, at("2026-01-11T00:59"))
    after = search_rolling_window(rates, 2 * HOUR, search, at("2026-01-11T01:00"))

    assert rolling_window_bounds(at("2026-01-11T00:59"), 2 * HOUR) == (
        at("2026-01-11T00:30"),
        at("2026-01-11T02:30"),
    )
    assert starts(during.slots) == ["00:30"]
    assert during.is_active(at("2026-01-11T00:59"))
    assert starts(after.slots) == ["02:00"]


def test_a_fixed_window_over_midnight_that_started_yesterday_is_still_current() -> None:
    window = LocalWindow(time(22), time(6))

    assert fixed_window_bounds(window, at("2026-01-11T05:59")) == (
        at("2026-01-10T22:00"),
        at("2026-01-11T06:00"),
    )
    assert fixed_window_bounds(window, at("2026-01-11T06:00")) == (
        at("2026-01-11T22:00"),
        at("2026-01-12T06:00"),
    )


def test_a_fixed_window_is_searched_whole_so_the_answer_holds_while_it_runs(
    evening: RateTimeline,
) -> None:
    window = LocalWindow(time(22), time(6))

    early = search_fixed_window(evening, window, CONTINUOUS_HOUR, at("2026-01-10T21:00"))
    late = search_fixed_window(evening, window, CONTINUOUS_HOUR, at("2026-01-11T05:00"))

    assert early.slots == late.slots
    assert starts(late.slots) == ["00:30", "01:00"]


@pytest.mark.parametrize(("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25)])
def test_a_whole_local_day_on_a_clock_change_has_its_true_number_of_slots(
    day: date, hours: int
) -> None:
    start, end = local_day_bounds(day)
    timeline = RateTimeline([rate(start - HOUR, None, "20")])
    search = WindowSearch(timedelta(hours=hours))

    result = search_fixed_window(timeline, LocalWindow(time(0), time(0)), search, start + HOUR)

    assert len(result.slots) == 2 * hours
    assert result.periods == ((start, end),)
    assert result.reason is None
    assert result.total == 20 * 2 * hours


@pytest.mark.parametrize("duration", [timedelta(0), timedelta(minutes=-30), timedelta(minutes=45)])
def test_durations_must_be_whole_half_hours(duration: timedelta) -> None:
    with pytest.raises(ValueError, match="30 minutes"):
        WindowSearch(duration)


@pytest.mark.parametrize(
    ("text", "slots", "weights"),
    [
        ("2,1,1", 3, ["2", "1", "1"]),
        ("2, 1*", 4, ["2", "1", "1", "1"]),
        ("0.5*", 2, ["0.5", "0.5"]),
        ("3,2,1*", 2, ["3", "2"]),  # a shorter run (at most) takes the first weights
    ],
)
def test_a_weighting_gives_one_weight_per_slot(text: str, slots: int, weights: list[str]) -> None:
    weighting = Weighting.parse(text)
    assert weighting.for_run(slots) == tuple(Decimal(w) for w in weights)
    assert Weighting.parse(str(weighting)) == weighting


@pytest.mark.parametrize("text", ["", "a", "1,,2", "-1", "2,1**", "inf", "NaN"])
def test_a_weighting_that_is_not_numbers_of_at_least_zero_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="weight"):
        Weighting.parse(text)


def test_a_weighting_must_fit_the_duration_and_a_continuous_search() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        WindowSearch(HOUR, weighting=Weighting.parse("1,1,1"))
    with pytest.raises(ValueError, match="continuous"):
        WindowSearch(HOUR, mode=SearchMode.INTERMITTENT, weighting=Weighting.parse("1*"))
    assert WindowSearch(2 * HOUR, weighting=Weighting.parse("1,1*")).slot_count == 4
