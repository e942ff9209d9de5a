"""Heat pump entities (read-only): connection, and zone and hot-water status where Octopus gives it.

One device per heat pump the account's device list has; the values come from the heat pump
coordinator's ``heatPumpStatus``. Only ``isConnected`` is defined in the API reference (its
``climateControlStatus`` and ``waterTemperatureStatus`` are typed there, their fields are not):
the zone and hot-water values read *unknown* when a field is absent or of another type, and
are unavailable once the API refused those field names (renamed or removed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfTemperature
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import HeatPumpStatus, SmartFlexDevice
from .const import DOMAIN
from .coordinators.heat_pump import HeatPumpCoordinator
from .entity import OctopusEntity
from .heat_pump import async_follow_heat_pump
from .runtime import OctopusConfigEntry


@dataclass(frozen=True, kw_only=True, slots=True)
class HeatPumpBinaryDescription(BinarySensorEntityDescription):
    """A heat pump on/off value."""

    value_fn: Callable[[HeatPumpStatus], bool | None]
    # In the API reference (``isConnected``); the others' field names are not.
    in_reference: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class HeatPumpSensorDescription(SensorEntityDescription):
    """A heat pump temperature (field names not in the API reference)."""

    value_fn: Callable[[HeatPumpStatus], Decimal | None]
    in_reference: bool = False


BINARY_SENSORS = (
    HeatPumpBinaryDescription(
        key="heat_pump_connected",
        translation_key="heat_pump_connected",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda s: s.is_connected,
        in_reference=True,
    ),
    HeatPumpBinaryDescription(
        key="heat_pump_climate_control",
        translation_key="heat_pump_climate_control",
        value_fn=lambda s: s.climate_control_enabled,
    ),
    HeatPumpBinaryDescription(
        key="heat_pump_water_heating",
        translation_key="heat_pump_water_heating",
        value_fn=lambda s: s.water_heating_enabled,
    ),
)


def _temperature(
    key: str, value_fn: Callable[[HeatPumpStatus], Decimal | None]
) -> HeatPumpSensorDescription:
    return HeatPumpSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=value_fn,
    )


SENSORS = (
    _temperature("heat_pump_zone_temperature", lambda s: s.climate_current_temperature),
    _temperature("heat_pump_zone_target_temperature", lambda s: s.climate_target_temperature),
    _temperature("heat_pump_water_temperature", lambda s: s.water_current_temperature),
)


def heat_pump_device_info(account_number: str, device: SmartFlexDevice) -> DeviceInfo:
    """One device per heat pump (make and model from the device list when Octopus gives them)."""
    return DeviceInfo(
        identifiers={(DOMAIN, f"heat_pump_{device.id}")},
        name=device.name or "Heat pump",
        manufacturer=device.make or device.provider,
        model=device.model or "Heat pump",
        via_device=(DOMAIN, f"account_{account_number}"),
    )


class _HeatPumpEntity(OctopusEntity[HeatPumpCoordinator]):
    _live_data = True
    entity_description: HeatPumpBinaryDescription | HeatPumpSensorDescription

    def __init__(
        self,
        coordinator: HeatPumpCoordinator,
        description: HeatPumpBinaryDescription | HeatPumpSensorDescription,
        device: SmartFlexDevice,
    ) -> None:
        super().__init__(
            coordinator,
            description,
            device_info=heat_pump_device_info(coordinator.account_number, device),
            unique_id_prefix=f"heat_pump_{device.id}",
        )

    @property
    def available(self) -> bool:
        """Unavailable, not *unknown*, once the API refused the fields the reference lacks."""
        data = self.coordinator.data
        refused = data is not None and not data.detailed
        return super().available and (self.entity_description.in_reference or not refused)

    def _status(self) -> HeatPumpStatus | None:
        data = self.coordinator.data
        return None if data is None else data.status


class HeatPumpBinarySensor(_HeatPumpEntity, BinarySensorEntity):
    """Connected, climate control on, hot-water heating on."""

    entity_description: HeatPumpBinaryDescription

    @callback
    def _recompute(self) -> None:
        status = self._status()
        self._attr_is_on = None if status is None else self.entity_description.value_fn(status)


class HeatPumpSensor(_HeatPumpEntity, SensorEntity):
    """Zone temperature and target, hot-water temperature (°C)."""

    entity_description: HeatPumpSensorDescription

    @callback
    def _recompute(self) -> None:
        status = self._status()
        self._attr_native_value = (
            None if status is None else self.entity_description.value_fn(status)
        )


def _follow_heat_pumps(
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: Callable[[HeatPumpCoordinator, SmartFlexDevice], Iterable[Entity]],
) -> None:
    """Add ``factory``'s entities for each heat pump, now and when one appears on the account.

    The account's regular refresh reads the device list anyway: a heat pump added later gets
    its coordinator and entities then, with no reload and no request of its own.
    """
    account = entry.runtime_data.account
    added: set[str] = set()

    @callback
    def _add_new() -> None:
        coordinator = async_follow_heat_pump(account.hass, entry)
        data = account.data
        if coordinator is None or data is None:
            return
        new = [d for d in data.devices if d.is_heat_pump and d.id not in added]
        if new:
            added.update(d.id for d in new)
            async_add_entities([e for device in new for e in factory(coordinator, device)])

    _add_new()
    entry.async_on_unload(account.async_add_listener(_add_new))


def add_heat_pump_binary_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Connection, climate control and hot-water heating of each heat pump."""
    _follow_heat_pumps(
        entry,
        async_add_entities,
        lambda coordinator, device: [
            HeatPumpBinarySensor(coordinator, description, device) for description in BINARY_SENSORS
        ],
    )


def add_heat_pump_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Zone and hot-water temperatures of each heat pump."""
    _follow_heat_pumps(
        entry,
        async_add_entities,
        lambda coordinator, device: [
            HeatPumpSensor(coordinator, description, device) for description in SENSORS
        ],
    )
