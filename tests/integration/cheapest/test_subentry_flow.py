"""Adding and editing cheapest windows from the UI (config subentries)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import DOMAIN

from .conftest import utc, window_subentry

SUBENTRY = "cheapest_window"
VALID_FIXED = {
    "start": "22:00:00",
    "end": "07:00:00",
    "duration": 2,
    "mode": "intermittent",
    "target": "cheapest",
    "max_price": 0.25,
    "prefer_latest": True,
    "start_offset": -30,
    "allow_partial": False,
}


def suggested(result: FlowResult, field: str) -> Any:
    """The value a form shows pre-filled in ``field``."""
    for key in result["data_schema"].schema:  # type: ignore[union-attr]
        if str(key) == field:
            return (key.description or {}).get("suggested_value")
    raise AssertionError(f"no field {field}")


async def start_user_flow(hass: HomeAssistant, entry: MockConfigEntry, **first: Any) -> FlowResult:
    """Open the add flow and answer its first step."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    answers = {"name": "Dishwasher", "meter": "import", "window_type": "fixed", **first}
    return await hass.config_entries.subentries.async_configure(result["flow_id"], answers)


async def test_adding_a_fixed_window_creates_its_binary_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, setup_window: Callable[..., Any]
) -> None:
    """Name, rate, window, options: the subentry is stored and the sensor appears."""
    freezer.move_to(utc(2026, 1, 15, 12))
    entry = await setup_window()
    result = await start_user_flow(hass, entry)
    assert result["step_id"] == "fixed"
    assert suggested(result, "target") == "cheapest"

    result = await hass.config_entries.subentries.async_configure(result["flow_id"], VALID_FIXED)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    (subentry,) = entry.subentries.values()
    assert subentry.title == "Dishwasher"
    assert dict(subentry.data) == {
        "meter": "import",
        "window_type": "fixed",
        **VALID_FIXED,
        "duration_mode": "exact",  # the defaults
        "re_evaluate": "before_start",
    }
    sensor = hass.states.get("binary_sensor.dishwasher")
    assert sensor is not None
    assert sensor.attributes["reason"] == "rates_unknown"


async def test_the_rate_list_offers_only_meters_the_account_has(
    hass: HomeAssistant, setup_window: Callable[..., Any]
) -> None:
    """No gas meter, no gas choice."""
    entry = await setup_window()
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY), context={"source": SOURCE_USER}
    )
    rate_selector = next(
        value
        for key, value in result["data_schema"].schema.items()  # type: ignore[union-attr]
        if str(key) == "meter"
    )
    assert rate_selector.config["options"] == ["import", "export"]


async def test_an_export_window_suggests_the_most_expensive_slots(
    hass: HomeAssistant, setup_window: Callable[..., Any]
) -> None:
    """Exporting pays most in the dearest half-hours."""
    entry = await setup_window()
    result = await start_user_flow(hass, entry, meter="export", window_type="rolling")
    assert result["step_id"] == "rolling"
    assert suggested(result, "target") == "most_expensive"


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"duration": 10}, "duration", "duration_longer_than_window"),
        ({"duration": 1.25}, "duration", "duration_not_half_hours"),
        ({"start": "22:15:00"}, "start", "time_not_half_hour"),
        ({"end": "07:10:00"}, "end", "time_not_half_hour"),
        ({"min_price": 0.3, "max_price": 0.2}, "min_price", "min_price_above_max_price"),
        ({"mode": "continuous", "weighting": "2,x"}, "weighting", "weighting_invalid"),
        ({"mode": "continuous", "weighting": "2,-1*"}, "weighting", "weighting_invalid"),
        ({"weighting": "2,1*"}, "weighting", "weighting_needs_continuous"),
        ({"mode": "continuous", "weighting": "2,1"}, "weighting", "weighting_length"),
        ({"mode": "continuous", "weighting": "1,1,1,1,1*"}, "weighting", "weighting_length"),
        (
            {"duration_mode": "at_least", "max_price": None},
            "duration_mode",
            "at_least_needs_price_limit",
        ),
    ],
)
async def test_a_fixed_window_form_explains_what_is_wrong(
    hass: HomeAssistant,
    setup_window: Callable[..., Any],
    changes: dict[str, Any],
    field: str,
    error: str,
) -> None:
    """Each mistake is shown on its field, and nothing is created."""
    entry = await setup_window()
    result = await start_user_flow(hass, entry)
    answers = {k: v for k, v in {**VALID_FIXED, **changes}.items() if v is not None}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], answers)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    assert not entry.subentries


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"hours": 2, "duration": 3}, "duration", "duration_longer_than_window"),
        ({"hours": 1.25, "duration": 1}, "hours", "hours_not_half_hours"),
    ],
)
async def test_a_rolling_window_form_explains_what_is_wrong(
    hass: HomeAssistant,
    setup_window: Callable[..., Any],
    changes: dict[str, Any],
    field: str,
    error: str,
) -> None:
    """Rolling windows are checked against their hours."""
    entry = await setup_window()
    result = await start_user_flow(hass, entry, window_type="rolling")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"target": "cheapest", **changes}
    )
    assert result["errors"] == {field: error}


async def test_reconfiguring_turns_a_fixed_window_into_a_rolling_one(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, setup_window: Callable[..., Any]
) -> None:
    """The edit flow shows current values, saves the new ones and reloads the sensor."""
    freezer.move_to(utc(2026, 1, 15, 12))
    entry = await setup_window(window_subentry("Dishwasher"))
    (subentry,) = entry.subentries.values()

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry.subentry_id},
    )
    assert result["step_id"] == "reconfigure"
    assert suggested(result, "name") == "Dishwasher"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Washing machine", "meter": "import", "window_type": "rolling"}
    )
    assert result["step_id"] == "rolling"
    assert suggested(result, "duration") == 1
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"hours": 12, "duration": 2, "target": "cheapest", "mode": "continuous"},
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    updated = entry.subentries[subentry.subentry_id]
    assert updated.title == "Washing machine"
    assert updated.data["window_type"] == "rolling"
    assert updated.data["hours"] == 12
    assert "start" not in updated.data
    sensor = hass.states.get("binary_sensor.dishwasher")
    assert sensor is not None
    assert sensor.attributes["window_end"] == "2026-01-16T00:00:00+00:00"


async def test_an_account_without_meters_cannot_add_a_window(hass: HomeAssistant) -> None:
    """Nothing to search: the flow says so."""
    entry = MockConfigEntry(domain=DOMAIN, data={"account_number": "A-1"})
    entry.add_to_hass(hass)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_meters"


async def test_a_weighted_rolling_window_with_minutes_left_is_stored(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, setup_window: Callable[..., Any]
) -> None:
    """The new options reach the subentry; rolling windows default to searching always."""
    freezer.move_to(utc(2026, 1, 15, 12))
    entry = await setup_window()
    result = await start_user_flow(hass, entry, window_type="rolling")
    assert suggested(result, "re_evaluate") is None  # the schema default applies
    options = {
        "hours": 12,
        "duration": 1.5,
        "target": "cheapest",
        "mode": "continuous",
        "weighting": "2,1*",
        "duration_mode": "at_most",
        "min_minutes_left": 10,
    }
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], options)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    (subentry,) = entry.subentries.values()
    assert subentry.data["weighting"] == "2,1*"
    assert subentry.data["min_minutes_left"] == 10
    assert subentry.data["re_evaluate"] == "always"
    assert hass.states.get("binary_sensor.dishwasher") is not None
