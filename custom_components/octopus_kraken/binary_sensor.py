"""Binary sensor platform: each feature adds its entities through one ``add_*(entry, add)``."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .cheapest_window import add_cheapest_window_sensors
from .heat_pump_entities import add_heat_pump_binary_sensors
from .off_peak_binary_sensor import add_off_peak_binary_sensors
from .rate_binary_sensors import add_rate_binary_sensors
from .runtime import OctopusConfigEntry
from .smartflex_binary_sensors import add_smartflex_binary_sensors

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of every feature for this entry."""
    for add in (
        add_rate_binary_sensors,
        add_off_peak_binary_sensors,
        add_cheapest_window_sensors,
        add_smartflex_binary_sensors,
        add_heat_pump_binary_sensors,
    ):
        add(entry, async_add_entities)
