"""Upgrading an install whose entity ids were named after the devices (entry version 1.1).

The registry is filled as the earlier version left it: devices named "Electricity import meter",
"Gas meter"... and entity ids made from them, with ``_2`` for the second account's. After the
upgrade the generated ids follow the per-meter scheme (README), the registry entries (unique ids,
the user's names and icons) are the same ones, and an id the user chose is left alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er, restore_state
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_restore_cache

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_DEVICES,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    DOMAIN,
)
from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    ACCOUNT_INTELLIGENT,
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    GAS_METER_SERIAL,
    GAS_MPRN,
    INTELLIGENT_METER_SERIAL,
    INTELLIGENT_MPAN,
    VEHICLE_DEVICE_ID,
)
from tests.ids import AGILE_ACCOUNT, AGILE_EXPORT, AGILE_GAS, AGILE_IMPORT, INTELLIGENT_IMPORT

from ..conftest import intelligent_go_entry, settle

AT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
OLD_EVENT = "event.electricity_import_meter_current_day_rates"
OPTIONS = {CONF_IMPORT_STATISTICS: False, CONF_HOME_MINI: False, CONF_BACKFILL_DAYS: 1}

# The earlier version's device identifiers and unique ids, as it wrote them.
AGILE_IMPORT_KEY = f"electricity_import_{AGILE_IMPORT_MPAN}_{AGILE_METER_SERIAL}"
AGILE_EXPORT_KEY = f"electricity_export_{AGILE_EXPORT_MPAN}_{AGILE_METER_SERIAL}"
AGILE_GAS_KEY = f"gas_import_{GAS_MPRN}_{GAS_METER_SERIAL}"
INTELLIGENT_KEY = f"electricity_import_{INTELLIGENT_MPAN}_{INTELLIGENT_METER_SERIAL}"

# (entry, device identifier, device name, platform, unique-id tail, translation key, old id)
OLD_INSTALL = [
    (ACCOUNT_AGILE, f"meter_{AGILE_IMPORT_KEY}", "Electricity import meter", "sensor",
     f"{AGILE_IMPORT_KEY}_current_rate", "current_rate",
     "sensor.electricity_import_meter_current_rate"),
    (ACCOUNT_AGILE, f"meter_{AGILE_IMPORT_KEY}", "Electricity import meter", "event",
     f"{AGILE_IMPORT_KEY}_current_day_rates", "current_day_rates",
     "event.electricity_import_meter_current_day_rates"),
    (ACCOUNT_AGILE, f"meter_{AGILE_IMPORT_KEY}", "Electricity import meter", "sensor",
     f"{AGILE_IMPORT_KEY}_today_minimum_rate", "today_minimum_rate",
     "sensor.electricity_import_meter_lowest_rate_today"),
    (ACCOUNT_AGILE, f"meter_{AGILE_IMPORT_KEY}", "Electricity import meter", "sensor",
     f"{AGILE_IMPORT_KEY}_next_rate", "next_rate", "sensor.my_next_price"),
    (ACCOUNT_AGILE, f"meter_{AGILE_EXPORT_KEY}", "Electricity export meter", "sensor",
     f"{AGILE_EXPORT_KEY}_current_rate", "current_rate",
     "sensor.electricity_export_meter_current_rate"),
    (ACCOUNT_AGILE, f"meter_{AGILE_EXPORT_KEY}", "Electricity export meter", "binary_sensor",
     f"{AGILE_EXPORT_KEY}_negative_price", "negative_price",
     "binary_sensor.electricity_export_meter_negative_price"),
    (ACCOUNT_AGILE, f"meter_{AGILE_GAS_KEY}", "Gas meter", "sensor",
     f"{AGILE_GAS_KEY}_current_standing_charge", "current_standing_charge",
     "sensor.gas_meter_current_standing_charge"),
    (ACCOUNT_AGILE, f"account_{ACCOUNT_AGILE}", "Octopus account", "sensor",
     "account_balance", "balance", "sensor.octopus_account_balance"),
    (ACCOUNT_INTELLIGENT, f"meter_{INTELLIGENT_KEY}", "Electricity import meter", "sensor",
     f"{INTELLIGENT_KEY}_current_rate", "current_rate",
     "sensor.electricity_import_meter_current_rate_2"),
    (ACCOUNT_INTELLIGENT, f"meter_{INTELLIGENT_KEY}", "Electricity import meter", "binary_sensor",
     f"{INTELLIGENT_KEY}_off_peak", "tariff_off_peak",
     "binary_sensor.electricity_import_meter_off_peak"),
    (ACCOUNT_INTELLIGENT, f"smartflex_{VEHICLE_DEVICE_ID}", "Family car", "binary_sensor",
     f"smartflex_{VEHICLE_DEVICE_ID}_dispatching", "dispatching",
     "binary_sensor.family_car_dispatching"),
]  # fmt: skip

EXPECTED = {
    f"{ACCOUNT_AGILE}_{AGILE_IMPORT_KEY}_current_rate": f"sensor.{AGILE_IMPORT}_current_rate",
    f"{ACCOUNT_AGILE}_{AGILE_IMPORT_KEY}_current_day_rates": (
        f"event.{AGILE_IMPORT}_current_day_rates"
    ),
    f"{ACCOUNT_AGILE}_{AGILE_IMPORT_KEY}_today_minimum_rate": (
        f"sensor.{AGILE_IMPORT}_lowest_rate_today"
    ),
    f"{ACCOUNT_AGILE}_{AGILE_IMPORT_KEY}_next_rate": "sensor.my_next_price",  # the user's
    f"{ACCOUNT_AGILE}_{AGILE_EXPORT_KEY}_current_rate": f"sensor.{AGILE_EXPORT}_current_rate",
    f"{ACCOUNT_AGILE}_{AGILE_EXPORT_KEY}_negative_price": (
        f"binary_sensor.{AGILE_EXPORT}_negative_price"
    ),
    f"{ACCOUNT_AGILE}_{AGILE_GAS_KEY}_current_standing_charge": (
        f"sensor.{AGILE_GAS}_current_standing_charge"
    ),
    f"{ACCOUNT_AGILE}_account_balance": f"sensor.{AGILE_ACCOUNT}_balance",
    f"{ACCOUNT_INTELLIGENT}_{INTELLIGENT_KEY}_current_rate": (
        f"sensor.{INTELLIGENT_IMPORT}_current_rate"
    ),
    f"{ACCOUNT_INTELLIGENT}_{INTELLIGENT_KEY}_off_peak": (
        f"binary_sensor.{INTELLIGENT_IMPORT}_off_peak"
    ),
    # A SmartFlex device's entities are named after the device: they stay.
    f"{ACCOUNT_INTELLIGENT}_smartflex_{VEHICLE_DEVICE_ID}_dispatching": (
        "binary_sensor.family_car_dispatching"
    ),
}


def old_entry(entry_data: dict[str, Any]) -> MockConfigEntry:
    data = dict(entry_data)
    title = data.pop("title")
    data[CONF_DEVICES] = []
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=data["account_number"],
        data=data,
        options=OPTIONS,
        version=1,
        minor_version=1,
    )


def register_old_install(hass: HomeAssistant, entries: dict[str, MockConfigEntry]) -> None:
    """Devices and entities as version 1.1 registered them."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    for account, identifier, name, platform, tail, key, old_id in OLD_INSTALL:
        entry = entries[account]
        device = devices.async_get_or_create(
            config_entry_id=entry.entry_id, identifiers={(DOMAIN, identifier)}, name=name
        )
        registered = entities.async_get_or_create(
            platform,
            DOMAIN,
            f"{account}_{tail}",
            config_entry=entry,
            device_id=device.id,
            has_entity_name=True,
            suggested_object_id=old_id.split(".", 1)[1],
            translation_key=key,
        )
        assert registered.entity_id == old_id


async def test_an_upgrade_moves_generated_ids_and_keeps_the_users_own(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry_data: dict[str, Any],
    octopus_simulator: Any,
) -> None:
    freezer.move_to(AT)
    agile = old_entry(entry_data)
    intelligent = intelligent_go_entry(octopus_simulator, OPTIONS)
    assert intelligent.minor_version == 1  # written by the earlier version too
    entries = {ACCOUNT_AGILE: agile, ACCOUNT_INTELLIGENT: intelligent}
    for entry in entries.values():
        entry.add_to_hass(hass)
    register_old_install(hass, entries)
    entities = er.async_get(hass)
    # The user's own touches on the entries that move.
    balance_id = entities.async_get_entity_id("sensor", DOMAIN, f"{ACCOUNT_AGILE}_account_balance")
    assert balance_id is not None
    entities.async_update_entity(balance_id, name="Octopus balance", icon="mdi:bank")
    # What Home Assistant saved at the last stop to restore the day-rates event with.
    mock_restore_cache(
        hass, [State(OLD_EVENT, "2026-01-15T11:00:00.000+00:00", {"event_type": "rates_updated"})]
    )
    registry_ids = {
        unique_id: entities.async_get_entity_id(entity_id.split(".")[0], DOMAIN, unique_id)
        for unique_id, entity_id in EXPECTED.items()
    }
    entry_ids = {
        unique_id: entities.async_get(entity_id).id  # type: ignore[union-attr]
        for unique_id, entity_id in registry_ids.items()
        if entity_id is not None
    }

    # Setting up one entry loads the integration, and with it every entry.
    assert await hass.config_entries.async_setup(agile.entry_id)
    await settle(hass)

    for entry in entries.values():
        assert (entry.version, entry.minor_version) == (1, 2)
    moved = {
        unique_id: entities.async_get_entity_id(entity_id.split(".")[0], DOMAIN, unique_id)
        for unique_id, entity_id in EXPECTED.items()
    }
    assert moved == EXPECTED
    for unique_id, entity_id in EXPECTED.items():
        # The same registry entries, renamed: not new ones.
        assert entities.async_get(entity_id).id == entry_ids[unique_id]  # type: ignore[union-attr]
        assert hass.states.get(entity_id) is not None, entity_id
    balance = entities.async_get(f"sensor.{AGILE_ACCOUNT}_balance")
    assert balance is not None
    assert (balance.name, balance.icon) == ("Octopus balance", "mdi:bank")
    assert hass.states.get(f"sensor.{AGILE_ACCOUNT}_balance").name == "Octopus balance"  # type: ignore[union-attr]
    saved = restore_state.async_get(hass).last_states
    assert OLD_EVENT not in saved
    assert saved[f"event.{AGILE_IMPORT}_current_day_rates"].state.state == (
        "2026-01-15T11:00:00.000+00:00"
    )
    # No state is left under an old generated id, and nothing got a "_2".
    for *_, old_id in OLD_INSTALL:
        if old_id not in ("sensor.my_next_price", "binary_sensor.family_car_dispatching"):
            assert hass.states.get(old_id) is None, old_id
    ours = [e.entity_id for e in entities.entities.values() if e.platform == DOMAIN]
    assert not [entity_id for entity_id in ours if entity_id.endswith("_2")]


async def test_a_new_install_starts_at_the_current_version(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry_data: dict[str, Any],
) -> None:
    """Nothing to migrate: set-up at 1.2 registers the per-meter ids straight away."""
    freezer.move_to(AT)
    entry = old_entry(entry_data)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        data=entry.data,
        options=OPTIONS,
        version=1,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    assert hass.states.get(f"sensor.{AGILE_IMPORT}_current_rate") is not None
    assert hass.states.get(f"event.{AGILE_IMPORT}_next_day_rates") is not None
    assert hass.states.get(f"sensor.{AGILE_ACCOUNT}_balance") is not None
