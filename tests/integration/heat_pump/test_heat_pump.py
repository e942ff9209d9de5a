"""The heat pump (read-only) against the simulator: found in the device list, polled every five
minutes only when there is one, its connection always, its zone and hot water where given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    DOMAIN,
)
from octopus_simulator.heat_pumps import HEAT_PUMP_DEVICE_ID, HeatPump

from ..conftest import account_entry, advance_time, settle

START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)


def add_heat_pump(sim: Any, **settings: Any) -> HeatPump:
    pump = HeatPump(**settings)
    sim.state.accounts[0].heat_pump = pump
    return pump


async def set_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> None:
    freezer.move_to(START)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)


def state(hass: HomeAssistant, entity_id: str) -> str:
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found.state


async def test_the_heat_pump_s_connection_zone_and_hot_water_are_shown_and_followed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    pump = add_heat_pump(octopus_simulator)
    await set_up(hass, freezer, mock_config_entry)
    assert state(hass, "binary_sensor.cosy_6_connected") == "on"
    assert state(hass, "binary_sensor.cosy_6_climate_control") == "on"
    assert state(hass, "binary_sensor.cosy_6_hot_water_heating") == "off"
    assert float(state(hass, "sensor.cosy_6_zone_temperature")) == 19.8
    assert float(state(hass, "sensor.cosy_6_zone_target_temperature")) == 20.5
    assert float(state(hass, "sensor.cosy_6_hot_water_temperature")) == 47.0
    device = dr.async_get(hass).async_get_device({(DOMAIN, f"heat_pump_{HEAT_PUMP_DEVICE_ID}")})
    assert device is not None
    assert device.name == "Cosy 6"
    # Not a SmartFlex charger: no charging controls on it.
    ids = [e.entity_id for e in er.async_entries_for_device(er.async_get(hass), device.id)]
    assert not [e for e in ids if e.startswith(("switch.", "number.", "time."))]

    octopus_simulator.reset_log()
    pump.connected = False
    pump.water_heating_enabled = True
    await advance_time(hass, freezer, START + timedelta(minutes=6))
    assert state(hass, "binary_sensor.cosy_6_connected") == "off"
    assert state(hass, "binary_sensor.cosy_6_hot_water_heating") == "on"
    await advance_time(hass, freezer, START + timedelta(hours=1, minutes=1))
    polls = octopus_simulator.request_log.count(operation="heatPumpStatus")
    assert 10 <= polls <= 12  # every five minutes, never more often


async def test_an_api_that_refuses_the_zone_fields_still_gives_the_connection(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    add_heat_pump(octopus_simulator, detail_fields_known=False)
    await set_up(hass, freezer, mock_config_entry)
    assert state(hass, "binary_sensor.cosy_6_connected") == "on"
    # Field names the reference does not define, refused: shown as unavailable, not as values.
    assert state(hass, "sensor.cosy_6_zone_temperature") == "unavailable"
    assert state(hass, "binary_sensor.cosy_6_climate_control") == "unavailable"
    octopus_simulator.reset_log()
    await advance_time(hass, freezer, START + timedelta(minutes=31))
    # One request a poll: the refused document is not tried again (that would be two).
    assert 5 <= octopus_simulator.request_log.count(operation="heatPumpStatus") <= 7
    assert state(hass, "binary_sensor.cosy_6_connected") == "on"


async def test_a_status_the_api_cannot_fetch_makes_the_connection_unavailable_not_wrong(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    pump = add_heat_pump(octopus_simulator)
    await set_up(hass, freezer, mock_config_entry)
    pump.status_unavailable = True
    await advance_time(hass, freezer, START + timedelta(minutes=6))
    assert state(hass, "binary_sensor.cosy_6_connected") == "unavailable"
    pump.status_unavailable = False
    await advance_time(hass, freezer, START + timedelta(minutes=30))
    assert state(hass, "binary_sensor.cosy_6_connected") == "on"


async def test_an_account_without_a_heat_pump_never_asks_for_one(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    await set_up(hass, freezer, mock_config_entry)
    await advance_time(hass, freezer, START + timedelta(hours=1))
    assert octopus_simulator.request_log.count(operation="heatPumpStatus") == 0
    assert hass.states.get("binary_sensor.cosy_6_connected") is None


async def test_a_heat_pump_added_later_appears_at_the_account_s_regular_refresh_without_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    entry = account_entry(
        entry_data, {CONF_HOME_MINI: False, CONF_IMPORT_STATISTICS: False, CONF_BACKFILL_DAYS: 1}
    )
    await set_up(hass, freezer, entry)
    runtime = entry.runtime_data
    assert runtime.heat_pump is None
    add_heat_pump(octopus_simulator)
    octopus_simulator.reset_log()

    # The account is read again within six hours (it lists devices anyway).
    await advance_time(hass, freezer, START + timedelta(hours=6, minutes=10))
    assert entry.runtime_data is runtime  # no reload
    assert state(hass, "binary_sensor.cosy_6_connected") == "on"
    assert float(state(hass, "sensor.cosy_6_zone_temperature")) == 19.8
    log = octopus_simulator.request_log
    (listed,) = [r.at for r in log if r.operation_name == "Devices"]  # the account's refresh
    polls = [r.at for r in log if r.operation_name == "HeatPumpStatus"]
    # Asked for only once the device list had it, then every five minutes.
    assert polls
    assert min(polls) >= listed
    assert len(polls) <= 1 + (START + timedelta(hours=6, minutes=10) - listed) / timedelta(
        minutes=5
    )

    # From then on it is polled like one present at set-up.
    octopus_simulator.reset_log()
    await advance_time(hass, freezer, START + timedelta(hours=6, minutes=41))
    assert 5 <= octopus_simulator.request_log.count(operation="heatPumpStatus") <= 7
