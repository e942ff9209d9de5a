"""Options: polling preferences, pre-filled, stored as the numbers the coordinators expect."""

from __future__ import annotations

from unittest.mock import AsyncMock

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_CALORIFIC_VALUE,
    CONF_DISPATCH_INTERVAL,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    CONF_TELEMETRY_INTERVAL,
    DEFAULT_BACKFILL_DAYS,
    DEFAULT_CALORIFIC_VALUE,
    DEFAULT_DISPATCH_INTERVAL,
    DEFAULT_HOME_MINI,
    DEFAULT_IMPORT_STATISTICS,
    DEFAULT_TELEMETRY_INTERVAL,
    DOMAIN,
)

pytestmark = pytest.mark.usefixtures("mock_setup_entry")


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """An entry nobody has set options on yet."""
    return MockConfigEntry(domain=DOMAIN, unique_id="A-00000000", data={}, options={})


CHOSEN = {
    CONF_IMPORT_STATISTICS: False,
    CONF_HOME_MINI: False,
    CONF_TELEMETRY_INTERVAL: 30.0,
    CONF_BACKFILL_DAYS: 90.0,
    CONF_CALORIFIC_VALUE: 38.7,
    CONF_DISPATCH_INTERVAL: 300.0,
}


def _suggested(result: dict) -> dict:
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }


async def test_the_options_form_shows_the_defaults_first(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)

    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert _suggested(result) == {
        CONF_IMPORT_STATISTICS: DEFAULT_IMPORT_STATISTICS,
        CONF_HOME_MINI: DEFAULT_HOME_MINI,
        CONF_TELEMETRY_INTERVAL: DEFAULT_TELEMETRY_INTERVAL,
        CONF_BACKFILL_DAYS: DEFAULT_BACKFILL_DAYS,
        CONF_CALORIFIC_VALUE: DEFAULT_CALORIFIC_VALUE,
        CONF_DISPATCH_INTERVAL: DEFAULT_DISPATCH_INTERVAL,
    }


async def test_saved_options_are_stored_as_whole_seconds_and_days(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)

    result = await hass.config_entries.options.async_configure(result["flow_id"], CHOSEN)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    whole = {CONF_TELEMETRY_INTERVAL: 30, CONF_BACKFILL_DAYS: 90, CONF_DISPATCH_INTERVAL: 300}
    assert mock_config_entry.options == {**CHOSEN, **whole}
    assert isinstance(mock_config_entry.options[CONF_TELEMETRY_INTERVAL], int)


async def test_the_form_reopens_with_what_was_saved(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, options={CONF_BACKFILL_DAYS: 30})

    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)

    assert _suggested(result)[CONF_BACKFILL_DAYS] == 30


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (CONF_TELEMETRY_INTERVAL, 5),
        (CONF_BACKFILL_DAYS, 2000),
        (CONF_CALORIFIC_VALUE, 50),
        (CONF_DISPATCH_INTERVAL, 30),
    ],
)
async def test_values_out_of_range_are_refused(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, field: str, value: float
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {**CHOSEN, field: value}
        )
    assert mock_config_entry.options == {}


async def test_options_stored_by_other_features_are_kept(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, options={"other": 1})
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)

    await hass.config_entries.options.async_configure(result["flow_id"], CHOSEN)

    assert mock_config_entry.options["other"] == 1
