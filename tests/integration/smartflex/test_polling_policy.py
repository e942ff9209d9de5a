"""SmartFlex polling follows what can change, whatever the API calls an idle device's state."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest

from octopus_simulator.dispatches import planned_dispatches
from octopus_simulator.switches import SWITCHES
from octopus_simulator.timeutil import local_at

from ..conftest import Advance
from .conftest import (
    DISPATCHING,
    SetUpAt,
    attrs,
    evening_with_early_dispatch,
    flex_requests,
    vehicle,
)

MORNING = datetime(2025, 1, 8, 9, 7, tzinfo=dt_util.UTC)


def _plan_in_simulator(octopus_simulator: Any) -> list[datetime]:
    scenario = octopus_simulator.state
    car = vehicle(scenario)
    return [
        w.start for w in planned_dispatches(scenario.seed, car, dt_util.utcnow(), scenario.dispatch)
    ]


def _plan_shown(hass: HomeAssistant) -> list[datetime]:
    return [d["start"] for d in attrs(hass, DISPATCHING)["planned_dispatches"]]


@pytest.mark.parametrize("idle_state", SWITCHES["unplugged_state"])
async def test_an_unplugged_device_is_polled_slowly_whatever_its_idle_state(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    idle_state: str,
) -> None:
    scenario = octopus_simulator.state
    scenario.choices.unplugged_state = idle_state
    vehicle(scenario).connected = False
    await set_up_at(MORNING)
    octopus_simulator.reset_log()
    await advance(MORNING + timedelta(hours=6))
    # Every 15-30 minutes: between two and four requests an hour, not twenty.
    assert 2 * 6 <= len(flex_requests(octopus_simulator)) <= 4 * 6 + 1


@pytest.mark.parametrize("no_plan_state", SWITCHES["no_plan_state"])
async def test_plan_changes_show_within_four_minutes_while_plugged_in(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    no_plan_state: str,
) -> None:
    scenario = octopus_simulator.state
    scenario.choices.no_plan_state = no_plan_state
    day, _ = evening_with_early_dispatch(scenario, date(2025, 1, 6))
    await set_up_at(local_at(day, time(17, 40)))  # plugged in since 17:30, a plan exists
    assert _plan_shown(hass) == _plan_in_simulator(octopus_simulator)
    # The planner revises the plan every half hour for three hours after plug-in.
    for revision in (time(18), time(18, 30), time(19), time(19, 30)):
        at = local_at(day, revision)
        await advance(at + timedelta(minutes=4))
        assert _plan_shown(hass) == _plan_in_simulator(octopus_simulator), revision
