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
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .coordinators.dispatch import DispatchCoordinator
from .coordinators.dispatch_view import DeviceView
from .runtime import OctopusConfigEntry
from .smartflex import SmartFlexEntity, async_add_smartflex_entities


@dataclass(frozen=True, kw_only=True, slots=True)
class SmartFlexBinarySensorDescription(BinarySensorEntityDescription):
    """A SmartFlex binary sensor: its state and attributes from the view and coordinator."""

    is_on_fn: Callable[[DispatchCoordinator, DeviceView], bool]
    attributes_fn: Callable[[DeviceView], dict[str, Any]] | None = None
    intelligent_go_only: bool = False  # its meaning is Intelligent Octopus Go's billing


def _dispatch_attributes(view: DeviceView) -> dict[str, Any]:
    return {
        "planned_dispatches": list(view.planned_attribute),
        "completed_dispatches": list(view.completed_attribute),
        "next_dispatch_start": view.upcoming.start if view.upcoming else None,
    }


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
        is_on_fn=lambda c, _: c.off_peak_now,
        intelligent_go_only=True,
    ),
)


class SmartFlexBinarySensor(SmartFlexEntity, BinarySensorEntity):
    """A binary sensor of one SmartFlex device."""

    entity_description: SmartFlexBinarySensorDescription
    # Lists of dispatches change often and are large: keep them out of the recorder.
    _unrecorded_attributes = frozenset({"planned_dispatches", "completed_dispatches"})

    def __init__(
        self,
        coordinator: DispatchCoordinator,
        description: SmartFlexBinarySensorDescription,
        device_id: str,
    ) -> None:
        """Create the binary sensor and read its first state."""
        super().__init__(coordinator, description, device_id)
        self._update_state()

    def _update_state(self) -> None:
        view = self.view
        description = self.entity_description
        if view is None:
            self._attr_is_on = None
            self._attr_extra_state_attributes = {}
            return
        self._attr_is_on = description.is_on_fn(self.coordinator, view)
        if description.attributes_fn is not None:
            self._attr_extra_state_attributes = description.attributes_fn(view)

    @callback
    def _handle_coordinator_update(self) -> None:
        self._update_state()
        super()._handle_coordinator_update()


def _binary_sensors(
    coordinator: DispatchCoordinator, device_id: str
) -> Iterable[SmartFlexBinarySensor]:
    return (
        SmartFlexBinarySensor(coordinator, d, device_id)
        for d in BINARY_SENSORS
        if coordinator.on_intelligent_go or not d.intelligent_go_only
    )


@callback
def async_setup_smartflex_binary_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Add the binary sensors of every SmartFlex device, now and as devices appear."""
    async_add_smartflex_entities(entry, async_add_entities, _binary_sensors)
