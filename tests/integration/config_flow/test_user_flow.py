"""Adding an account from the UI: the key, the account choice and the meter selection."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.api import (
    OctopusError,
    OctopusRateLimitError,
    OctopusUnavailableError,
)
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
    ACCOUNT_INTELLIGENT,
    ACCOUNT_NEIGHBOUR,
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    CHARGER_DEVICE_ID,
    GAS_METER_SERIAL,
    GAS_MPRN,
    INTELLIGENT_METER_SERIAL,
    INTELLIGENT_MPAN,
    NEIGHBOUR_API_KEY,
    NEIGHBOUR_METER_SERIAL,
    NEIGHBOUR_MPAN,
)

pytestmark = pytest.mark.usefixtures("mock_setup_entry")

AGILE_IMPORT = f"{AGILE_IMPORT_MPAN}:{AGILE_METER_SERIAL}"
AGILE_EXPORT = f"{AGILE_EXPORT_MPAN}:{AGILE_METER_SERIAL}"
AGILE_GAS = f"{GAS_MPRN}:{GAS_METER_SERIAL}"


async def _start(hass: HomeAssistant, api_key: str, url: str) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: api_key, CONF_URL: url}
    )


def _options(result: dict[str, Any], field: str) -> dict[str, str]:
    """The option values and labels a multi-select of the form offers."""
    for key, selector in result["data_schema"].schema.items():
        if key == field:
            return {o["value"]: o["label"] for o in selector.config["options"]}
    raise AssertionError(f"{field} not on the form")


async def test_a_key_with_one_account_goes_straight_to_its_meters_and_creates_the_entry(
    hass: HomeAssistant, octopus_simulator: Any, mock_setup_entry: AsyncMock
) -> None:
    result = await _start(hass, NEIGHBOUR_API_KEY, octopus_simulator.url)
    assert result["step_id"] == "meters"

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"].startswith("Octopus …FEE1 (3 Other Lane")
    assert result["result"].unique_id == ACCOUNT_NEIGHBOUR
    assert result["data"] == {
        CONF_API_KEY: NEIGHBOUR_API_KEY,
        CONF_URL: octopus_simulator.url,
        CONF_ACCOUNT_NUMBER: ACCOUNT_NEIGHBOUR,
        CONF_ELECTRICITY_METERS: [
            {"mpan": NEIGHBOUR_MPAN, "serial_number": NEIGHBOUR_METER_SERIAL, "is_export": False}
        ],
        CONF_GAS_METERS: [],
        CONF_DEVICES: [],
    }
    assert len(mock_setup_entry.mock_calls) == 1


async def test_a_key_with_two_accounts_asks_which_one_to_add(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _start(hass, octopus_simulator.api_key, octopus_simulator.url)
    assert result["step_id"] == "account"
    offered = result["data_schema"].schema[CONF_ACCOUNT_NUMBER].config["options"]
    assert offered == [ACCOUNT_AGILE, ACCOUNT_INTELLIGENT]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT_NUMBER: ACCOUNT_INTELLIGENT}
    )
    assert result["step_id"] == "meters"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_ACCOUNT_NUMBER] == ACCOUNT_INTELLIGENT
    assert result["data"][CONF_ELECTRICITY_METERS] == [
        {"mpan": INTELLIGENT_MPAN, "serial_number": INTELLIGENT_METER_SERIAL, "is_export": False}
    ]
    assert len(result["data"][CONF_DEVICES]) == 1


async def test_every_meter_and_device_is_offered_with_a_readable_label_and_preselected(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _start(hass, octopus_simulator.api_key, octopus_simulator.url)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT_NUMBER: ACCOUNT_AGILE}
    )

    assert _options(result, CONF_ELECTRICITY_METERS) == {
        AGILE_IMPORT: f"Electricity import …{AGILE_IMPORT_MPAN[-4:]} (serial …1234)",
        AGILE_EXPORT: f"Electricity export …{AGILE_EXPORT_MPAN[-4:]} (serial …1234)",
    }
    assert _options(result, CONF_GAS_METERS) == {AGILE_GAS: "Gas …6503 (serial …8924)"}
    assert _options(result, CONF_DEVICES) == {CHARGER_DEVICE_ID: "Driveway charger (Ohme Home Pro)"}

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert [m["mpan"] for m in result["data"][CONF_ELECTRICITY_METERS]] == [
        AGILE_IMPORT_MPAN,
        AGILE_EXPORT_MPAN,
    ]
    assert result["data"][CONF_ELECTRICITY_METERS][1]["is_export"] is True
    assert result["data"][CONF_GAS_METERS] == [
        {"mprn": GAS_MPRN, "serial_number": GAS_METER_SERIAL}
    ]
    assert result["data"][CONF_DEVICES] == [CHARGER_DEVICE_ID]


async def test_unticked_meters_and_devices_are_left_out(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _start(hass, octopus_simulator.api_key, octopus_simulator.url)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT_NUMBER: ACCOUNT_AGILE}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_ELECTRICITY_METERS: [AGILE_IMPORT], CONF_GAS_METERS: [], CONF_DEVICES: []},
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert [m["mpan"] for m in result["data"][CONF_ELECTRICITY_METERS]] == [AGILE_IMPORT_MPAN]
    assert result["data"][CONF_GAS_METERS] == []
    assert result["data"][CONF_DEVICES] == []


async def test_unticking_everything_asks_for_at_least_one_meter(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _start(hass, NEIGHBOUR_API_KEY, octopus_simulator.url)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ELECTRICITY_METERS: []}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meters"
    assert result["errors"] == {"base": "nothing_selected"}


async def test_an_account_already_added_is_not_offered_again(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    MockConfigEntry(domain=DOMAIN, unique_id=ACCOUNT_AGILE, data={}).add_to_hass(hass)

    result = await _start(hass, octopus_simulator.api_key, octopus_simulator.url)
    # Only one account is left to add, so there is nothing to choose.
    assert result["step_id"] == "meters"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["data"][CONF_ACCOUNT_NUMBER] == ACCOUNT_INTELLIGENT


async def test_adding_the_same_account_twice_is_refused(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    MockConfigEntry(domain=DOMAIN, unique_id=ACCOUNT_NEIGHBOUR, data={}).add_to_hass(hass)

    result = await _start(hass, NEIGHBOUR_API_KEY, octopus_simulator.url)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_an_account_added_while_the_form_was_open_is_refused_when_chosen(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _start(hass, octopus_simulator.api_key, octopus_simulator.url)
    assert result["step_id"] == "account"
    MockConfigEntry(domain=DOMAIN, unique_id=ACCOUNT_AGILE, data={}).add_to_hass(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT_NUMBER: ACCOUNT_AGILE}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_a_wrong_key_is_reported_on_the_form_and_a_right_one_then_works(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _start(hass, "sk_live_wrong", octopus_simulator.url)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEIGHBOUR_API_KEY, CONF_URL: octopus_simulator.url}
    )
    assert result["step_id"] == "meters"


async def test_an_added_account_offers_its_sub_features(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _start(hass, NEIGHBOUR_API_KEY, octopus_simulator.url)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})

    assert result["result"].supported_subentry_types


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OctopusUnavailableError(), "cannot_connect"),
        (TimeoutError(), "cannot_connect"),
        (OctopusRateLimitError(retry_after=60), "rate_limited"),
        (OctopusError("odd answer"), "unknown"),
        (RuntimeError("bug"), "unknown"),
    ],
)
async def test_api_failures_while_checking_the_key_are_shown_on_the_form(
    hass: HomeAssistant, octopus_simulator: Any, error: Exception, expected: str
) -> None:
    with patch(
        "custom_components.octopus_kraken.api.OctopusClient.async_get_account_numbers",
        side_effect=error,
    ):
        result = await _start(hass, octopus_simulator.api_key, octopus_simulator.url)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": expected}


async def test_an_unreachable_api_is_reported_as_cannot_connect(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    octopus_simulator.faults.inject("server_error", count=10)

    result = await _start(hass, octopus_simulator.api_key, octopus_simulator.url)

    assert result["errors"] == {"base": "cannot_connect"}


@pytest.mark.parametrize("url", ["ftp://example.com", "http://[::1", "https://"])
async def test_an_address_that_is_not_a_web_address_is_refused(
    hass: HomeAssistant, url: str
) -> None:
    result = await _start(hass, "sk_live_anything", url)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_URL: "invalid_url"}


@pytest.mark.parametrize(
    "url",
    [
        "http://api.octopus.energy",
        "http://192.168.1.20:8099",
        "http://localhost.example.com",
        "http://127.0.0.1.example.com",
        "HTTP://api.octopus.energy/",
    ],
)
async def test_plain_http_to_another_machine_is_refused(hass: HomeAssistant, url: str) -> None:
    """The key would cross the network unencrypted: only https reaches another host."""
    result = await _start(hass, "sk_live_anything", url)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {CONF_URL: "insecure_url"}


@pytest.mark.parametrize("host", ["localhost", "[::1]", "127.0.0.53"])
async def test_plain_http_to_this_machine_is_allowed(hass: HomeAssistant, host: str) -> None:
    """Accepted, then tried: nothing listens there, so the form reports the connection."""
    with patch(
        "custom_components.octopus_kraken.api.OctopusClient.async_get_account_numbers",
        side_effect=OctopusUnavailableError(),
    ):
        result = await _start(hass, "sk_live_anything", f"http://{host}:8099")

    assert result["errors"] == {"base": "cannot_connect"}


async def test_a_failure_reading_the_chosen_account_is_shown_on_the_account_form(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    result = await _start(hass, octopus_simulator.api_key, octopus_simulator.url)
    with patch(
        "custom_components.octopus_kraken.api.OctopusClient.async_get_account",
        side_effect=OctopusUnavailableError(),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_ACCOUNT_NUMBER: ACCOUNT_AGILE}
        )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "account"
    assert result["errors"] == {"base": "cannot_connect"}


async def test_an_account_with_nothing_to_discover_asks_for_meters_by_hand(
    hass: HomeAssistant, octopus_simulator: Any
) -> None:
    neighbour = next(a for a in octopus_simulator.state.accounts if a.number == ACCOUNT_NEIGHBOUR)
    neighbour.properties.clear()

    result = await _start(hass, NEIGHBOUR_API_KEY, octopus_simulator.url)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    # The account is known already: only the meters are asked for.
    assert CONF_ACCOUNT_NUMBER not in result["data_schema"].schema
