"""Snapshots of the response-only actions' answers for fixed periods."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_kraken.const import DOMAIN

from .conftest import plain


async def _respond(hass: HomeAssistant, service: str, **data: Any) -> Any:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return plain(response)


@pytest.mark.parametrize("meter", ["import", "export", "gas"])
async def test_rates_of_a_past_day_match_the_snapshot(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, snapshot: SnapshotAssertion, meter: str
) -> None:
    """``get_rates`` for 10 January 2026 (London), a day before the cached window."""
    response = await _respond(
        hass,
        "get_rates",
        config_entry_id=loaded_entry.entry_id,
        meter=meter,
        start="2026-01-10T00:00:00+00:00",
        end="2026-01-11T00:00:00+00:00",
    )
    assert response == snapshot


@pytest.mark.parametrize("mode", ["continuous", "intermittent"])
async def test_cheapest_window_of_this_afternoon_matches_the_snapshot(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, snapshot: SnapshotAssertion, mode: str
) -> None:
    """``find_cheapest_window``: two import hours between 13:00 and 23:00 on 15 January."""
    response = await _respond(
        hass,
        "find_cheapest_window",
        config_entry_id=loaded_entry.entry_id,
        start="2026-01-15T13:00:00+00:00",
        end="2026-01-15T23:00:00+00:00",
        duration=2,
        mode=mode,
    )
    assert response == snapshot
