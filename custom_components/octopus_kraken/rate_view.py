"""What rate entities show, computed once per update from the effective timeline.

Prices leave the integration here: pence become pounds (GBP/kWh, GBP/day), UTC instants become
local ones. The list attributes follow the shapes other tools already read:

- ``rates``: ``[{start, end, value_inc_vat, value_exc_vat}]`` with ISO 8601 strings, as the
  octopus-energy-rates-card, ApexCharts examples and Predbat expect;
- ``raw_today`` / ``raw_tomorrow``: ``[{start, end, value}]`` with datetimes, the Nord Pool shape
  that Cheapest Energy Hours, EV Smart Charging and similar tools read natively.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any
from weakref import WeakKeyDictionary

from homeassistant.helpers.entity import EntityDescription
from homeassistant.util import dt as dt_util

from .api import Rate, StandingCharge
from .const import UK_TZ
from .coordinators.rates import RatesCoordinator
from .domain.price_model import PriceModel
from .domain.time import local_date, local_day_bounds
from .domain.timeline import DayStats, RateTimeline
from .entity import OctopusEntity, meter_device_info
from .entity_ids import meter_object_prefix
from .runtime import OctopusConfigEntry

_PENCE_PER_POUND = Decimal(100)
_ONE_DAY = timedelta(days=1)


def pounds(pence: Decimal) -> Decimal:
    """Pence to pounds, exactly (no float rounding)."""
    return pence / _PENCE_PER_POUND


def _local(instant: datetime | None) -> datetime | None:
    return None if instant is None else dt_util.as_local(instant)


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else dt_util.as_local(instant).isoformat()


# The list attributes of a UK day, per price model: a model never changes once built, and
# several entities (the day-rates sensors and events, the current rate's ``raw_*``) show the
# same day at every update, most of which (a half-hour passing) leave the model as it was.
# Times are shown in Home Assistant's zone, which is part of the key.
type _DayLists = dict[tuple[str, date, tzinfo], list[dict[str, Any]]]
_day_lists: WeakKeyDictionary[PriceModel, _DayLists] = WeakKeyDictionary()


def _memo(
    prices: PriceModel, kind: str, day: date, build: Callable[[], list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """``build()``'s list for ``(kind, day)`` of ``prices``, built once (never mutated)."""
    lists = _day_lists.setdefault(prices, {})
    key = (kind, day, dt_util.get_default_time_zone())
    if (found := lists.get(key)) is None:
        found = lists[key] = build()
    return found


@dataclass(frozen=True, slots=True)
class RateView:
    """The price model of one meter at one instant."""

    coordinator: RatesCoordinator
    prices: PriceModel
    now: datetime

    @classmethod
    def of(cls, coordinator: RatesCoordinator, now: datetime) -> RateView | None:
        """The view at ``now``; ``None`` before any rates are known."""
        prices = coordinator.prices
        return None if prices is None else cls(coordinator, prices, now)

    @property
    def timeline(self) -> RateTimeline:
        """The effective unit rates (dispatch off-peak included)."""
        return self.prices.timeline

    @property
    def today(self) -> date:
        """The UK date at ``now`` (Octopus days are UK days)."""
        return local_date(self.now, UK_TZ)

    def day(self, offset: int) -> date:
        """Yesterday (-1), today (0) or tomorrow (1)."""
        return self.today + _ONE_DAY * offset

    def current(self) -> Rate | None:
        """The rate in force now."""
        return self.timeline.rate_at(self.now)

    def previous(self) -> Rate | None:
        """The slot before the current one."""
        return self.timeline.previous_rate(self.now)

    def next(self) -> Rate | None:
        """The slot after the current one."""
        return self.timeline.next_rate(self.now)

    def stats(self, offset: int) -> DayStats | None:
        """Min/max/mean of a UK day; ``None`` until any of its prices are published."""
        return self.timeline.day_stats(self.day(offset), UK_TZ)

    def standing_charge(self) -> StandingCharge | None:
        """The standing charge in force now."""
        return self.prices.standing_charge_at(self.now)

    def tariff_code(self) -> str | None:
        """The tariff in force now."""
        tariff = self.coordinator.tariff_at(self.now)
        return None if tariff is None else tariff.tariff_code

    def half_hours(self, offset: int) -> list[Rate]:
        """The UK day's prices, one per half-hour whose price is known."""
        return self.timeline.split_half_hours(*local_day_bounds(self.day(offset), UK_TZ))

    def day_rates(self, offset: int) -> list[dict[str, Any]]:
        """``rates`` attribute: the day's half-hours in GBP/kWh with ISO 8601 local times.

        A half-hour a smart-charging dispatch made cheaper than the tariff's own price carries
        ``is_intelligent_adjusted: true`` (Predbat books those half-hours to the car).
        """
        return _memo(self.prices, "rates", self.day(offset), lambda: self._day_rates(offset))

    def _day_rates(self, offset: int) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for rate in self.half_hours(offset):
            item: dict[str, Any] = {
                "start": _iso(rate.valid_from),
                "end": _iso(rate.valid_to),
                "value_inc_vat": float(pounds(rate.value_inc_vat)),
                "value_exc_vat": float(pounds(rate.value_exc_vat)),
            }
            if self.prices.is_dispatch_adjusted(rate):
                item["is_intelligent_adjusted"] = True
            items.append(item)
        return items

    def raw(self, offset: int) -> list[dict[str, Any]]:
        """``raw_today``/``raw_tomorrow``: the Nord Pool shape, GBP/kWh inc VAT."""
        return _memo(self.prices, "raw", self.day(offset), lambda: self._raw(offset))

    def _raw(self, offset: int) -> list[dict[str, Any]]:
        return [
            {
                "start": _local(rate.valid_from),
                "end": _local(rate.valid_to),
                "value": float(pounds(rate.value_inc_vat)),
            }
            for rate in self.half_hours(offset)
        ]


def rate_attributes(view: RateView, rate: Rate | None) -> dict[str, Any]:
    """Attributes of a single-rate sensor (current, previous, next)."""
    if rate is None:
        return {}
    return {
        "value_exc_vat": float(pounds(rate.value_exc_vat)),
        "start": _local(rate.valid_from),
        "end": _local(rate.valid_to),
        "tariff_code": view.tariff_code(),
    }


def standing_charge_attributes(view: RateView) -> dict[str, Any]:
    """Attributes of the standing charge sensor."""
    charge = view.standing_charge()
    if charge is None:
        return {}
    return {
        "value_exc_vat": float(pounds(charge.value_exc_vat)),
        "start": _local(charge.valid_from),
        "end": _local(charge.valid_to),
        "tariff_code": view.tariff_code(),
    }


def per_meter_entities[D, E](
    entry: OctopusConfigEntry,
    descriptions: Iterable[D],
    entity: Callable[[RatesCoordinator, D, str], E],
) -> list[E]:
    """One ``entity`` per description for every meter's rates coordinator."""
    runtime = entry.runtime_data
    account_number = runtime.account.account_number
    return [
        entity(coordinator, description, account_number)
        for coordinator in runtime.rates.values()
        for description in descriptions
    ]


class MeterRatesEntity(OctopusEntity[RatesCoordinator]):
    """An entity of one meter's rates, on the meter's device."""

    def __init__(
        self, coordinator: RatesCoordinator, description: EntityDescription, account_number: str
    ) -> None:
        """Attach the entity to its meter's device."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            description,
            device_info=meter_device_info(account_number, meter),
            unique_id_prefix=f"{account_number}_{meter.key}",
            object_id_prefix=meter_object_prefix(meter),
        )
