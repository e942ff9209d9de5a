"""What set-up and removal of an entry do beyond the coordinators: devices and caches.

- Every selected meter, SmartFlex device and the account get a device at set-up, even before a
  feature adds entities to it; devices of meters or SmartFlex devices the user no longer follows
  (or Octopus no longer lists) are removed, so nothing stale stays in the device list.
- SmartFlex devices the account gains later are followed (the entry's device list grows and the
  entry reloads); devices it no longer has (removed or retired) are detached.
- Removing the entry deletes every cache file its coordinators wrote; removing a subentry (cost
  tracker, tariff comparison) deletes its caches and its statistics.
"""

from __future__ import annotations

from collections.abc import Iterable
import os
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.storage import STORAGE_DIR, Store

from .caches import cache_store, meter_tag
from .const import CONF_ACCOUNT_NUMBER, CONF_DEVICES, DOMAIN, LOGGER
from .entity import account_device_info, meter_device_info, smartflex_device_info
from .meters import meters_from_entry_data
from .runtime import OctopusConfigEntry, OctopusRuntimeData
from .statistics import async_clear_comparison_statistics

# The coordinators' cache names (``store_key``): per entry, and per meter (+ ``caches.meter_tag``;
# before, + ``MeterConfig.key``).
# Caches of meters deselected earlier are not listed here; the scan of ``.storage`` finds them.
_ENTRY_STORE_KEYS = ("account", "dispatches")
_METER_STORE_PREFIXES = ("rates_", "consumption_", "tariff_history_")
# The caches of a subentry's model (cost tracker, tariff comparison and its prices), by id.
_SUBENTRY_STORE_KEYS = ("cost_tracker_{}", "comparison_{}", "comparison_{}_prices")
# Identifier prefixes of the devices made by ``entity.py``'s device-info builders.
_OWN_PREFIXES = ("account_", "meter_", "smartflex_")


def async_sync_devices(
    hass: HomeAssistant, entry: OctopusConfigEntry, runtime: OctopusRuntimeData
) -> None:
    """Create the entry's devices and remove the ones it no longer has."""
    registry = dr.async_get(hass)
    number: str = entry.data[CONF_ACCOUNT_NUMBER]
    wanted = [account_device_info(number)]
    wanted.extend(meter_device_info(number, meter) for meter in runtime.meters)
    selected = set(entry.data.get(CONF_DEVICES, []))
    if runtime.account.data is not None:
        wanted.extend(
            smartflex_device_info(number, device)
            for device in runtime.account.data.devices
            if device.id in selected and device.status_current != "RETIRED"
        )
    keep: set[str] = set()
    for info in wanted:
        device = registry.async_get_or_create(config_entry_id=entry.entry_id, **info)
        keep.add(device.id)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        # Only devices of the kinds made here: other features own their devices (subentries).
        ours = any(
            domain == DOMAIN and ident.startswith(_OWN_PREFIXES)
            for domain, ident in device.identifiers
        )
        if ours and device.id not in keep:
            registry.async_update_device(device.id, remove_config_entry_id=entry.entry_id)


def async_adopt_smartflex_devices(
    hass: HomeAssistant, entry: OctopusConfigEntry, device_ids: list[str]
) -> None:
    """Add SmartFlex devices new to the account to the ones the user follows."""
    chosen = [*entry.data.get(CONF_DEVICES, []), *device_ids]
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_DEVICES: chosen})


def async_remove_stale_smartflex_devices(
    hass: HomeAssistant, entry: OctopusConfigEntry, tracked: frozenset[str]
) -> None:
    """Detach SmartFlex devices the account no longer has (removed or retired) from the entry."""
    registry = dr.async_get(hass)
    keep = {f"smartflex_{device_id}" for device_id in tracked}
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        idents = {ident for domain, ident in device.identifiers if domain == DOMAIN}
        if any(i.startswith("smartflex_") for i in idents) and not idents & keep:
            LOGGER.debug("Removing a SmartFlex device the account no longer has")
            registry.async_update_device(device.id, remove_config_entry_id=entry.entry_id)


def _cache_files(config_dir: str, entry_id: str) -> list[str]:
    """Names of this entry's cache files in ``.storage`` (runs in the executor)."""
    prefix = f"{DOMAIN}.{entry_id}."
    try:
        names = os.listdir(Path(config_dir, STORAGE_DIR))
    except FileNotFoundError:
        return []
    return [name for name in names if name.startswith(prefix)]


async def async_remove_caches(hass: HomeAssistant, entry: OctopusConfigEntry) -> None:
    """Forget every cache of a removed entry: a re-added account starts afresh."""
    names = await hass.async_add_executor_job(_cache_files, hass.config.config_dir, entry.entry_id)
    stems = list(_ENTRY_STORE_KEYS)
    stems.extend(
        f"{prefix}{name}"
        for meter in meters_from_entry_data(entry.data)
        for name in (meter_tag(entry.entry_id, meter), meter.key)  # new and old names
        for prefix in _METER_STORE_PREFIXES
    )
    stems.extend(key.format(sid) for sid in entry.subentries for key in _SUBENTRY_STORE_KEYS)
    keys = {f"{DOMAIN}.{entry.entry_id}.{stem}" for stem in stems}
    keys.update(names)
    for key in sorted(keys):
        await Store[dict[str, Any]](hass, 1, key).async_remove()
    LOGGER.debug("Removed %d cache(s) of a removed entry", len(keys))


async def async_forget_subentries(
    hass: HomeAssistant, entry: OctopusConfigEntry, subentry_ids: Iterable[str]
) -> None:
    """Delete what removed subentries leave behind: their caches and comparison statistics.

    Home Assistant removes their entities and devices itself. Called after the entry reloaded
    without them, so no stopping model writes its cache again afterwards.
    """
    removed = sorted(subentry_ids)
    for subentry_id in removed:
        for key in _SUBENTRY_STORE_KEYS:
            await cache_store(hass, entry.entry_id, key.format(subentry_id)).async_remove()
    async_clear_comparison_statistics(hass, removed)
    LOGGER.debug("Removed the caches of %d removed subentr(ies)", len(removed))
