"""Half-hour and local-day arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.octopus_kraken.domain.time import (
    HALF_HOUR,
    LONDON,
    LocalWindow,
    ceil_half_hour,
    combine_local,
    floor_half_hour,
    half_hours,
    is_half_hour_aligned,
    local_date,
    local_day_bounds,
    merge_periods,
    next_boundary,
    to_utc,
)

from .helpers import at

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


def test_floor_ceil_and_next_boundary_of_an_instant_inside_a_slot() -> None:
    instant = at("2026-01-10T10:47:12.5")

    assert floor_half_hour(instant) == at("2026-01-10T10:30")
    assert ceil_half_hour(instant) == at("2026-01-10T11:00")
    assert next_boundary(instant) == at("2026-01-10T11:00")


def test_on_a_boundary_floor_and_ceil_stay_and_the_next_boundary_moves() -> None:
    instant = at("2026-01-10T11:00")

    assert floor_half_hour(instant) == ceil_half_hour(instant) == instant
    assert next_boundary(instant) == at("2026-01-10T11:30")
    assert is_half_hour_aligned(instant)
    assert not is_half_hour_aligned(instant + timedelta(seconds=1))


def test_local_instants_are_returned_in_utc() -> None:
    summer = datetime(2026, 7, 1, 12, 40, tzinfo=LONDON)

    floor = floor_half_hour(summer)

    assert floor == at("2026-07-01T11:30")
    assert floor.tzinfo is UTC
    assert to_utc(datetime(2026, 7, 1, 13, tzinfo=timezone(timedelta(hours=1)))).hour == 12


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        floor_half_hour(datetime(2026, 1, 1))


@settings(max_examples=200)
@given(instant=instants)
def test_floor_and_ceil_bracket_every_instant_within_half_an_hour(instant: datetime) -> None:
    floor, ceil = floor_half_hour(instant), ceil_half_hour(instant)

    assert floor <= instant <= ceil
    assert ceil - floor in (timedelta(0), HALF_HOUR)
    assert floor.minute in (0, 30)
    assert floor.second == floor.microsecond == 0
    assert floor < next_boundary(instant) == floor + HALF_HOUR


def test_half_hours_lists_every_slot_overlapping_the_period() -> None:
    slots = list(half_hours(at("2026-01-10T10:15"), at("2026-01-10T11:30")))

    assert slots == [at("2026-01-10T10:00"), at("2026-01-10T10:30"), at("2026-01-10T11:00")]
    assert list(half_hours(at("2026-01-10T10:00"), at("2026-01-10T10:00"))) == []


@pytest.mark.parametrize(
    ("day", "count"),
    [(date(2026, 3, 29), 46), (date(2026, 10, 25), 50), (date(2026, 6, 1), 48)],
)
def test_local_days_have_46_48_or_50_half_hours(day: date, count: int) -> None:
    start, end = local_day_bounds(day)

    assert len(list(half_hours(start, end))) == count
    assert local_date(start) == day
    assert local_date(end - timedelta(microseconds=1)) == day


def test_a_summer_local_day_starts_at_23_utc_the_day_before() -> None:
    assert local_day_bounds(date(2026, 7, 1)) == (at("2026-06-30T23:00"), at("2026-07-01T23:00"))
    assert local_date(at("2026-06-30T23:30")) == date(2026, 7, 1)
    assert local_date(at("2026-06-30T23:30"), UTC) == date(2026, 6, 30)


def test_a_nonexistent_local_time_moves_to_the_instant_clocks_jump() -> None:
    # 01:00-02:00 does not exist in London on 2026-03-29; clocks jump at 01:00 UTC.
    assert combine_local(date(2026, 3, 29), time(1, 30)) == at("2026-03-29T01:00")
    assert combine_local(date(2026, 3, 29), time(1, 0)) == at("2026-03-29T01:00")
    assert combine_local(date(2026, 3, 29), time(2, 0)) == at("2026-03-29T01:00")
    assert combine_local(date(2026, 3, 29), time(0, 59)) == at("2026-03-29T00:59")


def test_an_ambiguous_local_time_is_the_first_occurrence_unless_fold_says_otherwise() -> None:
    assert combine_local(date(2026, 10, 25), time(1, 30)) == at("2026-10-25T00:30")
    assert combine_local(date(2026, 10, 25), time(1, 30), fold=1) == at("2026-10-25T01:30")


def test_a_gap_in_another_zone_is_handled_the_same_way() -> None:
    # New York springs forward at 02:00 local (07:00 UTC) on 2026-03-08.
    new_york = ZoneInfo("America/New_York")

    assert combine_local(date(2026, 3, 8), time(2, 30), new_york) == at("2026-03-08T07:00")


def test_combine_local_refuses_an_aware_time() -> None:
    with pytest.raises(ValueError, match="naive"):
        combine_local(date(2026, 1, 1), time(1, tzinfo=UTC))


def test_merge_periods_joins_overlapping_and_touching_periods_and_drops_empty_ones() -> None:
    a, b, c, d, e = (at(f"2026-01-01T0{h}:00") for h in range(5))

    assert merge_periods([(c, d), (a, b), (b, c), (d, d), (a, b)]) == [(a, d)]
    assert merge_periods([(a, e), (b, c)]) == [(a, e)]
    assert merge_periods([(a, b), (c, d)]) == [(a, b), (c, d)]


def test_a_window_over_midnight_is_current_from_yesterdays_start() -> None:
    window = LocalWindow(time(22), time(6))
    now = at("2026-01-10T03:00")

    assert window.spans_midnight
    assert window.instance_at(now) == (at("2026-01-09T22:00"), at("2026-01-10T06:00"))
    assert window.contains(now)


def test_after_todays_instance_ends_the_next_one_is_tomorrows() -> None:
    window = LocalWindow(time(9), time(17))

    assert not window.spans_midnight
    assert window.instance_at(at("2026-01-10T08:00")) == (
        at("2026-01-10T09:00"),
        at("2026-01-10T17:00"),
    )
    assert window.instance_at(at("2026-01-10T17:00")) == (
        at("2026-01-11T09:00"),
        at("2026-01-11T17:00"),
    )
    assert not window.contains(at("2026-01-10T17:00"))


def test_a_window_with_equal_ends_lasts_a_whole_day() -> None:
    window = LocalWindow(time(0), time(0))

    assert window.bounds_on(date(2026, 3, 29)) == local_day_bounds(date(2026, 3, 29))
    assert window.contains(at("2026-03-29T12:00"))


def test_a_window_over_the_spring_night_is_an_hour_shorter() -> None:
    start, end = LocalWindow(time(22), time(6)).bounds_on(date(2026, 3, 28))

    assert (start, end) == (at("2026-03-28T22:00"), at("2026-03-29T05:00"))
    assert end - start == timedelta(hours=7)


def test_a_window_takes_naive_times_only() -> None:
    with pytest.raises(ValueError, match="naive"):
        LocalWindow(time(1, tzinfo=UTC), time(2))
