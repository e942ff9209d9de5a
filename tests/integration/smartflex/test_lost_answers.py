"""Mutations are not retried blindly: a lost answer is checked against the device's state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
import functools
from typing import Any
from unittest.mock import patch

from homeassistant.components.switch import SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.octopus_kraken.api import OctopusClient
from octopus_simulator.choices import LostAnswer
from octopus_simulator.switches import SWITCHES
from octopus_simulator.timeutil import local_at

from .conftest import BOOST, SMART, SetUpAt, state_of, vehicle

NOW = local_at(date(2025, 1, 8), time(18, 37))  # plugged in, before the night window


@pytest.fixture(autouse=True)
def short_timeouts() -> Iterator[None]:
    """A client that gives up after a second (the simulator stalls a lost answer for two)."""
    quick = functools.partial(OctopusClient, retry_base_delay=0.0, request_timeout=1.0)
    with patch("custom_components.octopus_kraken.OctopusClient", quick):
        yield


async def _switch(hass: HomeAssistant, service: str, entity_id: str) -> None:
    await hass.services.async_call("switch", service, {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.parametrize("lost", [v for v in SWITCHES["mutation_answer_lost"] if v])
async def test_a_boost_whose_answer_is_lost_is_reported_done_and_sent_once(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, lost: str
) -> None:
    await set_up_at(NOW)
    octopus_simulator.faults.timeout_seconds = 2.0
    octopus_simulator.state.choices.mutation_answer_lost = LostAnswer(lost)
    await _switch(hass, SERVICE_TURN_ON, BOOST)  # no error: the boost is running
    assert len(vehicle(octopus_simulator.state).boosts) == 1
    assert octopus_simulator.count(operation="UpdateBoostCharge") == 1  # never sent twice
    assert state_of(hass, BOOST) == "on"


@pytest.mark.parametrize("lost", [v for v in SWITCHES["mutation_answer_lost"] if v])
async def test_suspending_smart_charging_with_a_lost_answer_is_checked_not_repeated(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, lost: str
) -> None:
    await set_up_at(NOW)
    octopus_simulator.faults.timeout_seconds = 2.0
    octopus_simulator.state.choices.mutation_answer_lost = LostAnswer(lost)
    await _switch(hass, SERVICE_TURN_OFF, SMART)
    assert vehicle(octopus_simulator.state).suspended
    assert octopus_simulator.count(operation="UpdateDeviceSmartControl") == 1
    assert state_of(hass, SMART) == "off"


async def test_a_real_failure_is_still_an_error(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt
) -> None:
    """A 503 before anything happened: the device did not change, so the user is told."""
    await set_up_at(NOW)
    octopus_simulator.faults.inject("server_error", operation="updateBoostCharge")
    with pytest.raises(HomeAssistantError):
        await _switch(hass, SERVICE_TURN_ON, BOOST)
    assert vehicle(octopus_simulator.state).boosts == []
    assert octopus_simulator.count(operation="UpdateBoostCharge") == 1


async def test_boosting_while_a_boost_runs_is_not_an_error(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt
) -> None:
    await set_up_at(NOW)
    await _switch(hass, SERVICE_TURN_ON, BOOST)
    await _switch(hass, SERVICE_TURN_ON, BOOST)  # KT-CT-4357 BC_BOOST_CHARGE_IN_PROGRESS
    assert len(vehicle(octopus_simulator.state).boosts) == 1
    assert state_of(hass, BOOST) == "on"
