"""Re-authentication: a new key for the same account, then the integration restarts."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.api import OctopusUnavailableError
from custom_components.octopus_kraken.const import DOMAIN
from octopus_simulator.scenario import NEIGHBOUR_API_KEY

CLIENT = "custom_components.octopus_kraken.api.OctopusClient"


async def test_a_rejected_key_starts_reauth_and_a_new_key_brings_the_entry_back(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    good_key = mock_config_entry.data[CONF_API_KEY]
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_API_KEY: "sk_live_revoked"}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR

    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH
    assert flow["step_id"] == "reauth_confirm"

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_API_KEY: f"  {good_key} "}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data[CONF_API_KEY] == good_key
    assert mock_config_entry.state is ConfigEntryState.LOADED


async def test_reauth_of_a_running_entry_reloads_it_even_with_the_same_key(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    before = init_integration.runtime_data
    result = await init_integration.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: init_integration.data[CONF_API_KEY]}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data is not before


async def test_a_key_of_another_account_is_refused(
    hass: HomeAssistant, octopus_simulator: Any, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEIGHBOUR_API_KEY}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mock_config_entry.data[CONF_API_KEY] == octopus_simulator.api_key


async def test_a_wrong_key_is_reported_on_the_reauth_form(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: "sk_live_wrong"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}


async def test_a_key_that_reads_but_does_not_list_the_account_is_accepted(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)

    with (
        patch(f"{CLIENT}.async_get_account_numbers", return_value=[]),
        patch(f"{CLIENT}.async_get_account", return_value=object()),
        patch("custom_components.octopus_kraken.async_setup_entry", return_value=True),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "sk_live_new"}
        )
        await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data[CONF_API_KEY] == "sk_live_new"


async def test_an_unreachable_api_during_reauth_is_reported_on_the_form(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)

    with (
        patch(f"{CLIENT}.async_get_account_numbers", return_value=[]),
        patch(f"{CLIENT}.async_get_account", side_effect=OctopusUnavailableError()),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "sk_live_new"}
        )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
