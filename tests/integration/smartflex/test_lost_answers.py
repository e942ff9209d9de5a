"""Mutations are not retried blindly: a lost answer is checked against the device's state."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, time, timedelta
import functools
from typing import Any
from unittest.mock import patch

from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.switch import SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.components.time import ATTR_TIME
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.octopus_kraken.api import OctopusClient
from octopus_simulator.choices import LostAnswer
from octopus_simulator.switches import SWITCHES
from octopus_simulator.timeutil import local_at

from .conftest import BOOST, READY_BY, SMART, TARGET, SetUpAt, state_of, vehicle

NOW = local_at(date(2025, 1, 8), time(18, 37))  # plugged in, before the night window


@pytest.fixture(autouse=True)
def short_timeouts() -> Iterator[None]:
    """A client that gives up after a second (the simulator stalls a lost answer for two)."""
    quick = functools.partial(OctopusClient, retry_base_delay=0.0, request_timeout=1.0)
    with patch("custom_components.octopus_kraken.OctopusClient", quick):
        yield


async def _call(
    hass: HomeAssistant, freezer: Any, domain: str, service: str, entity_id: str, **data: Any
) -> None:
    """Call ``service`` while simulated time moves a second at a time.

    The client's timeout and the simulator's stall wait on the loop's clock, which the frozen
    clock holds still: time has to move for a lost answer to be given up on. (The ``advance``
    fixture cannot be used: it waits for Home Assistant's tasks, this service call among them.)
    """
    call = hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )
    task = asyncio.ensure_future(call)
    for _ in range(30):  # seconds of simulated time, far more than a lost answer needs
        for _ in range(200):
            if task.done():
                break
            await asyncio.sleep(0)
        if task.done():
            break
        now = dt_util.utcnow() + timedelta(seconds=1)
        freezer.move_to(now)
        async_fire_time_changed(hass, now)
    await task
    await hass.async_block_till_done()


async def _set_up_losing_answers(set_up_at: SetUpAt, octopus_simulator: Any, lost: str) -> None:
    """Set up at NOW with every mutation taking effect but its answer lost as ``lost`` says."""
    await set_up_at(NOW)
    octopus_simulator.faults.timeout_seconds = 2.0
    octopus_simulator.state.choices.mutation_answer_lost = LostAnswer(lost)


@pytest.mark.parametrize("lost", [v for v in SWITCHES["mutation_answer_lost"] if v])
async def test_a_boost_whose_answer_is_lost_is_reported_done_and_sent_once(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    freezer: Any,
    lost: str,
) -> None:
    await _set_up_losing_answers(set_up_at, octopus_simulator, lost)
    await _call(hass, freezer, "switch", SERVICE_TURN_ON, BOOST)  # no error: the boost is running
    assert len(vehicle(octopus_simulator.state).boosts) == 1
    assert octopus_simulator.count(operation="UpdateBoostCharge") == 1  # never sent twice
    assert state_of(hass, BOOST) == "on"


@pytest.mark.parametrize("lost", [v for v in SWITCHES["mutation_answer_lost"] if v])
async def test_suspending_smart_charging_with_a_lost_answer_is_checked_not_repeated(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    freezer: Any,
    lost: str,
) -> None:
    await _set_up_losing_answers(set_up_at, octopus_simulator, lost)
    await _call(hass, freezer, "switch", SERVICE_TURN_OFF, SMART)
    assert vehicle(octopus_simulator.state).suspended
    assert octopus_simulator.count(operation="UpdateDeviceSmartControl") == 1
    assert state_of(hass, SMART) == "off"


async def test_a_real_failure_is_still_an_error(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, freezer: Any
) -> None:
    """A 503 before anything happened: the device did not change, so the user is told."""
    await set_up_at(NOW)
    octopus_simulator.faults.inject("server_error", operation="updateBoostCharge")
    with pytest.raises(HomeAssistantError):
        await _call(hass, freezer, "switch", SERVICE_TURN_ON, BOOST)
    assert vehicle(octopus_simulator.state).boosts == []
    assert octopus_simulator.count(operation="UpdateBoostCharge") == 1


async def test_boosting_while_a_boost_runs_is_not_an_error(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, freezer: Any
) -> None:
    await set_up_at(NOW)
    await _call(hass, freezer, "switch", SERVICE_TURN_ON, BOOST)
    await _call(
        hass, freezer, "switch", SERVICE_TURN_ON, BOOST
    )  # KT-CT-4357 BC_BOOST_CHARGE_IN_PROGRESS
    assert len(vehicle(octopus_simulator.state).boosts) == 1
    assert state_of(hass, BOOST) == "on"


@pytest.mark.parametrize("lost", [v for v in SWITCHES["mutation_answer_lost"] if v])
async def test_preferences_whose_answer_is_lost_are_read_back_not_repeated(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    freezer: Any,
    lost: str,
) -> None:
    """Charge target and ready-by: the change took effect, so the user sees it, no error."""
    await _set_up_losing_answers(set_up_at, octopus_simulator, lost)
    await _call(hass, freezer, "number", SERVICE_SET_VALUE, TARGET, **{ATTR_VALUE: 90})
    await _call(hass, freezer, "time", "set_value", READY_BY, **{ATTR_TIME: time(8, 30)})
    car = vehicle(octopus_simulator.state)
    assert {(s.max, s.time) for s in car.schedules} == {(90, "08:30")}
    assert octopus_simulator.count(operation="SetDevicePreferences") == 2  # once each
    assert float(state_of(hass, TARGET)) == 90
    assert state_of(hass, READY_BY) == "08:30:00"


async def test_preferences_that_did_not_change_are_still_an_error(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, freezer: Any
) -> None:
    """A 503 before anything happened: the target is unchanged, so the user is told."""
    await set_up_at(NOW)
    octopus_simulator.faults.inject("server_error", operation="setDevicePreferences")
    with pytest.raises(HomeAssistantError):
        await _call(hass, freezer, "number", SERVICE_SET_VALUE, TARGET, **{ATTR_VALUE: 90})
    assert {s.max for s in vehicle(octopus_simulator.state).schedules} == {80}
    assert octopus_simulator.count(operation="SetDevicePreferences") == 1
    assert float(state_of(hass, TARGET)) == 80
