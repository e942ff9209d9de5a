"""Binary sensor platform: each feature contributes its binary sensors through one function."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .runtime import OctopusConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: OctopusConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Add the binary sensors of every feature for this entry."""
