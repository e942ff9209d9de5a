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
    window: WindowSettings, timeline: RateTimeline, start: datetime, end: datetime
) -> list[Period]:
    """When the sensor is on between ``start`` and ``end``, waking as the sensor wakes."""
    result: WindowResult | None = None
    now = start
    on: list[Period] = []
    while now < end:
        result = plan(window, timeline, now, result, LONDON)
        wake = min(result.next_wakeup(now), end)
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
