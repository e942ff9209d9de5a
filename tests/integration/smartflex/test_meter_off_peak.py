"""The import meter's off-peak sensor through a real Intelligent Go evening of dispatches.

Its oracle is the car's own "off-peak now" sensor, which applies the billing rule (fixed window
plus dispatch half-hours) from the dispatches directly, where the meter's sensor reads prices.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from octopus_simulator.timeutil import local_at
from tests.ids import INTELLIGENT_IMPORT

from ..conftest import Advance
from .conftest import OFF_PEAK, SetUpAt, evening_with_early_dispatch, state_of

METER_OFF_PEAK = f"binary_sensor.{INTELLIGENT_IMPORT}_off_peak"
FIRST_DAY = date(2025, 1, 6)


async def test_the_meter_is_off_peak_exactly_when_the_car_says_it_is_billed_off_peak(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, advance: Advance
) -> None:
    """Every five minutes from the evening to the morning, the two agree; an early dispatch
    opens a window before 23:30."""
    day, early = evening_with_early_dispatch(octopus_simulator.state, FIRST_DAY)
    await set_up_at(local_at(day, time(17, 7)))
    seen_early = False
    now = dt_util.utcnow()
    end = local_at(day + timedelta(days=1), time(6))
    while now < end:
        now += timedelta(minutes=5)
        await advance(now)
        meter, car = state_of(hass, METER_OFF_PEAK), state_of(hass, OFF_PEAK)
        assert meter == car, now
        if early <= now < early + timedelta(minutes=30):
            assert meter == "on"
            start = dt_util.as_utc(hass.states.get(METER_OFF_PEAK).attributes["current_start"])
            assert start <= early
            seen_early = True
    assert seen_early
