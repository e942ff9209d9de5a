"""The names of the entry's cache files in ``.storage``, and moving caches to new names.

A cache is named ``octopus_kraken.<entry id>.<key>``. Per-meter keys carry a tag that names
neither the MPAN/MPRN nor the serial (``rates_electricity_import_<digest>``): the digest is
salted with the entry id, so it cannot be looked up in a table of meter numbers. Caches written
under the old, identifying names (``rates_electricity_import_<mpan>_<serial>``) are read once,
written under the new name and deleted.
"""

from __future__ import annotations

import hashlib
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER
from .meters import MeterConfig

STORAGE_VERSION = 1


def meter_tag(entry_id: str, meter: MeterConfig) -> str:
    """A meter's part of its cache names: its kind and a digest, no meter number."""
    digest = hashlib.sha256(f"{entry_id}:{meter.key}".encode()).hexdigest()[:12]
    return f"{meter.kind.value}_{digest}"


def cache_name(entry_id: str, key: str) -> str:
    """The storage key of one of the entry's caches."""
    return f"{DOMAIN}.{entry_id}.{key}"


def cache_store(hass: HomeAssistant, entry_id: str, key: str) -> Store[dict[str, Any]]:
    """The ``Store`` of one of the entry's caches."""
    return Store(hass, STORAGE_VERSION, cache_name(entry_id, key))


async def async_load(
    hass: HomeAssistant, store: Store[dict[str, Any]], entry_id: str, legacy_key: str | None
) -> dict[str, Any] | None:
    """What ``store`` holds; failing that, what the cache's old name held (moved to the new)."""
    stored = await store.async_load()
    if stored is not None or legacy_key is None:
        return stored
    old = cache_store(hass, entry_id, legacy_key)
    stored = await old.async_load()
    if stored is None:
        return None
    await store.async_save(stored)
    await old.async_remove()
    LOGGER.debug("Moved a cache to a name without meter numbers")
    return stored
