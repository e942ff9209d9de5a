"""The "price is negative now" binary sensor of every meter (you are paid to import)."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity, BinarySensorEntityDescription
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinators.rates import RatesCoordinator
from .entity import OctopusEntity, meter_device_info
from .entity_ids import meter_object_prefix
from .runtime import OctopusConfigEntry

NEGATIVE_PRICE = BinarySensorEntityDescription(
    key="negative_price", translation_key="negative_price"
)


class OctopusNegativePriceSensor(OctopusEntity[RatesCoordinator], BinarySensorEntity):
    """On while the current unit rate (inc VAT) is below zero."""

    def __init__(self, coordinator: RatesCoordinator, account_number: str) -> None:
        """Attach the sensor to its meter's device."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            NEGATIVE_PRICE,
            device_info=meter_device_info(account_number, meter),
            unique_id_prefix=f"{account_number}_{meter.key}",
            object_id_prefix=meter_object_prefix(meter),
        )

    @callback
    def _recompute(self) -> None:
        prices = self.coordinator.prices
        rate = None if prices is None else prices.rate_at(dt_util.utcnow())
        self._attr_is_on = None if rate is None else rate.value_inc_vat < 0


def add_rate_binary_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the negative-price sensor of every meter of the entry."""
    runtime = entry.runtime_data
    account_number = runtime.account.account_number
    async_add_entities(
        OctopusNegativePriceSensor(coordinator, account_number)
        for coordinator in runtime.rates.values()
    )
