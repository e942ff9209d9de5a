"""Build a loaded entry's runtime: every coordinator, in dependency order, wired by type.

account → SmartFlex → rates (one per meter; import meters follow SmartFlex's dispatches) →
consumption (one per meter) and Home Mini telemetry (one per device). Each coordinator gets
its collaborators as constructor arguments; nothing looks another one up later.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.util import dt as dt_util

from .api import (
    Direction,
    OctopusClient,
    OctopusError,
    OctopusRateLimitError,
    OctopusUnavailableError,
)
from .const import DOMAIN
from .coordinators.account import AccountCoordinator
from .coordinators.consumption import ConsumptionCoordinator
from .coordinators.heat_pump import HeatPumpCoordinator
from .coordinators.rates import RatesCoordinator
from .coordinators.smartflex import SmartFlexCoordinator
from .coordinators.telemetry import TelemetryCoordinator
from .entity import METER_NAMES
from .heat_pump import has_heat_pump
from .lifecycle import async_adopt_smartflex_devices, async_remove_stale_smartflex_devices
from .meters import MeterKind, meters_from_entry_data, on_intelligent_go
from .options import OctopusOptions
from .runtime import OctopusConfigEntry, OctopusRuntimeData


@callback
def _keep_polling() -> None:
    """A listener that keeps a coordinator scheduled (statistics) even without entities."""


async def async_build_runtime(
    hass: HomeAssistant, entry: OctopusConfigEntry, client: OctopusClient
) -> OctopusRuntimeData:
    """Create, warm up and start the entry's coordinators.

    Raises ConfigEntryNotReady (API down) or ConfigEntryAuthFailed (reauth) when the account
    cannot be had, or no meter's prices for the API being out of reach; one meter's failure,
    SmartFlex, consumption and the Home Mini never block.
    """
    options = OctopusOptions.from_mapping(entry.options)
    meters = meters_from_entry_data(entry.data)
    account = AccountCoordinator(hass, entry, client)
    await account.async_load_cache()
    await account.async_config_entry_first_refresh()
    runtime = OctopusRuntimeData(
        client=client,
        options=options,
        meters=meters,
        account=account,
        smartflex=await _async_start_smartflex(hass, entry, client, account, options),
        on_intelligent_go=on_intelligent_go(
            account.data.account if account.data else None, meters, dt_util.utcnow()
        ),
    )
    await _async_start_rates(hass, entry, runtime)
    await _async_start_consumption(hass, entry, runtime)
    _start_telemetry(hass, entry, runtime)
    runtime.heat_pump = await _async_start_heat_pump(hass, entry, runtime)
    return runtime


async def _async_start_heat_pump(
    hass: HomeAssistant, entry: OctopusConfigEntry, runtime: OctopusRuntimeData
) -> HeatPumpCoordinator | None:
    """Poll ``heatPumpStatus`` only when the device list (already fetched) has a heat pump."""
    if not has_heat_pump(runtime.account):
        return None  # one added later is followed by ``heat_pump.async_follow_heat_pump``
    coordinator = HeatPumpCoordinator(hass, entry, runtime.client)
    await coordinator.async_load_cache()
    await coordinator.async_refresh()  # a failure must not keep the meters from loading
    return coordinator


async def _async_start_smartflex(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    client: OctopusClient,
    account: AccountCoordinator,
    options: OctopusOptions,
) -> SmartFlexCoordinator:
    """Cached plans show at once; a SmartFlex failure must not keep meters from loading."""
    smartflex = SmartFlexCoordinator(
        hass,
        entry,
        client,
        account,
        interval=options.dispatch_interval,
        adopt_devices=lambda ids: async_adopt_smartflex_devices(hass, entry, ids),
    )
    await smartflex.async_load_cache()
    await smartflex.async_refresh()  # no first-refresh raise

    @callback
    def _remove_stale_devices() -> None:
        data = smartflex.data
        if data is not None and data.fetched_at is not None and smartflex.last_update_success:
            async_remove_stale_smartflex_devices(hass, entry, smartflex.tracked_ids())

    smartflex.async_start()
    entry.async_on_unload(smartflex.async_add_listener(_remove_stale_devices))
    _remove_stale_devices()
    return smartflex


async def _async_start_rates(
    hass: HomeAssistant, entry: OctopusConfigEntry, runtime: OctopusRuntimeData
) -> None:
    """One rates coordinator per meter; one meter's failure does not stop the others.

    A meter without prices (no cache, first refresh failed) loads with its entities unavailable
    and is retried on its own (the coordinators' backoff: 1 minute doubling to 30 after a server
    error, hourly when its product refuses the key). Only when no meter has prices and every
    failure was the API out of reach is the whole entry not ready (Home Assistant retries it);
    a key the API rejects still asks for re-authentication.
    """
    unreachable: list[OctopusError] = []
    for meter in runtime.meters:
        coordinator = RatesCoordinator(
            hass,
            entry,
            runtime.client,
            meter,
            runtime.account,
            runtime.smartflex if meter.kind is MeterKind.ELECTRICITY_IMPORT else None,
            meter_name=METER_NAMES[meter.kind],
            night=runtime.options.night_window(meter.key),
        )
        await coordinator.async_load_cache()
        if not coordinator.has_prices:
            try:
                # Raises ConfigEntryAuthFailed for a rejected key, and logs nothing itself.
                await coordinator.async_config_entry_first_refresh()
            except ConfigEntryNotReady:
                cause = _cause(coordinator.last_exception)
                if isinstance(cause, OctopusUnavailableError | OctopusRateLimitError):
                    unreachable.append(cause)
        else:
            # Cached prices stay valid; a failure here only schedules a retry.
            await coordinator.async_refresh()
        coordinator.async_start()
        entry.async_on_unload(coordinator.async_stop)
        runtime.rates[meter.key] = coordinator
    loaded = [c for c in runtime.rates.values() if c.has_prices]
    if runtime.meters and not loaded and len(unreachable) == len(runtime.meters):
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="update_failed",
            translation_placeholders={"error": type(unreachable[0]).__name__},
        )


def _cause(err: BaseException | None) -> BaseException | None:
    """The client error behind a coordinator's failure (``UpdateFailed`` wraps it)."""
    return err.__cause__ if err is not None and err.__cause__ is not None else err


async def _async_start_consumption(
    hass: HomeAssistant, entry: OctopusConfigEntry, runtime: OctopusRuntimeData
) -> None:
    """Start consumption polling; the first fetch (a back-fill) runs after set-up, not in it."""
    for meter in runtime.meters:
        coordinator = ConsumptionCoordinator(
            hass,
            entry,
            runtime.client,
            runtime.account,
            meter,
            runtime.options,
            rates=runtime.rates.get(meter.key),
            smartflex=runtime.smartflex,
        )
        await coordinator.async_load_cache()
        runtime.consumption[meter.key] = coordinator
        entry.async_on_unload(coordinator.async_add_listener(_keep_polling))
        # Completed dispatches arrive hours late: the meter re-prices as soon as they do.
        entry.async_on_unload(runtime.smartflex.async_add_listener(coordinator.dispatches_updated))
        # A background task of the entry: a year-long back-fill must not hold up an unload.
        # Unloading cancels it; what was written stays (imports are idempotent) and the next
        # start resumes, since the cache still says the back-fill is not done.
        entry.async_create_background_task(
            hass, coordinator.async_refresh(), f"octopus_kraken consumption {meter.kind}"
        )


def _start_telemetry(
    hass: HomeAssistant, entry: OctopusConfigEntry, runtime: OctopusRuntimeData
) -> None:
    """One Home Mini coordinator per import meter's device, when the option is on."""
    data = runtime.account.data
    if not runtime.options.home_mini or data is None:
        return
    for point in data.account.electricity_meter_points:
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
                interval=runtime.options.telemetry_interval,
                meter_key=meter_key,
                rates=runtime.rates.get(meter_key) if meter_key else None,
            )
            runtime.telemetry[device_id] = telemetry
            entry.async_create_background_task(
                hass, telemetry.async_refresh(), "octopus_kraken home mini"
            )
