"""Reconfigure: change the key, the API address or the meters without removing the entry."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.octopus_kraken.const import (
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_URL,
)
from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    GAS_METER_SERIAL,
    GAS_MPRN,
    NEIGHBOUR_API_KEY,
)

HAND_GAS = {"mprn": "1234567", "serial_number": "G1", "tariff_code": "G-1R-VAR-22-11-01-C"}


def _defaults(result: dict[str, Any]) -> dict[str, Any]:
    return {
        str(key): key.default() if callable(key.default) else key.default
        for key in result["data_schema"].schema
    }


def _labels(result: dict[str, Any], field: str) -> dict[str, str]:
    for key, selector in result["data_schema"].schema.items():
        if key == field:
            return {o["value"]: o["label"] for o in selector.config["options"]}
    raise AssertionError(field)


async def test_unticking_a_meter_removes_it_and_restarts_the_entry(
    hass: HomeAssistant, octopus_simulator: Any, init_integration: MockConfigEntry
) -> None:
    result = await init_integration.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    # The key is never sent back to the browser.
    assert _defaults(result)[CONF_API_KEY] is vol.UNDEFINED

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: octopus_simulator.url}
    )
    assert result["step_id"] == "meters"
    defaults = _defaults(result)
    assert len(defaults[CONF_ELECTRICITY_METERS]) == 2
    assert defaults[CONF_GAS_METERS] == [f"{GAS_MPRN}:{GAS_METER_SERIAL}"]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_ELECTRICITY_METERS: defaults[CONF_ELECTRICITY_METERS],
            CONF_GAS_METERS: [],
            CONF_DEVICES: defaults[CONF_DEVICES],
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data[CONF_GAS_METERS] == []
    assert init_integration.data[CONF_API_KEY] == octopus_simulator.api_key
    assert init_integration.state is ConfigEntryState.LOADED
    assert all(meter.fuel.value != "gas" for meter in init_integration.runtime_data.meters)


async def test_submitting_everything_unchanged_still_restarts_the_entry(
    hass: HomeAssistant, octopus_simulator: Any, init_integration: MockConfigEntry
) -> None:
    before = init_integration.runtime_data
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: octopus_simulator.url}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data is not before


@pytest.mark.usefixtures("mock_setup_entry")
async def test_a_key_of_another_account_is_refused(
    hass: HomeAssistant, octopus_simulator: Any, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEIGHBOUR_API_KEY, CONF_URL: octopus_simulator.url}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mock_config_entry.data[CONF_API_KEY] == octopus_simulator.api_key


@pytest.mark.usefixtures("mock_setup_entry")
@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        ({CONF_API_KEY: "sk_live_wrong"}, {"base": "invalid_auth"}),
        ({CONF_URL: "not a url"}, {CONF_URL: "invalid_url"}),
        ({CONF_URL: "http://api.octopus.energy"}, {CONF_URL: "insecure_url"}),
    ],
)
async def test_a_wrong_key_or_address_is_reported_on_the_form(
    hass: HomeAssistant,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    typed: dict[str, str],
    errors: dict[str, str],
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: octopus_simulator.url, **typed}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == errors


async def test_meters_entered_by_hand_stay_selectable_with_their_tariff(
    hass: HomeAssistant,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    data = dict(mock_config_entry.data)
    data[CONF_GAS_METERS] = [*data[CONF_GAS_METERS], HAND_GAS]
    data[CONF_ELECTRICITY_METERS] = [
        {**item, "tariff_code": "E-1R-AGILE-24-10-01-C"} if item["mpan"] == AGILE_IMPORT_MPAN
        else item
        for item in data[CONF_ELECTRICITY_METERS]
    ]  # fmt: skip
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, data=data)

    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: octopus_simulator.url}
    )

    assert _labels(result, CONF_GAS_METERS)["1234567:G1"] == (
        "Gas …4567 (serial G1), tariff G-1R-VAR-22-11-01-C, entered by hand"
    )
    assert "1234567:G1" in _defaults(result)[CONF_GAS_METERS]

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert HAND_GAS in mock_config_entry.data[CONF_GAS_METERS]
    imported = next(
        m for m in mock_config_entry.data[CONF_ELECTRICITY_METERS] if m["mpan"] == AGILE_IMPORT_MPAN
    )
    assert imported["tariff_code"] == "E-1R-AGILE-24-10-01-C"
    assert imported["serial_number"] == AGILE_METER_SERIAL
    # The entry was not loaded: the flow restarted it itself.
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.usefixtures("mock_setup_entry")
async def test_an_account_with_nothing_discovered_is_reconfigured_by_hand(
    hass: HomeAssistant, octopus_simulator: Any, mock_config_entry: MockConfigEntry
) -> None:
    agile = next(a for a in octopus_simulator.state.accounts if a.number == ACCOUNT_AGILE)
    agile.properties.clear()
    agile.devices.clear()
    mock_config_entry.add_to_hass(hass)
    nothing = {CONF_GAS_METERS: [], CONF_ELECTRICITY_METERS: [], CONF_DEVICES: []}
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, **nothing}
    )

    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: octopus_simulator.url}
    )
    assert result["step_id"] == "manual"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"mprn": "1234567", "gas_serial": "g1"}
    )

    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_GAS_METERS] == [{"mprn": "1234567", "serial_number": "G1"}]
