"""The sensors of each tariff comparison: the previous day and the month, on both tariffs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .comparison import TariffComparison
from .comparison_model import SUBENTRY_TYPE, compared_meter
from .const import DOMAIN
from .domain.comparison import ComparedDay
from .domain.time import local_day_bounds
from .entity import MANUFACTURER
from .runtime import OctopusConfigEntry
from .subentry_sensor import SubentrySensor

_PENCE_PER_POUND = Decimal(100)


def _gbp(pence: Decimal) -> float:
    return float(round(pence / _PENCE_PER_POUND, 6))


@dataclass(frozen=True, kw_only=True, slots=True)
class ComparisonDescription(SensorEntityDescription):
    """A comparison sensor: the previous day or the month, on the meter's or the compared tariff."""

    month: bool
    compared: bool


DESCRIPTIONS = tuple(
    ComparisonDescription(
        key=f"{span}_{side}",
        translation_key=f"comparison_{span}_{side}",
        month=span == "month",
        compared=side == "compared",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        native_unit_of_measurement="GBP",
        suggested_display_precision=2,
    )
    for span in ("previous_day", "month")
    for side in ("current", "compared")
)


async def async_setup_comparisons(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Start one comparison per tariff-comparison subentry and add its sensors under it."""
    runtime = entry.runtime_data
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_TYPE:
            continue
        meter = compared_meter(runtime.meters, subentry.data)
        consumption = runtime.consumption.get(meter.key) if meter else None
        if meter is None or consumption is None:
            continue  # the meter was deselected: nothing to compare
        comparison = TariffComparison(
            hass,
            entry,
            subentry,
            runtime.client,
            meter,
            consumption,
            runtime.smartflex,
            write_statistics=runtime.options.import_statistics,
        )
        await comparison.async_load()
        runtime.comparisons[subentry.subentry_id] = comparison
        comparison.async_start()
        entry.async_on_unload(comparison.async_stop)
        device = _device(subentry, meter.key)
        async_add_entities(
            [ComparisonSensor(comparison, description, device) for description in DESCRIPTIONS],
            config_subentry_id=subentry.subentry_id,
        )


def _device(subentry: ConfigSubentry, meter_key: str) -> DeviceInfo:
    return DeviceInfo(
        identifiers={(DOMAIN, f"comparison_{subentry.subentry_id}")},
        name=subentry.title,
        manufacturer=MANUFACTURER,
        model="Tariff comparison",
        entry_type=DeviceEntryType.SERVICE,
        via_device=(DOMAIN, f"meter_{meter_key}"),
    )


def _day_total(day: ComparedDay, compared: bool) -> Decimal:
    return day.compared if compared else day.current


class ComparisonSensor(SubentrySensor[TariffComparison]):
    """GBP inc VAT (income for export) of the previous complete day or the month so far."""

    # The breakdowns are for cards and templates; the recorder keeps only the totals.
    _unrecorded_attributes = frozenset({"half_hours", "days"})
    entity_description: ComparisonDescription

    @callback
    def _refresh(self) -> None:
        description = self.entity_description
        days = (
            self._model.month()
            if description.month
            else [d for d in (self._model.latest,) if d is not None]
        )
        if not days:
            self._attr_native_value = None
            self._attr_extra_state_attributes = {"tariff_code": self._tariff_code()}
            return
        total = sum((_day_total(d, description.compared) for d in days), Decimal(0))
        self._attr_native_value = _gbp(total)
        start: datetime = local_day_bounds(days[0].day, dt_util.get_default_time_zone())[0]
        self._attr_last_reset = dt_util.as_local(start)
        attributes: dict[str, Any] = {
            "tariff_code": self._tariff_code(),
            "consumption_kwh": float(sum((d.kwh for d in days), Decimal(0))),
        }
        if description.month:
            attributes |= {
                "month": days[-1].day.strftime("%Y-%m"),
                "first_day": days[0].day.isoformat(),
                "last_day": days[-1].day.isoformat(),
                "days_counted": len(days),
                "days": [_day_row(d) for d in days],
            }
        else:
            day = days[0]
            attributes |= {
                "date": day.day.isoformat(),
                "standing_charge": _optional_gbp(
                    day.compared_standing if description.compared else day.current_standing
                ),
                "half_hours": [
                    {
                        "start": dt_util.as_local(half.start).isoformat(),
                        "consumption_kwh": float(half.kwh),
                        "current": _gbp(half.current),
                        "compared": _gbp(half.compared),
                    }
                    for half in day.half_hours
                ],
            }
        self._attr_extra_state_attributes = attributes

    def _tariff_code(self) -> str | None:
        if self.entity_description.compared:
            return self._model.tariff_code
        return self._model.current_tariff_code()


def _optional_gbp(pence: Decimal | None) -> float | None:
    return None if pence is None else _gbp(pence)


def _day_row(day: ComparedDay) -> dict[str, Any]:
    return {
        "date": day.day.isoformat(),
        "consumption_kwh": float(day.kwh),
        "current": _gbp(day.current),
        "compared": _gbp(day.compared),
    }
