"""The Octopus Energy (Kraken) integration."""

from __future__ import annotations

import hashlib

from homeassistant.const import CONF_API_KEY, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .api import CoolDown, OctopusClient
from .builder import async_build_runtime
from .const import CONF_URL, DEFAULT_URL, DOMAIN
from .lifecycle import async_forget_subentries, async_remove_caches, async_sync_devices
from .migration import async_migrate
from .runtime import OctopusConfigEntry
from .services import async_setup_services

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TIME,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
_COOL_DOWNS = f"{DOMAIN}_cool_downs"


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's services once, whatever entries exist."""
    async_setup_services(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: OctopusConfigEntry) -> bool:
    """Move an entry of an earlier version (and its entity ids) to the current one."""
    return await async_migrate(hass, entry)


async def async_setup_entry(hass: HomeAssistant, entry: OctopusConfigEntry) -> bool:
    """Connect to the account, start the coordinators and the platforms."""
    base_url = entry.data.get(CONF_URL, DEFAULT_URL)
    client = OctopusClient(
        async_get_clientsession(hass),
        entry.data[CONF_API_KEY],
        base_url=base_url,
        cool_down=_shared_cool_down(hass, base_url, entry.data[CONF_API_KEY]),
    )
    # Raises ConfigEntryNotReady (API down) or ConfigEntryAuthFailed (reauth) as appropriate.
    runtime = await async_build_runtime(hass, entry, client)
    runtime.subentry_ids = frozenset(entry.subentries)
    entry.runtime_data = runtime
    async_sync_devices(hass, entry, runtime)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_reload_on_update))
    return True


def _shared_cool_down(hass: HomeAssistant, base_url: str, api_key: str) -> CoolDown:
    """The rate-limit pause of an API user: shared by its entries, kept across reloads."""
    key = hashlib.sha256(f"{base_url}\n{api_key}".encode()).hexdigest()
    pauses: dict[str, CoolDown] = hass.data.setdefault(_COOL_DOWNS, {})
    return pauses.setdefault(key, CoolDown())


async def _async_reload_on_update(hass: HomeAssistant, entry: OctopusConfigEntry) -> None:
    """Options and subentry changes take effect by reloading the entry.

    Subentries removed since set-up leave caches (and comparison statistics) behind: deleted
    once the entry has reloaded without them.
    """
    removed = entry.runtime_data.subentry_ids - set(entry.subentries)
    await hass.config_entries.async_reload(entry.entry_id)
    if removed:
        await async_forget_subentries(hass, entry, removed)


async def async_unload_entry(hass: HomeAssistant, entry: OctopusConfigEntry) -> bool:
    """Stop the platforms; coordinators stop (and write their caches) with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: OctopusConfigEntry) -> None:
    """The entry is gone for good: delete its caches too."""
    await async_remove_caches(hass, entry)
