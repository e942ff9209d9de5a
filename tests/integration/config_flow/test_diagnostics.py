"""Diagnostics: useful to a maintainer, with nothing that identifies the user."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.octopus_kraken.diagnostics import async_get_config_entry_diagnostics

from ..personal import personal_strings


def _personal_strings(scenario: Any, entry: MockConfigEntry) -> set[str]:
    """Everything that identifies the user: key, account, meter points, serials, devices, homes."""
    api_key, account_number = entry.data["api_key"], entry.data["account_number"]
    secrets, names = personal_strings(scenario, api_key, account_number)
    return {api_key, account_number} | secrets | names


async def test_diagnostics_contain_no_personal_string_anywhere(
    hass: HomeAssistant, hass_client: Any, octopus_simulator: Any, init_integration: MockConfigEntry
) -> None:
    assert await async_setup_component(hass, "diagnostics", {})
    secrets = _personal_strings(octopus_simulator.state, init_integration)
    assert len(secrets) > 10  # the scenario really has an account with meters and devices

    output = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    dumped = json.dumps(output)
    leaked = sorted(secret for secret in secrets if secret in dumped)
    assert leaked == []


async def test_diagnostics_show_the_entry_and_every_coordinator_with_its_health(
    hass: HomeAssistant, hass_client: Any, init_integration: MockConfigEntry
) -> None:
    assert await async_setup_component(hass, "diagnostics", {})

    output = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    assert output["entry"]["data"]["api_key"] == "**REDACTED**"
    assert output["entry"]["data"]["url"] == init_integration.data["url"]
    account = output["runtime"]["coordinators"]["account"]
    assert account["last_update_success"] is True
    assert account["next_fetch"] is not None
    # The balance is not personal enough to hide and helps with "wrong balance" reports.
    assert account["data"]["account"]["balance"] is not None
    assert len(output["runtime"]["meters"]) == len(init_integration.runtime_data.meters)
    assert output["runtime"]["requests"]


async def test_diagnostics_of_an_entry_that_is_not_running_still_hide_the_key(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)

    output = await async_get_config_entry_diagnostics(hass, mock_config_entry)

    assert output["runtime"] is None
    dumped = json.dumps(output)
    assert mock_config_entry.data["api_key"] not in dumped
    assert mock_config_entry.data["account_number"] not in dumped
