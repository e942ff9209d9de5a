"""Boost, smart charging, charge target and ready-by: each calls its mutation, refusals and rate
limits raise translated errors, and no entity claims what did not happen."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.switch import SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.components.time import ATTR_TIME
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from octopus_simulator.timeutil import local_at

from .conftest import (
    BOOST,
    DISPATCHING,
    READY_BY,
    SMART,
    STATUS,
    TARGET,
    SetUpAt,
    attrs,
    state_of,
    vehicle,
)

# Wednesday 8 January 2025, 18:37: the car is plugged in, before the night window.
NOW = local_at(date(2025, 1, 8), time(18, 37))


@pytest.fixture
async def loaded(set_up_at: SetUpAt) -> MockConfigEntry:
    """The Intelligent Go entry, set up at 18:37."""
    return await set_up_at(NOW)


async def _call(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> None:
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_boost_starts_and_cancels_a_boost_charge(
    hass: HomeAssistant, octopus_simulator: Any, loaded: MockConfigEntry
) -> None:
    """Turning boost on boosts the car now (a BOOST dispatch); off cancels it."""
    assert state_of(hass, BOOST) == "off"
    await _call(hass, "switch", SERVICE_TURN_ON, BOOST)
    car = vehicle(octopus_simulator.state)
    assert len(car.boosts) == 1
    assert octopus_simulator.count(operation="UpdateBoostCharge") == 1
    assert state_of(hass, BOOST) == "on"
    assert state_of(hass, STATUS) == "boosting"
    assert state_of(hass, DISPATCHING) == "on"
    assert attrs(hass, DISPATCHING)["planned_dispatches"][0]["source"] == "bump-charge"

    await _call(hass, "switch", SERVICE_TURN_OFF, BOOST)
    assert car.boosts[0].cancelled_at is not None
    assert state_of(hass, BOOST) == "off"
    assert state_of(hass, STATUS) != "boosting"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"at_home": False}, "bc_device_not_at_home"),
        ({"fully_charged": True}, "bc_device_fully_charged"),
        ({"connected": False}, "bc_device_disconnected"),
    ],
)
async def test_a_refused_boost_names_the_reason_and_leaves_the_switch_off(
    hass: HomeAssistant,
    octopus_simulator: Any,
    loaded: MockConfigEntry,
    change: dict[str, Any],
    reason: str,
) -> None:
    """KT-CT-4357's reason becomes a translated error; the switch does not pretend."""
    car = vehicle(octopus_simulator.state)
    for name, value in change.items():
        setattr(car, name, value)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "switch", SERVICE_TURN_ON, BOOST)
    assert err.value.translation_key == f"boost_refused_{reason}"
    assert str(err.value)  # translated message, not the key
    assert state_of(hass, BOOST) == "off"
    assert car.boosts == []


async def test_a_rate_limited_action_raises_a_translated_error(
    hass: HomeAssistant, octopus_simulator: Any, loaded: MockConfigEntry
) -> None:
    """KT-CT-1199 on a mutation: the user is told to try later, nothing changes."""
    octopus_simulator.faults.inject("graphql_rate_limit", path_contains="graphql")
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "switch", SERVICE_TURN_OFF, SMART)
    assert err.value.translation_key == "control_rate_limited"
    assert state_of(hass, SMART) == "on"
    assert vehicle(octopus_simulator.state).suspended is False


async def test_smart_charging_suspends_and_resumes_smart_control(
    hass: HomeAssistant, octopus_simulator: Any, loaded: MockConfigEntry
) -> None:
    """Off suspends Octopus's control (status 'smart control off'); on gives it back."""
    car = vehicle(octopus_simulator.state)
    await _call(hass, "switch", SERVICE_TURN_OFF, SMART)
    assert car.suspended is True
    assert octopus_simulator.count(operation="UpdateDeviceSmartControl") == 1
    assert state_of(hass, SMART) == "off"
    assert state_of(hass, STATUS) == "smart_control_off"
    assert attrs(hass, DISPATCHING)["planned_dispatches"] == []

    await _call(hass, "switch", SERVICE_TURN_ON, SMART)
    assert car.suspended is False
    assert state_of(hass, SMART) == "on"
    assert state_of(hass, STATUS) == "live"


async def test_failed_smart_control_change_raises_and_keeps_the_state(
    hass: HomeAssistant, octopus_simulator: Any, loaded: MockConfigEntry
) -> None:
    """KT-CT-4358: a translated error naming the code; the switch stays on."""
    vehicle(octopus_simulator.state).smart_control_fails = True
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "switch", SERVICE_TURN_OFF, SMART)
    assert err.value.translation_key == "control_failed"
    assert state_of(hass, SMART) == "on"


async def test_charge_target_uses_the_device_bounds_and_sets_preferences(
    hass: HomeAssistant, octopus_simulator: Any, loaded: MockConfigEntry
) -> None:
    """The number shows 80 % within 10-100 in steps of 5; setting 90 keeps the ready-by time."""
    state = hass.states.get(TARGET)
    assert state is not None
    assert float(state.state) == 80
    assert (state.attributes["min"], state.attributes["max"], state.attributes["step"]) == (
        10,
        100,
        5,
    )
    await _call(hass, "number", SERVICE_SET_VALUE, TARGET, **{ATTR_VALUE: 90})
    car = vehicle(octopus_simulator.state)
    assert {s.max for s in car.schedules} == {90}
    assert {s.time for s in car.schedules} == {"07:00"}
    assert float(state_of(hass, TARGET)) == 90


async def test_charge_target_off_the_step_is_refused_before_any_request(
    hass: HomeAssistant, octopus_simulator: Any, loaded: MockConfigEntry
) -> None:
    """87 % is not a multiple of the 5 % step: a validation error, no mutation."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "number", SERVICE_SET_VALUE, TARGET, **{ATTR_VALUE: 87})
    assert err.value.translation_key == "charge_target_step"
    assert octopus_simulator.count(operation="SetDevicePreferences") == 0
    assert float(state_of(hass, TARGET)) == 80


async def test_ready_by_sets_the_time_and_refuses_times_outside_the_bounds(
    hass: HomeAssistant, octopus_simulator: Any, loaded: MockConfigEntry
) -> None:
    """08:30 is accepted and sent with the current target; 12:00 is outside 04:00-11:00."""
    assert state_of(hass, READY_BY) == "07:00:00"
    await _call(hass, "time", "set_value", READY_BY, **{ATTR_TIME: time(8, 30)})
    car = vehicle(octopus_simulator.state)
    assert {s.time for s in car.schedules} == {"08:30"}
    assert {s.max for s in car.schedules} == {80}
    assert state_of(hass, READY_BY) == "08:30:00"

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "time", "set_value", READY_BY, **{ATTR_TIME: time(12, 0)})
    assert err.value.translation_key == "ready_by_out_of_range"
    assert state_of(hass, READY_BY) == "08:30:00"


async def test_an_unknown_refusal_reason_is_shown_as_given(
    hass: HomeAssistant, octopus_simulator: Any, loaded: MockConfigEntry
) -> None:
    """A reason this version does not know still reaches the user, untranslated."""
    vehicle(octopus_simulator.state).boost_refusals = ["BC_SOMETHING_NEW"]
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "switch", SERVICE_TURN_ON, BOOST)
    assert err.value.translation_key == "boost_refused"
    assert err.value.translation_placeholders == {"reason": "BC_SOMETHING_NEW"}
    assert "BC_SOMETHING_NEW" in str(err.value)
    assert state_of(hass, BOOST) == "off"


async def test_a_rejected_key_during_an_action_starts_reauthentication(
    hass: HomeAssistant, octopus_simulator: Any, loaded: MockConfigEntry
) -> None:
    """The key stopped working: a translated error and a re-authentication flow."""
    octopus_simulator.faults.inject("auth_error", count=5, path_contains="graphql")
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "switch", SERVICE_TURN_OFF, SMART)
    assert err.value.translation_key == "auth_failed"
    flows = hass.config_entries.flow.async_progress()
    assert any(flow["context"]["source"] == "reauth" for flow in flows)
    assert state_of(hass, SMART) == "on"
