"""Binary sensor platform: each feature contributes its binary sensors through one function."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .cheapest_window import add_cheapest_window_sensors
from .off_peak_binary_sensor import off_peak_binary_sensors
from .rate_binary_sensors import rate_binary_sensors
from .runtime import OctopusConfigEntry
from .smartflex_binary_sensors import async_setup_smartflex_binary_sensors

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of every feature for this entry."""
    async_add_entities(rate_binary_sensors(entry))
    async_add_entities(off_peak_binary_sensors(entry))
    add_cheapest_window_sensors(entry, async_add_entities)
    async_setup_smartflex_binary_sensors(entry, async_add_entities)
