"""The cheapest-window binary sensor with the newer options, in a running Home Assistant.

Both bugs of issue 15 are reproduced here as a user saw them, beside the step-by-step proofs in
``test_plan.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant

from custom_components.octopus_kraken.domain.timeline import RateTimeline

from ..conftest import advance_time
from .conftest import OpenWindow, half_hourly, priced, utc, window_subentry, with_prices
from .test_binary_sensor import attrs, state

FIVE_MINUTES = timedelta(minutes=5)


async def _on_between(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, start: datetime, end: datetime
) -> list[datetime]:
    """The minutes (every 5) at which the sensor is on, moving the clock from ``start``."""
    on = []
    when = start
    while when < end:
        await advance_time(hass, freezer, when)
        if state(hass) == STATE_ON:
            on.append(when)
        when += FIVE_MINUTES
    return on


async def test_a_positive_offset_keeps_the_sensor_on_past_the_window_end(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, open_window: OpenWindow
) -> None:
    """06:00-07:00 chosen in a 00:00-07:00 window with +30 minutes: on 06:30-07:30."""
    prices = priced(
        utc(2026, 1, 15), utc(2026, 1, 17), {utc(2026, 1, 16, 6): 5, utc(2026, 1, 16, 6, 30): 5}
    )
    late = window_subentry(start="00:00:00", end="07:00:00", start_offset=30)
    await open_window(utc(2026, 1, 15, 21), late, prices=prices)

    on = await _on_between(hass, freezer, utc(2026, 1, 16, 6), utc(2026, 1, 16, 8))

    assert on[0] == utc(2026, 1, 16, 6, 30)
    assert on[-1] == utc(2026, 1, 16, 7, 25)
    assert len(on) == 12  # one hour in five-minute steps


async def test_a_partial_window_that_has_started_stays_on_only_for_the_duration(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, open_window: OpenWindow
) -> None:
    """Prices known to 03:00 only, rising: asked for 2 hours it is on 22:00-00:00, no longer."""
    rising = RateTimeline(
        with_prices(
            half_hourly(utc(2026, 1, 15, 12), utc(2026, 1, 16, 3), 40),
            {utc(2026, 1, 15, 22) + k * timedelta(minutes=30): 1 + k for k in range(10)},
        )
    )
    night = window_subentry(duration=2, allow_partial=True)
    await open_window(utc(2026, 1, 15, 21), night, prices=rising)

    on = await _on_between(hass, freezer, utc(2026, 1, 15, 21, 55), utc(2026, 1, 16, 3, 30))

    assert on[0] == utc(2026, 1, 15, 22)
    assert on[-1] == utc(2026, 1, 15, 23, 55)
    assert len(on) == 24  # two hours


async def test_the_running_period_shows_its_prices(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, open_window: OpenWindow
) -> None:
    """During the chosen hour: its start, end, duration and lowest, highest and mean price."""
    prices = priced(
        utc(2026, 1, 15), utc(2026, 1, 17), {utc(2026, 1, 16, 2): 20, utc(2026, 1, 16, 2, 30): 21}
    )
    await open_window(utc(2026, 1, 15, 21), window_subentry(), prices=prices)
    assert attrs(hass)["next_duration"] == 1.0
    assert attrs(hass)["current_start"] is None

    await advance_time(hass, freezer, utc(2026, 1, 16, 2, 10))

    shown = attrs(hass)
    assert state(hass) == STATE_ON
    assert shown["current_start"] == "2026-01-16T02:00:00+00:00"
    assert shown["current_end"] == "2026-01-16T03:00:00+00:00"
    assert (shown["current_duration"], shown["current_min_price"]) == (1.0, 0.2)
    assert (shown["current_max_price"], shown["current_average_price"]) == (0.21, 0.205)
    assert shown["next_start"] is None


async def test_at_most_switches_on_for_the_longest_block_that_fits(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, open_window: OpenWindow
) -> None:
    """Two hours under 25p asked, only 02:00-03:00 qualifies: on for that hour (exact: off)."""
    prices = priced(
        utc(2026, 1, 15), utc(2026, 1, 17), {utc(2026, 1, 16, 2): 20, utc(2026, 1, 16, 2, 30): 21}
    )
    window = window_subentry(duration=2, max_price=0.25, duration_mode="at_most")
    await open_window(utc(2026, 1, 15, 21), window, prices=prices)

    assert attrs(hass)["reason"] == "not_enough_slots"
    await advance_time(hass, freezer, utc(2026, 1, 16, 2, 30))
    assert state(hass) == STATE_ON
    await advance_time(hass, freezer, utc(2026, 1, 16, 3))
    assert state(hass) == STATE_OFF
