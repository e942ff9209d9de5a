"""The ``octopus_kraken.get_rates`` action: any period, fetched when not cached; clear errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.octopus_kraken.const import DOMAIN

from .conftest import RateCall, SetUpAt

START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)
AGILE = "E-1R-AGILE-24-10-01-C"


async def _call(hass: HomeAssistant, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, "get_rates", data, blocking=True, return_response=True
    )


async def _ask_after_set_up(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    set_up_at: SetUpAt,
    rate_calls: list[RateCall],
    **data: Any,
) -> Any:
    """Set the entry up at ``START``, forget its rate requests, then ask for ``data``'s rates."""
    await set_up_at(START)
    rate_calls.clear()
    return await _call(hass, config_entry_id=entry.entry_id, **data)


async def test_rates_of_a_past_week_are_fetched_and_returned_half_hourly(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    set_up_at: SetUpAt,
    rate_calls: list[RateCall],
) -> None:
    """A week in September (not cached) costs one request and gives 336 half-hours."""
    response = await _ask_after_set_up(
        hass,
        mock_config_entry,
        set_up_at,
        rate_calls,
        meter="import",
        start="2026-09-07T00:00:00+01:00",
        end="2026-09-14T00:00:00+01:00",
    )
    assert response["tariff_code"] == AGILE
    assert response["unit"] == "GBP/kWh"
    assert len(response["rates"]) == 7 * 48
    assert response["rates"][0]["start"] == "2026-09-07T00:00:00+01:00"
    assert set(response["rates"][0]) == {"start", "end", "value_inc_vat", "value_exc_vat"}
    assert len(rate_calls) == 1


async def test_cached_rates_are_answered_without_a_request(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    set_up_at: SetUpAt,
    rate_calls: list[RateCall],
) -> None:
    """Today's rates come from the cache; naive times are local."""
    response = await _ask_after_set_up(
        hass,
        mock_config_entry,
        set_up_at,
        rate_calls,
        meter="gas",
        start="2026-10-20 00:00:00",
        end="2026-10-20 12:00:00",
    )
    assert len(response["rates"]) == 24
    assert response["tariff_code"] == "G-1R-SILVER-24-12-31-C"
    assert rate_calls == []


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"config_entry_id": "nope"}, "entry_not_found"),
        (
            {"start": "2026-10-20T12:00Z", "end": "2026-10-20T10:00Z"},
            "end_before_start",
        ),
        (
            {"start": "2026-08-01T00:00Z", "end": "2026-10-01T00:00Z"},
            "period_too_long",
        ),
    ],
)
async def test_bad_requests_are_refused_with_a_translated_error(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    set_up_at: SetUpAt,
    data: dict[str, Any],
    key: str,
) -> None:
    """Unknown entry, reversed or overlong period."""
    await set_up_at(START)
    call = {
        "config_entry_id": mock_config_entry.entry_id,
        "start": "2026-10-19T00:00:00+00:00",
        "end": "2026-10-20T00:00:00+00:00",
        **data,
    }
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, **call)
    assert err.value.translation_key == key


async def test_an_unloaded_entry_is_refused(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, set_up_at: SetUpAt
) -> None:
    """After unloading, the action says the entry is not loaded."""
    await set_up_at(START)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            config_entry_id=mock_config_entry.entry_id,
            start="2026-10-19T00:00:00+00:00",
            end="2026-10-20T00:00:00+00:00",
        )
    assert err.value.translation_key == "entry_not_loaded"


@pytest.mark.parametrize("service", ["get_rates", "find_cheapest_window"])
async def test_both_actions_refuse_a_meter_that_is_not_import_export_or_gas(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, set_up_at: SetUpAt, service: str
) -> None:
    """The meter field takes the same three words in every action."""
    await set_up_at(START)
    call = {
        "config_entry_id": mock_config_entry.entry_id,
        "meter": "water",
        "start": "2026-10-19T00:00:00+00:00",
        "end": "2026-10-20T00:00:00+00:00",
        "duration": 1,
    }
    if service == "get_rates":
        del call["duration"]
    with pytest.raises(vol.Invalid, match="meter"):
        await hass.services.async_call(DOMAIN, service, call, blocking=True, return_response=True)
