"""Entry set-up, unload, reload and removal as a user experiences them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_API_KEY, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_DEVICES,
    CONF_GAS_METERS,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    DOMAIN,
)
from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    ACCOUNT_INTELLIGENT,
    AGILE_METER_SERIAL,
    CHARGER_DEVICE_ID,
    GAS_MPRN,
)
from tests.ids import AGILE_ACCOUNT, AGILE_IMPORT

from ..conftest import Advance


def _identifiers(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    registry = dr.async_get(hass)
    return {
        ident
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        for domain, ident in device.identifiers
        if domain == DOMAIN
    }


async def test_set_up_creates_a_device_for_the_account_each_meter_and_each_smartflex_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert init_integration.state is ConfigEntryState.LOADED
    identifiers = _identifiers(hass, init_integration)

    assert f"account_{ACCOUNT_AGILE}" in identifiers
    assert f"smartflex_{CHARGER_DEVICE_ID}" in identifiers
    meters = {meter.key for meter in init_integration.runtime_data.meters}
    assert len(meters) == 3  # import, export and gas
    assert {f"meter_{key}" for key in meters} <= identifiers
    gas = dr.async_get(hass).async_get_device(
        identifiers={(DOMAIN, next(f"meter_{k}" for k in meters if k.startswith("gas")))}
    )
    assert gas is not None
    assert gas.via_device_id is not None


async def test_the_client_uses_home_assistants_shared_web_session(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    client = init_integration.runtime_data.client
    assert client._transport._session is async_get_clientsession(hass)


async def test_every_entity_has_a_unique_id_a_translated_name_and_a_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    entries = er.async_entries_for_config_entry(er.async_get(hass), init_integration.entry_id)

    assert entries
    for entry in entries:
        assert entry.unique_id
        assert entry.has_entity_name
        assert entry.translation_key, entry.entity_id
        assert entry.device_id is not None


async def test_actions_exist_before_any_account_is_added(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})

    assert hass.services.async_services_for_domain(DOMAIN)


async def test_unloading_leaves_no_polling_behind(
    hass: HomeAssistant,
    octopus_simulator: Any,
    init_integration: MockConfigEntry,
    advance: Advance,
) -> None:
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED
    octopus_simulator.reset_log()

    # A day in which every timer still scheduled falls due and fires.
    await advance(dt_util.utcnow() + timedelta(days=1))

    assert octopus_simulator.count() == 0
    assert all(
        state.state == "unavailable"
        for state in hass.states.async_all()
        if state.entity_id.split(".")[0] in ("sensor", "binary_sensor")
    )


async def test_changing_an_option_restarts_the_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    before = init_integration.runtime_data

    hass.config_entries.async_update_entry(
        init_integration, options={**init_integration.options, CONF_HOME_MINI: False}
    )
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data is not before


async def test_an_api_that_is_down_at_start_makes_home_assistant_retry(
    hass: HomeAssistant, octopus_simulator: Any, mock_config_entry: MockConfigEntry
) -> None:
    octopus_simulator.faults.inject("server_error", count=100)
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_a_rejected_key_at_start_asks_the_user_to_reauthenticate(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_API_KEY: "sk_live_revoked"}
    )

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_two_accounts_of_one_key_load_side_by_side_with_their_own_devices(
    hass: HomeAssistant, entry_data: dict[str, Any], octopus_simulator: Any
) -> None:
    data = {k: v for k, v in entry_data.items() if k != "title"}
    options = {CONF_IMPORT_STATISTICS: False}
    first = MockConfigEntry(domain=DOMAIN, unique_id=ACCOUNT_AGILE, data=data, options=options)
    second = MockConfigEntry(
        domain=DOMAIN,
        unique_id=ACCOUNT_INTELLIGENT,
        options=options,
        data={
            **data,
            CONF_ACCOUNT_NUMBER: ACCOUNT_INTELLIGENT,
            "electricity_meters": [],
            CONF_GAS_METERS: [],
            CONF_DEVICES: [],
        },
    )
    for entry in (first, second):
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert first.state is ConfigEntryState.LOADED
    assert second.state is ConfigEntryState.LOADED
    assert _identifiers(hass, second) == {f"account_{ACCOUNT_INTELLIGENT}"}
    assert f"account_{ACCOUNT_AGILE}" in _identifiers(hass, first)


async def test_a_meter_no_longer_selected_loses_its_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert any(GAS_MPRN in ident for ident in _identifiers(hass, init_integration))

    hass.config_entries.async_update_entry(
        init_integration, data={**init_integration.data, CONF_GAS_METERS: []}
    )
    await hass.async_block_till_done()

    identifiers = _identifiers(hass, init_integration)
    assert not any(GAS_MPRN in ident for ident in identifiers)
    assert any(AGILE_METER_SERIAL in ident for ident in identifiers)


@pytest.mark.usefixtures("init_integration")
async def test_removing_the_entry_deletes_its_caches(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    mock_config_entry: MockConfigEntry,
    advance: Advance,
) -> None:
    # Let the coordinators' delayed cache writes happen.
    await advance(dt_util.utcnow() + timedelta(seconds=30))
    ours = f"{DOMAIN}.{mock_config_entry.entry_id}."
    assert any(key.startswith(ours) for key in hass_storage)

    await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await advance(dt_util.utcnow() + timedelta(seconds=30))

    assert [key for key in hass_storage if key.startswith(ours)] == []


async def test_entities_carry_the_device_class_their_unit_implies(
    hass: HomeAssistant, entity_registry_enabled_by_default: None, init_integration: MockConfigEntry
) -> None:
    expected = {"kWh": "energy", "W": "power", "GBP": "monetary"}
    entries = er.async_entries_for_config_entry(er.async_get(hass), init_integration.entry_id)
    checked = 0
    for entry in entries:
        state = hass.states.get(entry.entity_id)
        assert state is not None, entry.entity_id
        unit = state.attributes.get("unit_of_measurement")
        if unit in expected:
            assert state.attributes.get("device_class") == expected[unit], entry.entity_id
            checked += 1
        if entry.translation_key in ("next_price_change", "latest_reading"):
            assert state.attributes.get("device_class") == "timestamp", entry.entity_id
    assert checked >= 8


async def test_diagnostic_entities_are_categorised_and_duplicates_start_disabled(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    entries = er.async_entries_for_config_entry(er.async_get(hass), init_integration.entry_id)
    by_key: dict[str, list[er.RegistryEntry]] = {}
    for entry in entries:
        by_key.setdefault(entry.translation_key or "", []).append(entry)

    assert by_key["latest_reading"]
    assert all(e.entity_category is EntityCategory.DIAGNOSTIC for e in by_key["latest_reading"])
    # The charge target and ready-by sensors repeat what the controls show.
    for key in ("charge_target", "ready_by"):
        assert by_key[key]
        assert all(e.disabled_by is er.RegistryEntryDisabler.INTEGRATION for e in by_key[key])
    # Everything a user acts on is a primary entity, enabled.
    for key in ("current_rate", "balance", "dispatching", "boost_charge"):
        assert all(e.entity_category is None and e.disabled_by is None for e in by_key[key])


async def test_a_failing_api_makes_live_values_unavailable_and_is_logged_once(
    hass: HomeAssistant,
    octopus_simulator: Any,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The balance goes unavailable, published prices stay; one error, then one recovery line."""
    account = init_integration.runtime_data.account
    balance = f"sensor.{AGILE_ACCOUNT}_balance"
    price = f"sensor.{AGILE_IMPORT}_current_rate"
    assert hass.states.get(balance).state not in ("unavailable", "unknown")  # type: ignore[union-attr]
    octopus_simulator.faults.inject("server_error", count=100, path_contains="/v1/graphql/")

    for _ in range(3):
        await account.async_force_refresh()
        await hass.async_block_till_done()

    assert hass.states.get(balance).state == "unavailable"  # type: ignore[union-attr]
    assert hass.states.get(price).state not in ("unavailable", "unknown")  # type: ignore[union-attr]
    failures = [r for r in caplog.records if "Error fetching account data" in r.getMessage()]
    assert len(failures) == 1
    assert failures[0].levelname == "ERROR"

    octopus_simulator.faults.clear()
    await account.async_force_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(balance).state == "45.23"  # type: ignore[union-attr]
    recovered = [r for r in caplog.records if "Fetching account data recovered" in r.getMessage()]
    assert len(recovered) == 1
