"""Cheapest-window binary sensors: one per ``cheapest_window`` config subentry.

A sensor is on exactly during its chosen slots (moved by the start offset). It recomputes when its
rates coordinator reports new rates, and wakes itself at the next on/off edge and at every
half-hour boundary, so it never waits for a poll. A fixed daily window keeps its choice once the
window has started (unless that choice was incomplete); a rolling window moves with time.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .cheapest_model import (
    SUBENTRY_TYPE,
    WindowResult,
    WindowSettings,
    meter_for_choice,
    plan,
)
from .const import DOMAIN
from .coordinators.rates import RatesCoordinator
from .domain.timeline import RateTimeline
from .entity import MANUFACTURER
from .meters import MeterConfig
from .runtime import OctopusConfigEntry
from .wakeup import WakeUp

PARALLEL_UPDATES = 0


def add_cheapest_window_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add one binary sensor per cheapest-window subentry, each under its own subentry.

    ``config_subentry_id`` exists since Home Assistant 2025.4, the release subentries came in.
    """
    for subentry in entry.subentries.values():
        if subentry.subentry_type == SUBENTRY_TYPE:
            async_add_entities(
                [CheapestWindowBinarySensor(entry, subentry)],
                config_subentry_id=subentry.subentry_id,
            )


class CheapestWindowBinarySensor(BinarySensorEntity):
    """On during the cheapest (or most expensive) slots of a window."""

    _attr_has_entity_name = True
    _attr_name = None  # the device (named after the subentry) is what the user named
    _attr_translation_key = "cheapest_window"
    _attr_should_poll = False
    _unrecorded_attributes = frozenset({"target_times", "periods", "last_computed"})

    def __init__(self, entry: OctopusConfigEntry, subentry: ConfigSubentry) -> None:
        """Read the subentry's settings and find the meter whose rates it searches."""
        self._entry = entry
        self.settings = WindowSettings.from_data(subentry.data)
        self._meter: MeterConfig | None = meter_for_choice(
            entry.runtime_data.meters, self.settings.meter
        )
        self._attr_unique_id = f"{entry.entry_id}_{subentry.subentry_id}_cheapest_window"
        device = DeviceInfo(
            identifiers={(DOMAIN, f"cheapest_window_{subentry.subentry_id}")},
            name=subentry.title,
            manufacturer=MANUFACTURER,
            model="Cheapest window",
            entry_type=DeviceEntryType.SERVICE,
        )
        if self._meter is not None:
            # The meter's device exists: the entry creates it before its platforms start.
            device["via_device"] = (DOMAIN, f"meter_{self._meter.key}")
        self._attr_device_info = device
        self._result: WindowResult | None = None
        self._wakeup: WakeUp | None = None

    @property
    def _rates(self) -> RatesCoordinator | None:
        """The RatesCoordinator of the chosen meter, if the entry has one."""
        if self._meter is None:
            return None
        return self._entry.runtime_data.rates.get(self._meter.key)

    def _timeline(self) -> RateTimeline | None:
        coordinator = self._rates
        prices = None if coordinator is None else coordinator.prices
        return None if prices is None else prices.timeline

    async def async_added_to_hass(self) -> None:
        """Listen to the rates and compute the first answer."""
        await super().async_added_to_hass()
        coordinator = self._rates
        if coordinator is not None:
            self.async_on_remove(coordinator.async_add_listener(self._handle_rates_update))
        self._wakeup = WakeUp(self.hass, self._handle_wakeup)
        self.async_on_remove(self._wakeup.cancel)
        self._refresh(dt_util.utcnow())

    @callback
    def _handle_rates_update(self) -> None:
        """New rates (or a new effective timeline): search again."""
        self._refresh(dt_util.utcnow())
        self.async_write_ha_state()

    @callback
    def _handle_wakeup(self) -> None:
        """An on/off edge or a slot boundary has come."""
        self._refresh(dt_util.utcnow())
        self.async_write_ha_state()

    @callback
    def _refresh(self, now: datetime) -> None:
        """Recompute (or keep) the result, cache state and attributes, schedule the next wake-up."""
        tz = dt_util.get_default_time_zone()
        self._result = plan(self.settings, self._timeline(), now, self._result, tz)
        self._attr_is_on = self._result.is_on(now)
        self._attr_extra_state_attributes = self._result.as_dict(now, tz)
        if self._wakeup is not None:
            self._wakeup.at(self._result.next_wakeup(now))
