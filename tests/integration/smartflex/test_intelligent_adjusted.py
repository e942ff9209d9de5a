"""Half-hours a smart-charging dispatch makes off-peak are marked for Predbat."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from homeassistant.core import HomeAssistant

from octopus_simulator.dispatches import actual_slots, session_on
from octopus_simulator.timeutil import local_at
from tests.ids import INTELLIGENT_IMPORT

from ..conftest import Advance
from .conftest import SetUpAt, evening_with_early_dispatch, vehicle
from .test_evening import FIRST_DAY

TODAY_EVENT = f"event.{INTELLIGENT_IMPORT}_current_day_rates"
TODAY_SENSOR = f"sensor.{INTELLIGENT_IMPORT}_current_day_rates"


async def test_dispatch_half_hours_outside_the_night_window_are_intelligent_adjusted(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, advance: Advance
) -> None:
    scenario = octopus_simulator.state
    day, early = evening_with_early_dispatch(scenario, FIRST_DAY)
    await set_up_at(local_at(day, time(17, 7)))
    before = hass.states.get(TODAY_EVENT)
    assert before is not None
    assert not any(item.get("is_intelligent_adjusted") for item in before.attributes["rates"])

    await advance(early + timedelta(minutes=2))
    car = vehicle(scenario)
    session = session_on(scenario.seed, car, day)
    assert session is not None
    night = local_at(day, time(23, 30))
    # The oracle: the half-hours the simulator dispatched (or will, the plan being final by
    # now) that fall outside the fixed 23:30-05:30 window, on this UK day.
    expected = {
        slot
        for slot in actual_slots(scenario.seed, car, session, scenario.dispatch)
        if local_at(day, time(5, 30)) <= slot < night
    }
    assert expected
    for entity_id in (TODAY_EVENT, TODAY_SENSOR):
        state = hass.states.get(entity_id)
        assert state is not None
        adjusted = {
            datetime.fromisoformat(item["start"])
            for item in state.attributes["rates"]
            if item.get("is_intelligent_adjusted") is True
        }
        assert adjusted == expected, entity_id
    after = hass.states.get(TODAY_EVENT)
    assert after is not None
    assert after.state != before.state  # the dispatch fired a rates_updated event
