"""Diagnostics: useful to a maintainer, with nothing that identifies the user."""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.octopus_kraken.diagnostics import async_get_config_entry_diagnostics

from ..comparison.test_comparison import GO, comparison, make_entry, set_up
from ..heat_pump.test_heat_pump import add_heat_pump
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


async def test_diagnostics_show_comparisons_and_the_heat_pump_without_meter_numbers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    add_heat_pump(octopus_simulator)
    entry = await set_up(
        hass,
        freezer,
        make_entry(entry_data),
        comparison("Go check", "import", "GO-VAR-22-10-14", GO),
    )
    (subentry,) = entry.subentries.values()

    # Called directly: the web client's token was issued before the clock moved to 2026.
    output = json.loads(json.dumps(await async_get_config_entry_diagnostics(hass, entry)))

    compared = output["runtime"]["comparisons"][subentry.subentry_id]
    assert compared["meter"] == "electricity_import"
    assert compared["product_code"] == "GO-VAR-22-10-14"
    assert compared["tariff_code"] == GO
    assert compared["current_tariff_code"] == "E-1R-AGILE-24-10-01-C"
    assert compared["month_days"][0] == "2026-10-01"
    assert compared["month_days"][-1] == "2026-10-19"
    assert compared["latest_day"]["day"] == "2026-10-19"
    heat_pump = output["runtime"]["coordinators"]["heat_pump"]["heat_pump"]
    assert heat_pump["last_update_success"] is True
    assert heat_pump["data"]["status"]["is_connected"] is True
    dumped = json.dumps(output)
    leaked = sorted(s for s in _personal_strings(octopus_simulator.state, entry) if s in dumped)
    assert leaked == []
