"""What a cheapest-window sensor shows over time, by stepping ``plan`` as the sensor does.

The sensor recomputes at each wake-up (``next_wakeup``); these tests step from one wake-up to the
next and add up when it is on, so they read the sensor's behaviour without starting Home
Assistant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from custom_components.octopus_kraken.api.models import Rate
from custom_components.octopus_kraken.cheapest_model import WindowResult, WindowSettings, plan
from custom_components.octopus_kraken.domain.time import LONDON, Period
from custom_components.octopus_kraken.domain.timeline import RateTimeline

HALF = timedelta(minutes=30)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def prices(first: datetime, values: list[int]) -> RateTimeline:
    return RateTimeline(
        Rate(first + k * HALF, first + (k + 1) * HALF, Decimal(v), Decimal(v))
        for k, v in enumerate(values)
    )


def settings(**data: Any) -> WindowSettings:
    base: dict[str, Any] = {
        "meter": "import",
        "window_type": "fixed",
        "start": "22:00:00",
        "end": "07:00:00",
        "duration": 2,
        "mode": "continuous",
        "target": "cheapest",
        "prefer_latest": False,
        "start_offset": 0,
        "allow_partial": False,
    }
    return WindowSettings.from_data({**base, **data})


def on_periods(
    window: WindowSettings,
    timeline: RateTimeline,
    start: datetime,
    end: datetime,
    revised: tuple[datetime, RateTimeline] | None = None,
) -> list[Period]:
    """When the sensor is on between ``start`` and ``end``, waking as the sensor wakes.

    ``revised``: at that instant the rates change (the sensor recomputes then too).
    """
    result: WindowResult | None = None
    now = start
    on: list[Period] = []
    while now < end:
        if revised is not None and now >= revised[0]:
            timeline = revised[1]
        result = plan(window, timeline, now, result, LONDON)
        wake = min(result.next_wakeup(now), end)
        if revised is not None and now < revised[0]:
            wake = min(wake, revised[0])
        if result.is_on(now):
            if on and on[-1][1] == now:
                on[-1] = (on[-1][0], wake)
            else:
                on.append((now, wake))
        now = wake
    return on


def test_a_partially_priced_window_that_has_started_runs_only_the_duration() -> None:
    """Asked for 2 hours with prices known to 03:00 only: on for 2 hours, not until 03:00."""
    # Rising prices: from any half-hour the cheapest block starts right there.
    timeline = prices(utc(2026, 1, 15, 22), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    window = settings(allow_partial=True)

    on = on_periods(window, timeline, utc(2026, 1, 15, 21), utc(2026, 1, 16, 8))

    assert on == [(utc(2026, 1, 15, 22), utc(2026, 1, 16, 0))]


def test_an_intermittent_partial_window_runs_only_the_duration() -> None:
    """Intermittent, 2 hours, prices to 03:00: four half-hours in all."""
    timeline = prices(utc(2026, 1, 15, 22), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    window = settings(allow_partial=True, mode="intermittent")

    on = on_periods(window, timeline, utc(2026, 1, 15, 21), utc(2026, 1, 16, 8))

    assert sum((b - a for a, b in on), timedelta(0)) == timedelta(hours=2)


def test_a_positive_start_offset_runs_past_the_window_end() -> None:
    """06:00-07:00 chosen, +30 minutes: on 06:30-07:30, not cut at 07:00."""
    timeline = prices(utc(2026, 1, 15, 22), [9] * 16 + [1, 1] + [9] * 40)
    window = settings(duration=1, start_offset=30)

    on = on_periods(window, timeline, utc(2026, 1, 15, 21), utc(2026, 1, 16, 9))

    assert on == [(utc(2026, 1, 16, 6, 30), utc(2026, 1, 16, 7, 30))]


def _revision() -> tuple[RateTimeline, tuple[datetime, RateTimeline]]:
    """Cheapest at 23:00 and 03:00; at 23:45 04:00 becomes the cheapest half-hour."""
    before = [9] * 40
    before[2] = before[10] = 1
    after = list(before)
    after[12] = 0
    first = utc(2026, 1, 15, 22)
    return prices(first, before), (utc(2026, 1, 15, 23, 45), prices(first, after))


def test_before_start_keeps_a_choice_once_the_window_has_started() -> None:
    """The default for fixed windows: revised prices mid-window change nothing."""
    timeline, revised = _revision()
    window = settings(duration=1, mode="intermittent")

    on = on_periods(window, timeline, utc(2026, 1, 15, 21), utc(2026, 1, 16, 8), revised)

    assert on == [
        (utc(2026, 1, 15, 23), utc(2026, 1, 15, 23, 30)),
        (utc(2026, 1, 16, 3), utc(2026, 1, 16, 3, 30)),
    ]


def test_always_searches_again_but_keeps_the_half_hours_already_run() -> None:
    """Re-evaluated always: 23:00 has run and stays counted; 04:00 replaces 03:00."""
    timeline, revised = _revision()
    window = settings(duration=1, mode="intermittent", re_evaluate="always")

    on = on_periods(window, timeline, utc(2026, 1, 15, 21), utc(2026, 1, 16, 8), revised)

    assert on == [
        (utc(2026, 1, 15, 23), utc(2026, 1, 15, 23, 30)),
        (utc(2026, 1, 16, 4), utc(2026, 1, 16, 4, 30)),
    ]


def test_never_keeps_a_choice_found_before_the_window_started() -> None:
    """Found at 21:00 for 22:00-07:00; prices revised at 21:30 make no difference."""
    timeline, (_, after) = _revision()
    window = settings(duration=0.5, mode="intermittent", re_evaluate="never")
    start = utc(2026, 1, 15, 21)

    on = on_periods(window, timeline, start, utc(2026, 1, 16, 8), (start + HALF, after))

    assert on == [(utc(2026, 1, 15, 23), utc(2026, 1, 15, 23, 30))]


def test_a_rolling_window_searched_always_follows_new_prices() -> None:
    """Rolling, re-evaluated always: the revision at 23:45 moves the choice to 04:00."""
    timeline, revised = _revision()
    window = settings(
        window_type="rolling", hours=6, duration=0.5, mode="intermittent", re_evaluate="always"
    )

    # Until 04:30: from then on every half-hour left in the window costs the same.
    on = on_periods(window, timeline, utc(2026, 1, 15, 23, 40), utc(2026, 1, 16, 4, 30), revised)

    assert on == [(utc(2026, 1, 16, 4), utc(2026, 1, 16, 4, 30))]


def test_a_rolling_window_searched_before_start_keeps_a_run_that_has_begun() -> None:
    """Rolling, 1 hour from 22:00 in a 2-hour window: a cheaper later hour does not stop it."""
    first = utc(2026, 1, 15, 22)
    timeline = prices(first, [1, 1, 5, 5, 0, 0, 9, 9, 9, 9])
    window = settings(window_type="rolling", hours=2, duration=1, re_evaluate="before_start")

    on = on_periods(window, timeline, first, utc(2026, 1, 16, 1))

    # Chosen at 22:00 (22:00-23:00); at 22:30 the window reaches 00:00-00:30 (0p) but the run
    # has begun and is kept to its end; afterwards the search moves on to the 0p hour.
    assert on == [(first, utc(2026, 1, 15, 23)), (utc(2026, 1, 16, 0), utc(2026, 1, 16, 1))]


def test_a_rolling_window_skips_a_nearly_finished_slot_but_finishes_a_running_one() -> None:
    """With 10 minutes required, at 22:25 the window starts at 22:30; a slot chosen earlier
    and running still runs to its end."""
    first = utc(2026, 1, 15, 22)
    timeline = prices(first, [1, 5, 5, 5, 5, 5])
    window = settings(window_type="rolling", hours=1, duration=0.5, min_minutes_left=10)

    early = plan(window, timeline, first + timedelta(minutes=5), None, LONDON)
    late = plan(window, timeline, first + timedelta(minutes=25), early, LONDON)

    assert early.window == (first, first + 2 * HALF)
    assert early.is_on(first + timedelta(minutes=5))
    assert late.window == (first + HALF, first + 3 * HALF)
    assert late.is_on(first + timedelta(minutes=25))  # 22:00's run is owed to 22:30
    assert [s.start for s in late.found.slots] == [first + HALF]
