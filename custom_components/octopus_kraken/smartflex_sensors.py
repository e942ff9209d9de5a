"""SmartFlex sensors: next dispatch, planned charge today, device status, charging preferences."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import PERCENTAGE, UnitOfEnergy
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import SmartFlexDevice
from .coordinators.smartflex import SmartFlexCoordinator
from .runtime import OctopusConfigEntry
from .smartflex import SmartFlexEntity, async_add_smartflex_entities
from .smartflex_view import STATUS_OPTIONS, DeviceView

type SensorValue = str | int | float | Decimal | datetime | None


@dataclass(frozen=True, kw_only=True, slots=True)
class SmartFlexSensorDescription(SensorEntityDescription):
    """A SmartFlex sensor and how to read its value from the device's view."""

    value_fn: Callable[[DeviceView], SensorValue]


def _ready_by(view: DeviceView) -> str | None:
    return view.ready_by.strftime("%H:%M") if view.ready_by is not None else None


SENSORS: tuple[SmartFlexSensorDescription, ...] = (
    SmartFlexSensorDescription(
        key="next_dispatch_start",
        translation_key="next_dispatch_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda v: v.upcoming.start if v.upcoming else None,
    ),
    SmartFlexSensorDescription(
        key="next_dispatch_end",
        translation_key="next_dispatch_end",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda v: v.upcoming.end if v.upcoming else None,
    ),
    SmartFlexSensorDescription(
        key="planned_charge_today",
        translation_key="planned_charge_today",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda v: v.planned_today_kwh,
    ),
    SmartFlexSensorDescription(
        key="device_status",
        translation_key="device_status",
        device_class=SensorDeviceClass.ENUM,
        options=STATUS_OPTIONS,
        value_fn=lambda v: v.status,
    ),
    # The charge target and ready-by controls show the same values; these are for dashboards
    # that prefer read-only entities, so they start disabled.
    SmartFlexSensorDescription(
        key="charge_target",
        translation_key="charge_target",
        native_unit_of_measurement=PERCENTAGE,
        entity_registry_enabled_default=False,
        value_fn=lambda v: v.target_percentage,
    ),
    SmartFlexSensorDescription(
        key="ready_by",
        translation_key="ready_by",
        entity_registry_enabled_default=False,
        value_fn=_ready_by,
    ),
)


class SmartFlexSensor(SmartFlexEntity, SensorEntity):
    """A sensor of one SmartFlex device."""

    entity_description: SmartFlexSensorDescription

    @callback
    def _recompute(self) -> None:
        super()._recompute()
        view = self.view
        self._attr_native_value = (
            self.entity_description.value_fn(view) if view is not None else None
        )


def _sensors(
    coordinator: SmartFlexCoordinator, device: SmartFlexDevice
) -> Iterable[SmartFlexSensor]:
    return (SmartFlexSensor(coordinator, d, device) for d in SENSORS)


@callback
def add_smartflex_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the sensors of every SmartFlex device, now and as devices appear."""
    async_add_smartflex_entities(entry, async_add_entities, _sensors)
