"""Create the consumption coordinators (one per meter) and the Home Mini ones (one per device)."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from ..api import Direction
from ..const import CONF_HOME_MINI, DEFAULT_HOME_MINI
from ..runtime import OctopusRuntimeData
from .consumption import ConsumptionCoordinator
from .telemetry import TelemetryCoordinator


@callback
def _keep_polling() -> None:
    """A listener that keeps a coordinator scheduled (statistics) even without entities."""


async def async_setup_consumption(
    hass: HomeAssistant, entry: ConfigEntry, runtime: OctopusRuntimeData
) -> None:
    """Start consumption polling; the first fetch (a back-fill) runs after set-up, not in it."""
    for meter in runtime.meters:
        coordinator = ConsumptionCoordinator(
            hass, entry, runtime.client, runtime.account, meter, runtime_lookup=lambda: runtime
        )
        await coordinator.async_load_cache()
        runtime.consumption[meter.key] = coordinator
        entry.async_on_unload(coordinator.async_add_listener(_keep_polling))
        entry.async_on_unload(coordinator.async_flush_cache)
        entry.async_create_task(hass, coordinator.async_refresh(), f"consumption {meter.kind}")
    if not entry.options.get(CONF_HOME_MINI, DEFAULT_HOME_MINI) or runtime.account.data is None:
        return
    for point in runtime.account.data.account.electricity_meter_points:
        if point.direction is not Direction.IMPORT:
            continue
        for physical in point.meters:
            device_id = physical.import_device_id
            if not device_id or device_id in runtime.telemetry:
                continue
            meter_key = next(
                (
                    m.key
                    for m in runtime.meters
                    if m.mpxn == point.mpan and m.serial == physical.serial_number
                ),
                None,
            )
            telemetry = TelemetryCoordinator(
                hass,
                entry,
                runtime.client,
                device_id,
                meter_key=meter_key,
                rates_lookup=lambda key=meter_key: runtime.rates.get(key) if key else None,  # type: ignore[misc]
            )
            runtime.telemetry[device_id] = telemetry
            entry.async_create_task(hass, telemetry.async_refresh(), "home mini")
