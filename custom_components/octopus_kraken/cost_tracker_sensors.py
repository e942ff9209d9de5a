"""The sensors of each cost tracker: what the tracked energy cost today, this week, this month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

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

from .const import DOMAIN
from .cost_tracker import CostTracker, import_rates
from .cost_tracker_model import SUBENTRY_TYPE
from .domain.cost_tracking import TrackedPeriod
from .domain.time import local_day_bounds
from .entity import MANUFACTURER
from .runtime import OctopusConfigEntry
from .subentry_sensor import SubentrySensor

_PENCE_PER_POUND = Decimal(100)


@dataclass(frozen=True, kw_only=True, slots=True)
class CostTrackerDescription(SensorEntityDescription):
    """A tracker sensor: which running total it shows."""

    period: TrackedPeriod


DESCRIPTIONS = tuple(
    CostTrackerDescription(
        key=f"cost_{period.value}",
        translation_key=f"tracked_cost_{period.value}",
        period=period,
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        native_unit_of_measurement="GBP",
        suggested_display_precision=2,
    )
    for period in TrackedPeriod
)


async def async_setup_cost_trackers(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Start one tracker per cost-tracker subentry and add its sensors under the subentry."""
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_TYPE:
            continue
        tracker = CostTracker(hass, entry, subentry)
        await tracker.async_load()
        tracker.async_start()
        entry.async_on_unload(tracker.async_stop)
        device = _device(entry, subentry)
        async_add_entities(
            [CostTrackerSensor(tracker, description, device) for description in DESCRIPTIONS],
            config_subentry_id=subentry.subentry_id,
        )


def _device(entry: OctopusConfigEntry, subentry: ConfigSubentry) -> DeviceInfo:
    device = DeviceInfo(
        identifiers={(DOMAIN, f"cost_tracker_{subentry.subentry_id}")},
        name=subentry.title,
        manufacturer=MANUFACTURER,
        model="Cost tracker",
        entry_type=DeviceEntryType.SERVICE,
    )
    rates = import_rates(entry)
    if rates is not None:
        device["via_device"] = (DOMAIN, f"meter_{rates.meter.key}")
    return device


class CostTrackerSensor(SubentrySensor[CostTracker]):
    """The cost (GBP inc VAT) of the tracked energy over one running period."""

    entity_description: CostTrackerDescription

    @callback
    def _refresh(self) -> None:
        total = self._model.total(self.entity_description.period)
        self._attr_native_value = total.cost / _PENCE_PER_POUND
        tz = dt_util.get_default_time_zone()
        start: datetime = local_day_bounds(total.start, tz)[0]
        self._attr_last_reset = dt_util.as_local(start)
        self._attr_extra_state_attributes = {
            "energy_kwh": float(total.kwh),
            "unpriced_kwh": float(total.unpriced_kwh),
            "period_start": dt_util.as_local(start),
            "source": self._model.source,
        }
