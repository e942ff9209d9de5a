"""SmartFlex binary sensors: "dispatching" (with Predbat's attributes) and "off-peak now"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import SmartFlexDevice
from .coordinators.smartflex import SmartFlexCoordinator, SmartFlexData
from .runtime import OctopusConfigEntry, OctopusRuntimeData
from .smartflex import SmartFlexEntity, async_add_smartflex_entities
from .smartflex_view import DeviceView, off_peak_now


@dataclass(frozen=True, kw_only=True, slots=True)
class SmartFlexBinarySensorDescription(BinarySensorEntityDescription):
    """A SmartFlex binary sensor: its state and attributes from the view and coordinator."""

    is_on_fn: Callable[[SmartFlexData, DeviceView], bool]
    attributes_fn: Callable[[DeviceView], dict[str, Any]] | None = None
    exists_fn: Callable[[OctopusRuntimeData], bool] = lambda _: True


def _dispatch_attributes(view: DeviceView) -> dict[str, Any]:
    return {
        "planned_dispatches": list(view.planned_attribute),
        "completed_dispatches": list(view.completed_attribute),
        "next_dispatch_start": view.upcoming.start if view.upcoming else None,
    }


def _off_peak_now(data: SmartFlexData) -> bool:
    now = dt_util.utcnow()
    return off_peak_now(now, data.off_peak_periods(now))


BINARY_SENSORS: tuple[SmartFlexBinarySensorDescription, ...] = (
    SmartFlexBinarySensorDescription(
        key="dispatching",
        translation_key="dispatching",
        is_on_fn=lambda _, v: v.current is not None,
        attributes_fn=_dispatch_attributes,
    ),
    SmartFlexBinarySensorDescription(
        key="off_peak",
        translation_key="off_peak",
        # Billing is per meter: any device's dispatch makes the half-hour cheap for the house.
        is_on_fn=lambda data, _: _off_peak_now(data),
        # Its meaning is Intelligent Octopus Go's billing.
        exists_fn=lambda runtime: runtime.on_intelligent_go,
    ),
)


class SmartFlexBinarySensor(SmartFlexEntity, BinarySensorEntity):
    """A binary sensor of one SmartFlex device."""

    entity_description: SmartFlexBinarySensorDescription
    # Lists of dispatches change often and are large: keep them out of the recorder.
    _unrecorded_attributes = frozenset({"planned_dispatches", "completed_dispatches"})

    @callback
    def _recompute(self) -> None:
        super()._recompute()
        view = self.view
        data = self.coordinator.data
        description = self.entity_description
        if view is None or data is None:
            self._attr_is_on = None
            self._attr_extra_state_attributes = {}
            return
        self._attr_is_on = description.is_on_fn(data, view)
        if description.attributes_fn is not None:
            self._attr_extra_state_attributes = description.attributes_fn(view)


@callback
def add_smartflex_binary_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the binary sensors of every SmartFlex device, now and as devices appear."""
    descriptions = [d for d in BINARY_SENSORS if d.exists_fn(entry.runtime_data)]

    def _binary_sensors(
        coordinator: SmartFlexCoordinator, device: SmartFlexDevice
    ) -> Iterable[SmartFlexBinarySensor]:
        return (SmartFlexBinarySensor(coordinator, d, device) for d in descriptions)

    async_add_smartflex_entities(entry, async_add_entities, _binary_sensors)
