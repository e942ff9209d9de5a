"""The entry's heat pump coordinator, created when the account's device list first has a heat pump.

At set-up the builder starts it (and waits for its first status) when the device list already
has one. A heat pump added to the account later is seen at the account's regular refresh, which
reads the device list anyway: the coordinator is created then and its entities are added without
a reload. Accounts without a heat pump never ask for one.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback

from .coordinators.account import AccountCoordinator
from .coordinators.heat_pump import HeatPumpCoordinator
from .runtime import OctopusConfigEntry


def has_heat_pump(account: AccountCoordinator) -> bool:
    """Whether the account's device list (as last read) has a heat pump."""
    data = account.data
    return data is not None and any(device.is_heat_pump for device in data.devices)


@callback
def async_follow_heat_pump(
    hass: HomeAssistant, entry: OctopusConfigEntry
) -> HeatPumpCoordinator | None:
    """The heat pump coordinator; created (started in the background) once one appears."""
    runtime = entry.runtime_data
    if runtime.heat_pump is not None or not has_heat_pump(runtime.account):
        return runtime.heat_pump
    coordinator = HeatPumpCoordinator(hass, entry, runtime.client)
    runtime.heat_pump = coordinator
    entry.async_create_background_task(hass, _async_start(coordinator), "octopus_kraken heat pump")
    return coordinator


async def _async_start(coordinator: HeatPumpCoordinator) -> None:
    await coordinator.async_load_cache()
    await coordinator.async_refresh()
