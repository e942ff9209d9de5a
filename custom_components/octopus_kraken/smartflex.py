"""SmartFlex (Intelligent Octopus) on the entity side: the base entity and adding devices' entities.

The entry's :class:`SmartFlexCoordinator` is ``runtime.smartflex``. Each entity computes its
device's :class:`DeviceView` when the coordinator (or its clock) wakes it; devices the account
gains later get their entities as they appear.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import SmartFlexDevice
from .coordinators.smartflex import SmartFlexCoordinator
from .entity import OctopusEntity, smartflex_device_info
from .runtime import OctopusConfigEntry
from .smartflex_view import DeviceView, build_view


@callback
def async_add_smartflex_entities(
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: Callable[[SmartFlexCoordinator, SmartFlexDevice], Iterable[Entity]],
) -> None:
    """Add ``factory``'s entities for every SmartFlex device, now and whenever one appears."""
    coordinator = entry.runtime_data.smartflex
    added: set[str] = set()

    @callback
    def _add_new_devices() -> None:
        data = coordinator.data
        devices = coordinator.tracked(data.devices) if data is not None else []
        # A device removed from the registry loses its entities; if it comes back, re-add them.
        added.intersection_update(d.id for d in devices)
        new = [device for device in devices if device.id not in added]
        if new:
            added.update(d.id for d in new)
            async_add_entities([e for device in new for e in factory(coordinator, device)])

    _add_new_devices()
    entry.async_on_unload(coordinator.async_add_listener(_add_new_devices))


class SmartFlexEntity(OctopusEntity[SmartFlexCoordinator]):
    """An entity of one SmartFlex device; unavailable once the account no longer has it."""

    def __init__(
        self,
        coordinator: SmartFlexCoordinator,
        description: EntityDescription,
        device: SmartFlexDevice,
    ) -> None:
        """Attach the entity to the device's own device."""
        super().__init__(
            coordinator,
            description,
            device_info=smartflex_device_info(coordinator.account_number, device),
            unique_id_prefix=f"{coordinator.account_number}_smartflex_{device.id}",
        )
        self.device_id = device.id
        self.view: DeviceView | None = None
        self._recompute()

    @callback
    def _recompute(self) -> None:
        """The device as its entities show it now (None once the account no longer has it)."""
        data = self.coordinator.data
        device = data.device(self.device_id) if data is not None else None
        if data is None or device is None or self.device_id not in self.coordinator.tracked_ids():
            self.view = None
            return
        self.view = build_view(
            device, data.planned.get(self.device_id, ()), data.completed, dt_util.utcnow()
        )

    @property
    def available(self) -> bool:
        """Available while the account has the device and there is data."""
        return super().available and self.view is not None
