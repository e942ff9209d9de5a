"""Sensors of consumption, cost, the account balance and the Home Mini.

Per meter: the previous complete day's consumption and cost (income for export), with the day's
half-hours as an attribute, the latest reading time and the current tariff code. Account: the
balance. Home Mini: current demand, today's consumption so far and its estimated cost.

The day sensors use ``state_class: total`` with ``last_reset`` at the start of the day they
describe: the Energy dashboard accepts them, but a day's energy would be booked in the hour the
sensor changed, so the README points to the hourly external statistics instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfEnergy, UnitOfPower
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import Fuel
from .const import UK_TZ
from .coordinators.account import AccountCoordinator, AccountData
from .coordinators.consumption import ConsumptionCoordinator
from .coordinators.telemetry import TelemetryCoordinator, TelemetryData
from .domain.consumption import ConsumptionData
from .domain.cost import VOLUME_CORRECTION
from .entity import OctopusEntity, account_device_info, meter_device_info
from .entity_ids import account_object_prefix, meter_object_prefix
from .meters import M3, MeterConfig, agreement_at, agreements_for
from .runtime import OctopusConfigEntry

CURRENCY = "GBP"
_PENCE = Decimal(100)


def _gbp(pence: Decimal | None) -> Decimal | None:
    return None if pence is None else round(pence / _PENCE, 2)


@dataclass(frozen=True, kw_only=True)
class ConsumptionSensorDescription(SensorEntityDescription):
    """A meter sensor computed from the consumption coordinator's data."""

    value_fn: Callable[[ConsumptionData], Any]
    last_reset_fn: Callable[[ConsumptionData], datetime | None] = lambda _: None
    attributes_fn: Callable[[ConsumptionCoordinator, ConsumptionData], dict[str, Any]] = (
        lambda _coordinator, _data: {}
    )


def _day_kwh(data: ConsumptionData) -> Decimal | None:
    return None if data.previous_day is None else round(data.previous_day.kwh, 3)


def _day_cost(data: ConsumptionData) -> Decimal | None:
    return None if data.previous_day is None else _gbp(data.previous_day.cost)


def _day_start(data: ConsumptionData) -> datetime | None:
    return None if data.previous_day is None else data.previous_day.start


def _day_breakdown(coordinator: ConsumptionCoordinator, data: ConsumptionData) -> dict[str, Any]:
    """The previous day's half-hours, and for gas how its volume was converted."""
    attributes: dict[str, Any] = {}
    if data.previous_day is not None:
        attributes["date"] = data.previous_day.day.isoformat()
        attributes["half_hours"] = [
            {
                "start": dt_util.as_local(u.start).isoformat(),
                "kwh": float(round(u.kwh, 4)),
                "cost": None if u.cost is None else float(round(u.cost / _PENCE, 4)),
            }
            for u in data.previous_day.half_hours
        ]
    if coordinator.meter.fuel is Fuel.GAS:
        converted = data.unit == M3
        attributes["unit_reported"] = data.unit
        attributes["converted_to_kwh"] = converted
        if converted:
            attributes["calorific_value"] = float(coordinator.calorific_value)
            attributes["volume_correction"] = float(VOLUME_CORRECTION)
    return attributes


def _meter_descriptions(is_export: bool) -> tuple[ConsumptionSensorDescription, ...]:
    return (
        ConsumptionSensorDescription(
            key="previous_day_consumption",
            translation_key="previous_day_export" if is_export else "previous_day_consumption",
            device_class=SensorDeviceClass.ENERGY,
            state_class=SensorStateClass.TOTAL,
            native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
            suggested_display_precision=2,
            value_fn=_day_kwh,
            last_reset_fn=_day_start,
            attributes_fn=_day_breakdown,
        ),
        ConsumptionSensorDescription(
            key="previous_day_cost",
            translation_key="previous_day_income" if is_export else "previous_day_cost",
            device_class=SensorDeviceClass.MONETARY,
            state_class=SensorStateClass.TOTAL,
            native_unit_of_measurement=CURRENCY,
            suggested_display_precision=2,
            value_fn=_day_cost,
            last_reset_fn=_day_start,
        ),
        ConsumptionSensorDescription(
            key="latest_reading",
            translation_key="latest_reading",
            device_class=SensorDeviceClass.TIMESTAMP,
            entity_category=EntityCategory.DIAGNOSTIC,
            value_fn=lambda data: data.last_end,
        ),
    )


class MeterConsumptionSensor(OctopusEntity[ConsumptionCoordinator], SensorEntity):
    """A sensor of one meter's reported consumption."""

    entity_description: ConsumptionSensorDescription
    _unrecorded_attributes = frozenset({"half_hours"})

    @callback
    def _recompute(self) -> None:
        data: ConsumptionData | None = self.coordinator.data
        if data is None:
            return
        description = self.entity_description
        self._attr_native_value = description.value_fn(data)
        self._attr_last_reset = description.last_reset_fn(data)
        self._attr_extra_state_attributes = description.attributes_fn(self.coordinator, data)


class TariffSensor(OctopusEntity[AccountCoordinator], SensorEntity):
    """The tariff code of the meter's agreement in force now."""

    def __init__(self, coordinator: AccountCoordinator, meter: MeterConfig, **kwargs: Any) -> None:
        """Create the sensor for ``meter``."""
        self._meter = meter
        super().__init__(coordinator, **kwargs)

    @callback
    def _recompute(self) -> None:
        data: AccountData | None = self.coordinator.data
        agreement = agreement_at(
            agreements_for(data.account if data else None, self._meter), dt_util.utcnow()
        )
        self._attr_native_value = agreement.tariff.tariff_code if agreement else None
        self._attr_extra_state_attributes = (
            {
                "valid_from": agreement.valid_from and agreement.valid_from.isoformat(),
                "valid_to": agreement.valid_to and agreement.valid_to.isoformat(),
            }
            if agreement
            else {}
        )


class BalanceSensor(OctopusEntity[AccountCoordinator], SensorEntity):
    """The account balance in GBP: positive in credit, negative in debt."""

    _live_data = True

    @callback
    def _recompute(self) -> None:
        data = self.coordinator.data
        self._attr_native_value = _gbp(data.account.balance) if data else None


@dataclass(frozen=True, kw_only=True)
class TelemetrySensorDescription(SensorEntityDescription):
    """A Home Mini sensor."""

    value_fn: Callable[[TelemetryData], Any]
    last_reset_fn: Callable[[TelemetryData], datetime | None] | None = None


def _start_of_day(data: TelemetryData) -> datetime:
    return dt_util.as_utc(datetime.combine(data.day, datetime.min.time(), UK_TZ))


TELEMETRY_SENSORS = (
    TelemetrySensorDescription(
        key="home_mini_demand",
        translation_key="home_mini_demand",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        value_fn=lambda data: data.demand_w,
    ),
    TelemetrySensorDescription(
        key="home_mini_consumption_today",
        translation_key="home_mini_consumption_today",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        value_fn=lambda data: round(data.today_kwh, 4),
    ),
    TelemetrySensorDescription(
        key="home_mini_cost_today",
        translation_key="home_mini_cost_today",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        native_unit_of_measurement=CURRENCY,
        suggested_display_precision=2,
        value_fn=lambda data: _gbp(data.today_cost),
        last_reset_fn=_start_of_day,
    ),
)


class TelemetrySensor(OctopusEntity[TelemetryCoordinator], SensorEntity):
    """A Home Mini reading."""

    entity_description: TelemetrySensorDescription
    _live_data = True

    @property
    def available(self) -> bool:
        """Unavailable while a poll fails or the API does not know the device."""
        data = self.coordinator.data
        return super().available and data is not None and not data.absent

    @callback
    def _recompute(self) -> None:
        data = self.coordinator.data
        if data is None or data.absent:
            return
        description = self.entity_description
        self._attr_native_value = description.value_fn(data)
        if description.last_reset_fn is not None:
            self._attr_last_reset = description.last_reset_fn(data)


def add_consumption_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add every consumption, balance and Home Mini sensor of the entry."""
    runtime = entry.runtime_data
    account = runtime.account
    number = account.account_number
    entities: list[SensorEntity] = [
        BalanceSensor(
            account,
            SensorEntityDescription(
                key="balance",
                translation_key="balance",
                device_class=SensorDeviceClass.MONETARY,
                native_unit_of_measurement=CURRENCY,
                suggested_display_precision=2,
            ),
            device_info=account_device_info(number),
            unique_id_prefix=f"{number}_account",
            object_id_prefix=account_object_prefix(number),
        )
    ]
    for meter in runtime.meters:
        device = meter_device_info(number, meter)
        prefix = f"{number}_{meter.key}"
        object_id_prefix = meter_object_prefix(meter)
        entities.append(
            TariffSensor(
                account,
                meter,
                description=SensorEntityDescription(key="tariff", translation_key="tariff"),
                device_info=device,
                unique_id_prefix=prefix,
                object_id_prefix=object_id_prefix,
            )
        )
        coordinator = runtime.consumption.get(meter.key)
        if coordinator is None:
            continue
        entities.extend(
            MeterConsumptionSensor(
                coordinator,
                description,
                device_info=device,
                unique_id_prefix=prefix,
                object_id_prefix=object_id_prefix,
            )
            for description in _meter_descriptions(meter.is_export)
        )
    async_add_entities(entities)


def _home_mini_sensors(
    entry: OctopusConfigEntry, device_id: str, telemetry: TelemetryCoordinator
) -> list[SensorEntity]:
    runtime = entry.runtime_data
    number = runtime.account.account_number
    home_meter = next((m for m in runtime.meters if m.key == telemetry.meter_key), None)
    if home_meter is None:
        device = account_device_info(number)
        object_id_prefix = account_object_prefix(number)
    else:
        device = meter_device_info(number, home_meter)
        object_id_prefix = meter_object_prefix(home_meter)
    return [
        TelemetrySensor(
            telemetry,
            description,
            device_info=device,
            unique_id_prefix=f"{number}_home_mini_{device_id}",
            object_id_prefix=object_id_prefix,
        )
        for description in TELEMETRY_SENSORS
    ]


def add_home_mini_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a Home Mini's sensors once it has reported (at set-up, or when it first does)."""
    added: set[str] = set()

    @callback
    def _add_reported() -> None:
        for device_id, telemetry in entry.runtime_data.telemetry.items():
            if telemetry.reported and device_id not in added:
                added.add(device_id)
                async_add_entities(_home_mini_sensors(entry, device_id, telemetry))

    _add_reported()
    for telemetry in entry.runtime_data.telemetry.values():
        # Also keeps a silent device's daily probe scheduled while it has no entities.
        entry.async_on_unload(telemetry.async_add_listener(_add_reported))
