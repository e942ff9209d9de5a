"""SmartFlex (Intelligent Octopus): set-up, the off-peak hand-over to the rates, the base entity.

One :class:`DispatchCoordinator` per entry lives at ``runtime.dispatch[DISPATCH_KEY]``; other
features read ``coordinator.data.completed`` (completed dispatches kept for 30 days) and
``coordinator.off_peak_periods`` (dispatch half-hours billed off-peak, capped per day).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
import inspect

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import Fuel
from .coordinators.dispatch import DispatchCoordinator
from .coordinators.dispatch_view import DeviceView
from .domain.tariff_codes import InvalidTariffCodeError, TariffKind, parse_tariff_code
from .domain.time import Period
from .entity import OctopusEntity, smartflex_device_info
from .runtime import OctopusConfigEntry, OctopusRuntimeData, agreement_at, agreements_for

DISPATCH_KEY = "smartflex"


def dispatch_coordinator(entry: OctopusConfigEntry) -> DispatchCoordinator | None:
    """The entry's dispatch coordinator (None before set-up)."""
    coordinator = entry.runtime_data.dispatch.get(DISPATCH_KEY)
    return coordinator if isinstance(coordinator, DispatchCoordinator) else None


async def async_setup_smartflex(hass: HomeAssistant, entry: OctopusConfigEntry) -> None:
    """Create the dispatch coordinator: cached plans show at once, the refresh follows."""
    runtime = entry.runtime_data
    coordinator = DispatchCoordinator(hass, entry, runtime.client, runtime.account)
    await coordinator.async_load_cache()
    # A SmartFlex failure must not keep meters and rates from loading: no first-refresh raise.
    await coordinator.async_refresh()
    coordinator.off_peak_sink = lambda periods: _push_off_peak(hass, entry, runtime, periods)
    coordinator.on_intelligent_go = on_intelligent_go(runtime, dt_util.utcnow())
    runtime.dispatch[DISPATCH_KEY] = coordinator
    coordinator.async_start()


def on_intelligent_go(runtime: OctopusRuntimeData, now: datetime) -> bool:
    """Whether an import meter of the entry is on Intelligent Octopus Go at ``now``."""
    account = runtime.account.data.account if runtime.account.data is not None else None
    for meter in runtime.meters:
        if meter.fuel is not Fuel.ELECTRICITY or meter.is_export:
            continue
        agreement = agreement_at(agreements_for(account, meter), now)
        if agreement is None:
            continue
        try:
            code = parse_tariff_code(agreement.tariff.tariff_code)
        except InvalidTariffCodeError:
            continue
        if code.kind is TariffKind.INTELLIGENT_GO:
            return True
    return False


def _push_off_peak(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    runtime: OctopusRuntimeData,
    periods: list[Period],
) -> bool:
    """Give the import meters' rates the dispatch periods; False if none takes them yet.

    Every electricity import meter gets them: its rates coordinator applies them only while the
    meter is on Intelligent Octopus Go, so a tariff change needs nothing from here.
    """
    delivered = False
    for meter in runtime.meters:
        if meter.fuel is not Fuel.ELECTRICITY or meter.is_export:
            continue
        method = getattr(runtime.rates.get(meter.key), "async_set_dispatch_off_peak", None)
        if method is None:
            continue
        result = method(list(periods))
        if inspect.iscoroutine(result):
            entry.async_create_task(hass, result, "octopus_kraken dispatch off-peak")
        delivered = True
    return delivered


@callback
def async_add_smartflex_entities(
    entry: OctopusConfigEntry,
    async_add_entities: AddEntitiesCallback,
    factory: Callable[[DispatchCoordinator, str], Iterable[Entity]],
) -> None:
    """Add ``factory``'s entities for every SmartFlex device, now and whenever one appears."""
    coordinator = dispatch_coordinator(entry)
    if coordinator is None:
        return
    added: set[str] = set()

    @callback
    def _add_new_devices() -> None:
        # A device removed from the registry loses its entities; if it comes back, re-add them.
        added.intersection_update(coordinator.views)
        new = [device_id for device_id in coordinator.views if device_id not in added]
        if new:
            added.update(new)
            async_add_entities([e for device_id in new for e in factory(coordinator, device_id)])

    _add_new_devices()
    entry.async_on_unload(coordinator.async_add_listener(_add_new_devices))


class SmartFlexEntity(OctopusEntity[DispatchCoordinator]):
    """An entity of one SmartFlex device; unavailable once the account no longer has it."""

    def __init__(
        self, coordinator: DispatchCoordinator, description: EntityDescription, device_id: str
    ) -> None:
        """Attach the entity to the device's own device."""
        device = coordinator.views[device_id].device
        super().__init__(
            coordinator,
            description,
            device_info=smartflex_device_info(coordinator.account_number, device),
            unique_id_prefix=f"{coordinator.account_number}_smartflex_{device_id}",
        )
        self.device_id = device_id

    @property
    def view(self) -> DeviceView | None:
        """The device as last computed by the coordinator."""
        return self.coordinator.views.get(self.device_id)

    @property
    def available(self) -> bool:
        """Available while the account has the device and there is data."""
        return super().available and self.device_id in self.coordinator.views
