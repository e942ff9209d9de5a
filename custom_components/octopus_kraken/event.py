"""Event platform: the day-rates events of every meter."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .rate_events import add_day_rates_events
from .runtime import OctopusConfigEntry

PARALLEL_UPDATES = 0  # coordinators do the fetching; entities never poll


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities of this entry."""
    add_day_rates_events(entry, async_add_entities)
