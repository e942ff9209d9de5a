"""Snapshot of every entity's state and attributes right after set-up."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from .conftest import plain


async def test_every_entity_state_matches_the_snapshot(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """Rates, consumption, account and SmartFlex entities at noon on 15 January 2026."""
    states = sorted(hass.states.async_all(), key=lambda state: state.entity_id)
    assert states  # the set-up really created entities

    assert {
        state.entity_id: plain({"state": state.state, "attributes": dict(state.attributes)})
        for state in states
    } == snapshot
