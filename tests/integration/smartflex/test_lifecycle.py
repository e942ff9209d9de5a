"""SmartFlex over time: restarts, devices added and removed, rate limits, quiet polling."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import CONF_DEVICES, DOMAIN
from octopus_simulator.scenario import ACCOUNT_INTELLIGENT, VEHICLE_DEVICE_ID
from octopus_simulator.timeutil import local_at

from ..conftest import Advance, setup_entry
from .conftest import (
    DISPATCHING,
    NEXT_START,
    OFF_PEAK,
    STATUS,
    SetUpAt,
    attrs,
    flex_requests,
    state_of,
    vehicle,
)

# Thursday 9 January 2025, 21:05: plugged in since 17:30, the plan settled.
NOW = local_at(date(2025, 1, 9), time(21, 5))


async def test_a_restart_shows_the_persisted_plan_without_asking_the_api(
    hass: HomeAssistant,
    octopus_simulator: Any,
    iog_entry: MockConfigEntry,
    set_up_at: SetUpAt,
    advance: Advance,
) -> None:
    """Planned and completed dispatches come back from the cache at once after a restart."""
    await set_up_at(NOW)
    planned = attrs(hass, DISPATCHING)["planned_dispatches"]
    completed = attrs(hass, DISPATCHING)["completed_dispatches"]
    assert planned
    assert completed
    await advance(NOW + timedelta(seconds=20))  # the cache is written
    assert await hass.config_entries.async_unload(iog_entry.entry_id)
    await hass.async_block_till_done()
    octopus_simulator.reset_log()

    assert await hass.config_entries.async_setup(iog_entry.entry_id)
    await hass.async_block_till_done()
    assert attrs(hass, DISPATCHING)["planned_dispatches"] == planned
    assert attrs(hass, DISPATCHING)["completed_dispatches"] == completed
    assert flex_requests(octopus_simulator) == []


async def test_a_device_added_to_the_account_appears_after_the_account_refresh(
    hass: HomeAssistant,
    octopus_simulator: Any,
    iog_entry: MockConfigEntry,
    set_up_at: SetUpAt,
) -> None:
    """A second car registered later gets its device and entities; the entry follows it."""
    await set_up_at(NOW)
    account = next(a for a in octopus_simulator.state.accounts if a.number == ACCOUNT_INTELLIGENT)
    second = replace(
        vehicle(octopus_simulator.state),
        id="00000000-0002-4000-803c-0000000b2003",
        name="Second car",
        boosts=[],
        history=[],
        added_at=dt_util.utcnow(),
    )
    account.devices.append(second)
    assert hass.states.get("binary_sensor.second_car_dispatching") is None

    await iog_entry.runtime_data.account.async_force_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert iog_entry.state is ConfigEntryState.LOADED
    assert second.id in iog_entry.data[CONF_DEVICES]
    assert state_of(hass, "binary_sensor.second_car_dispatching") in ("on", "off")
    assert state_of(hass, "sensor.second_car_status") == "live"
    assert state_of(hass, DISPATCHING) in ("on", "off")


async def test_a_device_removed_from_the_account_loses_its_device_and_entities(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
) -> None:
    """Once Octopus no longer lists the car, its device is removed at the next poll."""
    await set_up_at(NOW)
    registry = dr.async_get(hass)
    ident = {(DOMAIN, f"smartflex_{VEHICLE_DEVICE_ID}")}
    assert registry.async_get_device(identifiers=ident) is not None

    vehicle(octopus_simulator.state).removed_at = dt_util.utcnow()
    await advance(NOW + timedelta(minutes=5))
    assert registry.async_get_device(identifiers=ident) is None
    assert hass.states.get(DISPATCHING) is None


async def test_rate_limited_polls_keep_the_last_plan_and_cool_down(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
) -> None:
    """KT-CT-1199: entities keep their values and the next poll waits five minutes."""
    await set_up_at(NOW)
    before = state_of(hass, NEXT_START)
    octopus_simulator.faults.inject("graphql_rate_limit", count=1, path_contains="graphql")
    octopus_simulator.reset_log()
    await advance(NOW + timedelta(minutes=4))
    failed_at = flex_requests(octopus_simulator)[0].at
    assert state_of(hass, NEXT_START) == before
    assert state_of(hass, STATUS) == "live"

    await advance(failed_at + timedelta(minutes=4, seconds=50))
    assert len(flex_requests(octopus_simulator)) == 1
    await advance(failed_at + timedelta(minutes=8))
    assert len(flex_requests(octopus_simulator)) == 2
    assert state_of(hass, NEXT_START) == before


async def test_a_suspended_device_is_polled_only_every_half_hour(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
) -> None:
    """Smart control off: no plan to watch, so two requests an hour instead of twenty."""
    vehicle(octopus_simulator.state).suspended = True
    await set_up_at(NOW)
    assert state_of(hass, STATUS) == "smart_control_off"
    octopus_simulator.reset_log()
    await advance(NOW + timedelta(hours=2))
    assert 3 <= len(flex_requests(octopus_simulator)) <= 5


async def test_no_plan_available_is_an_empty_plan_not_an_error(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
) -> None:
    """KT-CT-4340: the entities are available and show nothing planned."""
    vehicle(octopus_simulator.state).planned_dispatches_unavailable = True
    await set_up_at(NOW)
    assert state_of(hass, DISPATCHING) == "off"
    assert state_of(hass, NEXT_START) == "unknown"
    assert attrs(hass, DISPATCHING)["planned_dispatches"] == []


async def test_a_device_the_user_did_not_choose_costs_no_request(
    hass: HomeAssistant,
    octopus_simulator: Any,
    iog_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    advance: Advance,
) -> None:
    """No SmartFlex device selected: no SmartFlex entities and no SmartFlex request."""
    iog_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(iog_entry, data={**iog_entry.data, CONF_DEVICES: []})
    freezer.move_to(NOW)
    assert await hass.config_entries.async_setup(iog_entry.entry_id)
    await hass.async_block_till_done()
    await advance(NOW + timedelta(minutes=30))
    assert hass.states.get(DISPATCHING) is None
    assert flex_requests(octopus_simulator) == []


async def test_off_peak_turns_on_at_half_past_eleven_without_a_poll(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
) -> None:
    """The fixed window starts at 23:30 sharp: the sensor switches on its own timer."""
    vehicle(octopus_simulator.state).suspended = True  # no plan, quiet polling
    start = local_at(date(2025, 1, 9), time(23, 20))
    await set_up_at(start)
    octopus_simulator.reset_log()
    await advance(start + timedelta(minutes=9, seconds=55))
    assert state_of(hass, OFF_PEAK) == "off"
    await advance(start + timedelta(minutes=10))
    assert state_of(hass, OFF_PEAK) == "on"
    assert flex_requests(octopus_simulator) == []


async def test_off_peak_now_exists_only_on_intelligent_octopus_go(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The Agile home's charger gets its dispatch entities but no "off-peak now" sensor."""
    freezer.move_to(NOW)
    await setup_entry(hass, mock_config_entry)
    assert state_of(hass, "binary_sensor.driveway_charger_dispatching") in ("on", "off")
    assert hass.states.get("binary_sensor.driveway_charger_off_peak_now") is None
