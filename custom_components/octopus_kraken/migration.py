"""Config-entry migrations.

1.1 -> 1.2: entity ids of meters and the account move from the device's name
(``sensor.electricity_import_meter_current_rate``, ``…_2`` for a second meter or account) to the
meter's or the account's tag (``entity_ids``). Only ids Home Assistant
generated are moved; an id the user chose stays. The registry entry (unique id, name, icon, area,
disabled state) is kept, and the recorder follows the rename, so history continues; the state
Home Assistant saved for restoring (the day-rates events' last event) moves with the id, so the
upgrade fires no event of its own.
"""

from __future__ import annotations

import re

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er, restore_state
from homeassistant.util import slugify

from .const import CONF_ACCOUNT_NUMBER, DOMAIN, LOGGER
from .entity_ids import OBJECT_ID_SUFFIXES, account_object_prefix, meter_object_prefix
from .meters import meters_from_entry_data

CURRENT_VERSION = 1
CURRENT_MINOR_VERSION = 2


async def async_migrate(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Bring ``entry`` and its entities to the current version; False for a future version."""
    if entry.version > CURRENT_VERSION:
        return False
    if entry.minor_version < 2:
        moved = _move_entity_ids(hass, entry)
        LOGGER.debug("Moved %d entity id(s) to the per-meter scheme", moved)
    hass.config_entries.async_update_entry(
        entry, version=CURRENT_VERSION, minor_version=CURRENT_MINOR_VERSION
    )
    return True


def _move_entity_ids(hass: HomeAssistant, entry: ConfigEntry) -> int:
    """Rename the generated entity ids of the entry's meter and account entities."""
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    number: str = entry.data[CONF_ACCOUNT_NUMBER]
    meters = meters_from_entry_data(entry.data)
    prefixes = {f"meter_{meter.key}": meter_object_prefix(meter) for meter in meters}
    prefixes[f"account_{number}"] = account_object_prefix(number)
    moved = 0
    for reg in er.async_entries_for_config_entry(entities, entry.entry_id):
        suffix = OBJECT_ID_SUFFIXES.get(reg.translation_key or "")
        device = devices.async_get(reg.device_id) if reg.device_id else None
        if suffix is None or device is None or not device.name:
            continue
        prefix = next(
            (prefixes[i] for d, i in device.identifiers if d == DOMAIN and i in prefixes), None
        )
        if prefix is None:
            continue
        # What Home Assistant made of "<device name> <entity name>", with "_2"... on a clash.
        generated = re.compile(
            rf"{re.escape(reg.domain)}\.{re.escape(slugify(device.name))}_{suffix}(_\d+)?"
        )
        wanted = f"{reg.domain}.{prefix}_{suffix}"
        if (
            not generated.fullmatch(reg.entity_id)
            or entities.async_is_registered(wanted)
            or hass.states.get(wanted) is not None
        ):
            continue
        _move_restore_data(hass, reg.entity_id, wanted)
        entities.async_update_entity(reg.entity_id, new_entity_id=wanted)
        moved += 1
    return moved


def _move_restore_data(hass: HomeAssistant, old: str, new: str) -> None:
    """What Home Assistant saved to restore ``old`` at start-up, now under ``new``."""
    saved = restore_state.async_get(hass).last_states
    stored = saved.pop(old, None)
    if stored is None:
        return
    state = stored.state
    saved[new] = restore_state.StoredState(
        State(
            new,
            state.state,
            state.attributes,
            last_changed=state.last_changed,
            last_updated=state.last_updated,
        ),
        stored.extra_data,
        stored.last_seen,
    )
