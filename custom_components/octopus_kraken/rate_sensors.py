"""Rate sensors of every meter: current/previous/next rate, standing charge, day statistics.

States come from the coordinator's effective timeline; a timer in the coordinator fires at every
price boundary, so the states move on without a request. Values are computed once per update
(in ``_handle_coordinator_update``), never in property getters.
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
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import Rate, StandingCharge
from .domain.timeline import DayStats
from .rate_view import (
    MeterRatesEntity,
    RateView,
    per_meter_entities,
    pounds,
    rate_attributes,
    standing_charge_attributes,
)
from .runtime import OctopusConfigEntry

UNIT_PRICE = "GBP/kWh"  # accepted by the Energy dashboard as "an entity with the current price"
UNIT_STANDING = "GBP/day"
LIST_ATTRIBUTES = frozenset({"rates", "raw_today", "raw_tomorrow"})

type StateValue = Decimal | datetime | int | None


def _price(rate: Rate | StandingCharge | None) -> Decimal | None:
    return None if rate is None else pounds(rate.value_inc_vat)


_GBP_PRICE_PLACES = Decimal("0.000001")


def _stat(offset: int, field: Callable[[DayStats], Decimal]) -> Callable[[RateView], StateValue]:
    def value(view: RateView) -> StateValue:
        stats = view.stats(offset)
        if stats is None:
            return None
        # A time-weighted mean rarely terminates; the API quotes prices to 4 places in pence.
        return pounds(field(stats)).quantize(_GBP_PRICE_PLACES)

    return value


@dataclass(frozen=True, kw_only=True)
class RateSensorEntityDescription(SensorEntityDescription):
    """A rate sensor: its state and attributes from a ``RateView``."""

    value_fn: Callable[[RateView], StateValue]
    attributes_fn: Callable[[RateView], dict[str, Any]] = lambda _view: {}


def _current_attributes(view: RateView) -> dict[str, Any]:
    return {
        **rate_attributes(view, view.current()),
        "raw_today": view.raw(0),
        "raw_tomorrow": view.raw(1),
    }


def _price_sensor(key: str, **kwargs: Any) -> RateSensorEntityDescription:
    return RateSensorEntityDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=UNIT_PRICE,
        suggested_display_precision=4,
        **kwargs,
    )


def _day_rates(key: str, offset: int) -> RateSensorEntityDescription:
    return RateSensorEntityDescription(
        key=key,
        translation_key=key,
        value_fn=lambda view: len(view.half_hours(offset)),
        attributes_fn=lambda view: {"rates": view.day_rates(offset)},
    )


RATE_SENSORS: tuple[RateSensorEntityDescription, ...] = (
    _price_sensor(
        "current_rate",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda view: _price(view.current()),
        attributes_fn=_current_attributes,
    ),
    _price_sensor(
        "previous_rate",
        value_fn=lambda view: _price(view.previous()),
        attributes_fn=lambda view: rate_attributes(view, view.previous()),
    ),
    _price_sensor(
        "next_rate",
        value_fn=lambda view: _price(view.next()),
        attributes_fn=lambda view: rate_attributes(view, view.next()),
    ),
    RateSensorEntityDescription(
        key="current_standing_charge",
        translation_key="current_standing_charge",
        native_unit_of_measurement=UNIT_STANDING,
        suggested_display_precision=4,
        value_fn=lambda view: _price(view.standing_charge()),
        attributes_fn=standing_charge_attributes,
    ),
    _price_sensor("today_minimum_rate", value_fn=_stat(0, lambda s: s.min)),
    _price_sensor("today_maximum_rate", value_fn=_stat(0, lambda s: s.max)),
    _price_sensor("today_average_rate", value_fn=_stat(0, lambda s: s.mean)),
    _price_sensor("tomorrow_minimum_rate", value_fn=_stat(1, lambda s: s.min)),
    _price_sensor("tomorrow_maximum_rate", value_fn=_stat(1, lambda s: s.max)),
    _price_sensor("tomorrow_average_rate", value_fn=_stat(1, lambda s: s.mean)),
    RateSensorEntityDescription(
        key="next_price_change",
        translation_key="next_price_change",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda view: view.timeline.next_change(view.now),
    ),
    _day_rates("previous_day_rates", -1),
    _day_rates("current_day_rates", 0),
    _day_rates("next_day_rates", 1),
)


class OctopusRateSensor(MeterRatesEntity, SensorEntity):
    """A sensor that reads the effective rate timeline of one meter."""

    entity_description: RateSensorEntityDescription
    # Whole days of half-hours: the recorder would store (and drop above 16 KB) every change.
    _unrecorded_attributes = LIST_ATTRIBUTES

    @callback
    def _recompute(self) -> None:
        view = RateView.of(self.coordinator, dt_util.utcnow())
        if view is None:
            self._attr_native_value = None
            self._attr_extra_state_attributes = {}
            return
        self._attr_native_value = self.entity_description.value_fn(view)
        self._attr_extra_state_attributes = self.entity_description.attributes_fn(view)


def add_rate_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add every rate sensor of every meter of the entry."""
    async_add_entities(per_meter_entities(entry, RATE_SENSORS, OctopusRateSensor))
