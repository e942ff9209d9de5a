"""Typing meters in by hand: for accounts the key cannot list, and extra meters."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.octopus_kraken.api import OctopusUnavailableError
from custom_components.octopus_kraken.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_URL,
    DOMAIN,
)
from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    ACCOUNT_NEIGHBOUR,
    GAS_METER_SERIAL,
    GAS_MPRN,
    NEIGHBOUR_API_KEY,
    NEIGHBOUR_METER_SERIAL,
    NEIGHBOUR_MPAN,
)

pytestmark = pytest.mark.usefixtures("mock_setup_entry")

NO_ACCOUNTS = "custom_components.octopus_kraken.api.OctopusClient.async_get_account_numbers"
VALID_MPAN = NEIGHBOUR_MPAN
# Same first twelve digits, wrong check digit.
WRONG_CHECK_DIGIT = NEIGHBOUR_MPAN[:12] + str((int(NEIGHBOUR_MPAN[12]) + 1) % 10)


async def _manual_form(hass: HomeAssistant, api_key: str, url: str) -> dict[str, Any]:
    """Reach the manual step the way a key that lists no account does."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    with patch(NO_ACCOUNTS, return_value=[]):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: api_key, CONF_URL: url}
        )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    return result


async def _type_in(hass: HomeAssistant, simulator: Any, typed: dict[str, Any]) -> dict[str, Any]:
    """Reach the manual step with the neighbour's key, then submit ``typed``."""
    result = await _manual_form(hass, NEIGHBOUR_API_KEY, simulator.url)
    return await hass.config_entries.flow.async_configure(result["flow_id"], typed)


async def test_a_key_that_lists_no_account_can_still_add_one_by_hand(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _type_in(
        hass,
        octopus_simulator,
        {
            CONF_ACCOUNT_NUMBER: " a-9c0ffee1 ",
            "mpan": VALID_MPAN,
            "electricity_serial": f" {NEIGHBOUR_METER_SERIAL.lower()} ",
            "electricity_tariff_code": "e-2r-var-22-11-01-l",
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == ACCOUNT_NEIGHBOUR
    assert result["title"].startswith("Octopus …FEE1 (3 Other Lane")
    assert result["data"][CONF_ELECTRICITY_METERS] == [
        {
            "mpan": VALID_MPAN,
            "serial_number": NEIGHBOUR_METER_SERIAL,
            "is_export": False,
            "tariff_code": "E-2R-VAR-22-11-01-L",
        }
    ]
    assert result["data"][CONF_GAS_METERS] == []
    assert result["data"][CONF_DEVICES] == []


async def test_export_and_gas_meters_can_be_typed_in_too(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _type_in(
        hass,
        octopus_simulator,
        {
            CONF_ACCOUNT_NUMBER: ACCOUNT_NEIGHBOUR,
            "export_mpan": VALID_MPAN,
            "export_serial": "EXP1",
            "mprn": "1234567",
            "gas_serial": "g1",
            "gas_tariff_code": "G-1R-VAR-22-11-01-L",
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_ELECTRICITY_METERS] == [
        {"mpan": VALID_MPAN, "serial_number": "EXP1", "is_export": True}
    ]
    assert result["data"][CONF_GAS_METERS] == [
        {"mprn": "1234567", "serial_number": "G1", "tariff_code": "G-1R-VAR-22-11-01-L"}
    ]


async def test_each_wrong_value_gets_its_own_error_and_the_typing_is_kept(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    typed = {
        CONF_ACCOUNT_NUMBER: "A-123",
        "mpan": WRONG_CHECK_DIGIT,
        "electricity_serial": "   ",
        "electricity_tariff_code": "AGILE",
        "export_mpan": "12345",
        "export_serial": "S1",
        "export_tariff_code": "G-1R-VAR-22-11-01-L",  # a gas tariff on an electricity meter
        "mprn": "12345",
        "gas_serial": "",
        "gas_tariff_code": "G-1R-VAR-22-11-01-Z",  # no region Z
    }

    result = await _type_in(hass, octopus_simulator, typed)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        CONF_ACCOUNT_NUMBER: "invalid_account_number",
        "mpan": "invalid_mpan",
        "electricity_serial": "invalid_serial",
        "electricity_tariff_code": "invalid_tariff_code",
        "export_mpan": "invalid_mpan",
        "export_tariff_code": "invalid_tariff_code",
        "mprn": "invalid_mprn",
        "gas_serial": "invalid_serial",
        "gas_tariff_code": "invalid_tariff_code",
    }
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }
    assert suggested["mpan"] == WRONG_CHECK_DIGIT
    assert suggested["export_serial"] == "S1"


async def test_submitting_no_meter_at_all_asks_for_one(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _type_in(hass, octopus_simulator, {CONF_ACCOUNT_NUMBER: ACCOUNT_NEIGHBOUR})

    assert result["errors"] == {"base": "nothing_selected"}


async def test_an_account_the_key_cannot_read_is_refused_on_the_account_field(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _type_in(
        hass,
        octopus_simulator,
        {
            CONF_ACCOUNT_NUMBER: ACCOUNT_AGILE,
            "mpan": VALID_MPAN,
            "electricity_serial": "S1",
        },
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_ACCOUNT_NUMBER: "account_not_found"}


async def test_an_unreachable_api_while_checking_the_typed_account_is_reported(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _manual_form(hass, NEIGHBOUR_API_KEY, octopus_simulator.url)

    with patch(
        "custom_components.octopus_kraken.api.OctopusClient.async_get_account",
        side_effect=OctopusUnavailableError(),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_ACCOUNT_NUMBER: ACCOUNT_NEIGHBOUR, "mprn": "1234567", "gas_serial": "G1"},
        )

    assert result["errors"] == {"base": "cannot_connect"}


async def test_a_meter_typed_in_after_the_discovered_ones_is_added_to_them(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEIGHBOUR_API_KEY, CONF_URL: octopus_simulator.url}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"add_manual": True})
    assert result["step_id"] == "manual"
    assert CONF_ACCOUNT_NUMBER not in result["data_schema"].schema

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"mprn": GAS_MPRN, "gas_serial": GAS_METER_SERIAL}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert [m["mpan"] for m in result["data"][CONF_ELECTRICITY_METERS]] == [NEIGHBOUR_MPAN]
    assert result["data"][CONF_GAS_METERS] == [
        {"mprn": GAS_MPRN, "serial_number": GAS_METER_SERIAL}
    ]


async def test_a_discovered_meter_typed_in_again_keeps_the_typed_tariff(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEIGHBOUR_API_KEY, CONF_URL: octopus_simulator.url}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"add_manual": True})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "mpan": NEIGHBOUR_MPAN,
            "electricity_serial": NEIGHBOUR_METER_SERIAL,
            "electricity_tariff_code": "E-1R-AGILE-24-10-01-L",
        },
    )

    assert result["data"][CONF_ELECTRICITY_METERS] == [
        {
            "mpan": NEIGHBOUR_MPAN,
            "serial_number": NEIGHBOUR_METER_SERIAL,
            "is_export": False,
            "tariff_code": "E-1R-AGILE-24-10-01-L",
        }
    ]
