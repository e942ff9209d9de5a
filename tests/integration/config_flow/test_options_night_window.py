"""Options: each Economy 7 meter's night window, checked, stored and used after the reload."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_CALORIFIC_VALUE,
    CONF_DISPATCH_INTERVAL,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    CONF_NIGHT_WINDOWS,
    CONF_TELEMETRY_INTERVAL,
)
from custom_components.octopus_kraken.domain.economy7 import NightWindow
from octopus_simulator.scenario import AGILE_IMPORT_MPAN, Agreement

from ..conftest import settle

PREFERENCES = {
    CONF_IMPORT_STATISTICS: False,
    CONF_HOME_MINI: False,
    CONF_TELEMETRY_INTERVAL: 60.0,
    CONF_BACKFILL_DAYS: 2.0,
    CONF_CALORIFIC_VALUE: 39.5,
    CONF_DISPATCH_INTERVAL: 180.0,
}
UK_NIGHT = {"night_start": "23:00:00", "night_end": "06:00:00", "night_clock": "uk"}


async def test_an_economy7_meter_gets_a_night_window_step_that_refuses_bad_windows(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    point = octopus_simulator.state.electricity_point(AGILE_IMPORT_MPAN)[2]
    point.agreements = [Agreement(1, "E-2R-VAR-22-11-01-C", datetime(2024, 11, 1, tzinfo=UTC))]
    freezer.move_to(datetime(2025, 1, 9, 10, 13, tzinfo=UTC))
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await settle(hass)
    meter = next(
        c.meter
        for c in mock_config_entry.runtime_data.rates.values()
        if c.meter.mpxn == AGILE_IMPORT_MPAN
    )
    assert mock_config_entry.runtime_data.rates[meter.key].night == NightWindow()

    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], PREFERENCES)
    # The import meter is on Economy 7: its night window comes next, 00:30-07:30 UTC at first.
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "economy7"
    assert "E-2R-VAR-22-11-01-C" in result["description_placeholders"]["meter"]
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }
    assert suggested == {"night_start": "00:30:00", "night_end": "07:30:00", "night_clock": "utc"}

    for bad, error in (
        ({**UK_NIGHT, "night_end": "23:00:00"}, "night_window_empty"),
        ({**UK_NIGHT, "night_start": "23:10:00"}, "night_window_not_half_hours"),
    ):
        result = await hass.config_entries.options.async_configure(result["flow_id"], bad)
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": error}

    result = await hass.config_entries.options.async_configure(result["flow_id"], UK_NIGHT)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert mock_config_entry.options[CONF_NIGHT_WINDOWS] == {
        meter.key: {"start": "23:00", "end": "06:00", "uk_time": True}
    }
    await settle(hass)
    # Saving reloads the entry: the meter's rates now follow 23:00-06:00 UK time.
    rates = mock_config_entry.runtime_data.rates[meter.key]
    assert rates.night == NightWindow(
        *(datetime.strptime(t, "%H:%M").time() for t in ("23:00", "06:00")), uk_time=True
    )


async def test_meters_without_day_and_night_rates_get_no_night_window_step(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], PREFERENCES)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_NIGHT_WINDOWS not in init_integration.options
