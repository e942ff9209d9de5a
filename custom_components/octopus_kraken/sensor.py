"""Sensor platform: each feature contributes its sensors through one function."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .consumption_sensors import async_setup_home_mini_sensors, consumption_sensors
from .cost_tracker_sensors import async_setup_cost_trackers
from .octoplus_sensors import octoplus_sensors
from .rate_sensors import rate_sensors
from .runtime import OctopusConfigEntry
from .smartflex_sensors import async_setup_smartflex_sensors

PARALLEL_UPDATES = 0  # coordinators do the fetching; entities never poll


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every feature for this entry."""
    # Each feature module adds its entities here, e.g.
    # async_add_entities(rate_sensors(entry))
    async_add_entities(rate_sensors(entry))
    async_add_entities(consumption_sensors(entry))
    async_setup_home_mini_sensors(entry, async_add_entities)
    async_add_entities(octoplus_sensors(entry))
    async_setup_smartflex_sensors(entry, async_add_entities)
    await async_setup_cost_trackers(hass, entry, async_add_entities)
