"""Sensor platform: each feature adds its sensors through one ``add_*(entry, add)`` function."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .comparison_sensors import async_setup_comparisons
from .consumption_sensors import add_consumption_sensors, add_home_mini_sensors
from .cost_tracker_sensors import async_setup_cost_trackers
from .heat_pump_entities import add_heat_pump_sensors
from .octoplus_sensors import add_octoplus_sensors
from .rate_sensors import add_rate_sensors
from .runtime import OctopusConfigEntry
from .smartflex_sensors import add_smartflex_sensors

PARALLEL_UPDATES = 0  # coordinators do the fetching; entities never poll


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every feature for this entry."""
    for add in (
        add_rate_sensors,
        add_consumption_sensors,
        add_home_mini_sensors,
        add_octoplus_sensors,
        add_smartflex_sensors,
        add_heat_pump_sensors,
    ):
        add(entry, async_add_entities)
    await async_setup_cost_trackers(hass, entry, async_add_entities)
    await async_setup_comparisons(hass, entry, async_add_entities)
