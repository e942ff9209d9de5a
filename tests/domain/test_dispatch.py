"""Intelligent Octopus Go dispatches and off-peak pricing."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from itertools import pairwise

from hypothesis import given, settings, strategies as st

from custom_components.octopus_kraken.api.models import Dispatch, DispatchType
from custom_components.octopus_kraken.domain.dispatch import (
    FIXED_OFF_PEAK_WINDOW,
    MAX_EXTENDED_OFF_PEAK_PER_DAY,
    OFF_PEAK_END,
    OFF_PEAK_START,
    dispatch_half_hours,
    is_off_peak,
    rounded_to_half_hours,
    track_started_dispatches,
)
from custom_components.octopus_kraken.domain.time import HALF_HOUR, LONDON, local_date

from .helpers import at

WINTER_EVENING = at("2026-01-10T17:00")


def dispatch(start: str, end: str, kind: DispatchType = DispatchType.SMART) -> Dispatch:
    return Dispatch(at(start), at(end), kind)


def test_the_fixed_window_and_cap_are_as_octopus_publishes_them() -> None:
    assert time(23, 30) == OFF_PEAK_START
    assert time(5, 30) == OFF_PEAK_END
    assert timedelta(hours=6) == MAX_EXTENDED_OFF_PEAK_PER_DAY


def test_any_overlap_makes_the_whole_half_hour_off_peak() -> None:
    periods = dispatch_half_hours(
        [], [dispatch("2026-01-10T19:30", "2026-01-10T20:15")], WINTER_EVENING
    )

    assert periods == [(at("2026-01-10T19:30"), at("2026-01-10T20:30"))]
    assert rounded_to_half_hours(at("2026-01-10T19:45"), at("2026-01-10T19:50")) == (
        at("2026-01-10T19:30"),
        at("2026-01-10T20:00"),
    )
    assert rounded_to_half_hours(at("2026-01-10T19:45"), at("2026-01-10T19:45")) is None


def test_touching_and_overlapping_dispatches_merge_and_empty_ones_vanish() -> None:
    periods = dispatch_half_hours(
        [dispatch("2026-01-10T18:10", "2026-01-10T18:40")],
        [
            dispatch("2026-01-10T18:50", "2026-01-10T19:00"),
            dispatch("2026-01-10T21:00", "2026-01-10T21:00"),
            dispatch("2026-01-10T18:20", "2026-01-10T18:25"),
        ],
        WINTER_EVENING,
    )

    assert periods == [(at("2026-01-10T18:00"), at("2026-01-10T19:00"))]


def test_a_plan_withdrawn_before_it_started_never_counts() -> None:
    planned_at_six = [dispatch("2026-01-10T19:00", "2026-01-10T20:00")]
    remembered = track_started_dispatches([], planned_at_six, at("2026-01-10T18:00"))
    # At 18:30 the plan is empty: the dispatch was withdrawn before it began.
    remembered = track_started_dispatches(remembered, [], at("2026-01-10T18:30"))

    periods = dispatch_half_hours([], [], at("2026-01-10T21:00"), started=remembered)

    assert remembered == ()
    assert periods == []


def test_a_dispatch_cut_short_still_counts_until_it_was_last_seen_running() -> None:
    running = [dispatch("2026-01-10T19:00", "2026-01-10T21:00")]
    remembered = track_started_dispatches([], running, at("2026-01-10T19:10"))
    remembered = track_started_dispatches(remembered, [], at("2026-01-10T19:40"))

    periods = dispatch_half_hours([], [], at("2026-01-10T22:00"), started=remembered)

    assert remembered == (dispatch("2026-01-10T19:00", "2026-01-10T19:40"),)
    assert periods == [(at("2026-01-10T19:00"), at("2026-01-10T20:00"))]


def test_remembered_dispatches_follow_the_latest_plan_and_can_be_forgotten() -> None:
    finished = dispatch("2026-01-10T12:00", "2026-01-10T13:00")
    old_version = dispatch("2026-01-10T19:00", "2026-01-10T20:00")
    new_version = dispatch("2026-01-10T19:00", "2026-01-10T22:00")
    never_started = dispatch("2026-01-10T23:00", "2026-01-11T00:00")
    future = dispatch("2026-01-11T01:00", "2026-01-11T02:00")
    now = at("2026-01-10T19:30")

    kept = track_started_dispatches(
        [finished, old_version, never_started], [new_version, future], now
    )
    forgetful = track_started_dispatches(
        [finished, old_version], [new_version], now, forget_before=at("2026-01-10T18:00")
    )

    assert kept == (finished, new_version)
    assert forgetful == (new_version,)


def test_remembered_dispatches_that_had_not_started_by_now_are_ignored() -> None:
    periods = dispatch_half_hours(
        [],
        [],
        at("2026-01-10T18:00"),
        started=[dispatch("2026-01-10T19:00", "2026-01-10T20:00")],
    )

    assert periods == []


def test_extended_off_peak_is_capped_at_six_hours_a_day_earliest_first() -> None:
    periods = dispatch_half_hours(
        [dispatch("2026-01-10T08:00", "2026-01-10T12:00")],
        [dispatch("2026-01-10T12:00", "2026-01-10T16:00")],
        at("2026-01-10T12:10"),
    )

    assert periods == [(at("2026-01-10T08:00"), at("2026-01-10T14:00"))]


def test_half_hours_in_the_fixed_window_use_no_allowance_and_the_cap_resets_each_day() -> None:
    periods = dispatch_half_hours(
        [],
        [dispatch("2026-01-10T22:00", "2026-01-11T06:00")],
        WINTER_EVENING,
        daily_cap=timedelta(hours=1),
    )

    assert periods == [
        (at("2026-01-10T22:00"), at("2026-01-10T23:00")),
        (at("2026-01-10T23:30"), at("2026-01-11T06:00")),
    ]


def test_in_summer_the_cap_counts_local_days() -> None:
    # 22:00-23:30 UTC is 23:00-00:30 BST: 30 minutes on 1 July, then the window.
    periods = dispatch_half_hours(
        [],
        [dispatch("2026-06-30T20:00", "2026-06-30T23:30")],
        at("2026-06-30T12:00"),
        daily_cap=timedelta(hours=1),
    )

    assert periods == [
        (at("2026-06-30T20:00"), at("2026-06-30T21:00")),
        (at("2026-06-30T22:30"), at("2026-06-30T23:30")),
    ]


def test_without_a_cap_every_dispatch_half_hour_counts() -> None:
    periods = dispatch_half_hours(
        [], [dispatch("2026-01-10T06:00", "2026-01-10T23:00")], WINTER_EVENING, daily_cap=None
    )

    assert periods == [(at("2026-01-10T06:00"), at("2026-01-10T23:00"))]


def test_off_peak_is_the_fixed_window_in_local_time_or_a_dispatch() -> None:
    dispatches = [(at("2026-01-10T19:30"), at("2026-01-10T20:30"))]

    assert is_off_peak(at("2026-01-10T23:45"))
    assert is_off_peak(at("2026-01-11T05:29"))
    assert not is_off_peak(at("2026-01-11T05:30"))
    assert is_off_peak(at("2026-07-01T22:30"))  # 23:30 BST
    assert not is_off_peak(at("2026-07-01T23:30") + timedelta(hours=5))  # 05:30 BST
    assert is_off_peak(at("2026-01-10T20:00"), FIXED_OFF_PEAK_WINDOW, dispatches)
    assert not is_off_peak(at("2026-01-10T20:30"), FIXED_OFF_PEAK_WINDOW, dispatches)


dispatch_lists = st.lists(
    st.tuples(st.integers(0, 4 * 24 * 4), st.integers(0, 40)).map(
        lambda t: Dispatch(
            at("2026-03-27T12:00") + t[0] * timedelta(minutes=15),
            at("2026-03-27T12:00") + (t[0] + t[1]) * timedelta(minutes=15),
        )
    ),
    max_size=10,
)


@settings(max_examples=200, deadline=None)
@given(
    completed=dispatch_lists,
    planned=dispatch_lists,
    cap_half_hours=st.one_of(st.none(), st.integers(0, 16)),
)
def test_dispatch_half_hours_keep_the_window_and_cap_the_rest_earliest_first(
    completed: list[Dispatch], planned: list[Dispatch], cap_half_hours: int | None
) -> None:
    cap = None if cap_half_hours is None else cap_half_hours * HALF_HOUR
    touched: set[datetime] = set()
    for d in [*completed, *planned]:
        if d.start >= d.end:
            continue
        slot = d.start - (d.start - at("2026-01-01T00:00")) % HALF_HOUR
        while slot < d.end:
            touched.add(slot)
            slot += HALF_HOUR

    periods = dispatch_half_hours(completed, planned, at("2026-03-29T12:00"), daily_cap=cap)

    kept = {
        start + k * HALF_HOUR for start, end in periods for k in range((end - start) // HALF_HOUR)
    }
    assert kept <= touched
    inside = {s for s in touched if FIXED_OFF_PEAK_WINDOW.contains(s, LONDON)}
    assert inside <= kept
    per_day = Counter(local_date(s) for s in sorted(touched - inside))
    kept_per_day = Counter(local_date(s) for s in kept - inside)
    for day, count in per_day.items():
        assert kept_per_day[day] == (
            count if cap_half_hours is None else min(count, cap_half_hours)
        )
        # Earliest first: nothing dropped comes before something kept on the same day.
        dropped = [s for s in touched - kept if local_date(s) == day]
        kept_day = [s for s in kept - inside if local_date(s) == day]
        assert not dropped or not kept_day or max(kept_day) < min(dropped)
    assert all(end > start for start, end in periods)
    assert all(a[1] < b[0] for a, b in pairwise(periods))
