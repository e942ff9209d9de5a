"""Snapshot of the entry's diagnostics at a fixed instant."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_kraken.diagnostics import async_get_config_entry_diagnostics

from .conftest import plain

# Refresh times are jittered at random and the simulator listens on a free port.
JITTERED = "<jittered>"
SIMULATOR_URL = "<simulator url>"


def _without_volatile_values(value: Any) -> Any:
    """``next_fetch`` times masked (when set), at any depth."""
    if isinstance(value, dict):
        return {
            key: JITTERED
            if key == "next_fetch" and item is not None
            else _without_volatile_values(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_volatile_values(item) for item in value]
    return value


async def test_diagnostics_match_the_snapshot(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """What a maintainer sees: the redacted entry, its meters, requests and coordinator data."""
    output = plain(await async_get_config_entry_diagnostics(hass, loaded_entry))
    assert output["entry"]["data"]["url"] == loaded_entry.data["url"]
    output["entry"]["data"]["url"] = SIMULATOR_URL

    assert _without_volatile_values(output) == snapshot
