"""The "off-peak" binary sensor of an import meter on a time-of-use tariff.

Read from the rates coordinator's effective timeline (Intelligent Go's dispatch half-hours
included), so it needs no request and no hours written down for any tariff: see
``domain.off_peak`` for what counts as off-peak.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity, BinarySensorEntityDescription
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinators.rates import RatesCoordinator
from .domain.off_peak import off_peak_state
from .domain.rate_data import TariffPeriod
from .domain.tariff_codes import TariffKind
from .entity import OctopusEntity, meter_device_info
from .entity_ids import meter_object_prefix
from .meters import MeterKind
from .runtime import OctopusConfigEntry

OFF_PEAK = BinarySensorEntityDescription(key="off_peak", translation_key="tariff_off_peak")

# Kinds of single-register tariff whose price has several levels through the day.
TIME_OF_USE_KINDS = frozenset(
    {TariffKind.GO, TariffKind.INTELLIGENT_GO, TariffKind.COSY, TariffKind.FLUX}
)
# How far ahead to look for the next window: time-of-use rates are published days ahead.
_HORIZON = timedelta(days=2)


def is_time_of_use(tariff: TariffPeriod) -> bool:
    """Whether a tariff has more than one rate level (time-of-use kinds, Economy 7)."""
    return tariff.registers > 1 or tariff.kind in TIME_OF_USE_KINDS


def _local(instant: datetime | None) -> datetime | None:
    return None if instant is None else dt_util.as_local(instant)


class OctopusOffPeakSensor(OctopusEntity[RatesCoordinator], BinarySensorEntity):
    """On while the import meter is in one of its tariff's cheapest windows."""

    def __init__(self, coordinator: RatesCoordinator, account_number: str) -> None:
        """Attach the sensor to its meter's device."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            OFF_PEAK,
            device_info=meter_device_info(account_number, meter),
            unique_id_prefix=f"{account_number}_{meter.key}",
            object_id_prefix=meter_object_prefix(meter),
        )

    @callback
    def _recompute(self) -> None:
        prices = self.coordinator.prices
        if prices is None:
            self._attr_is_on = None
            self._attr_extra_state_attributes = {}
            return
        now = dt_util.utcnow()
        state = off_peak_state(prices.timeline, now, now + _HORIZON)
        self._attr_is_on = state.is_on
        attributes: dict[str, Any] = {
            "current_start": _local(state.window[0] if state.window else None),
            "current_end": _local(state.window[1] if state.window else None),
            "next_start": _local(state.next_start),
        }
        self._attr_extra_state_attributes = attributes


def add_off_peak_binary_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add one off-peak sensor per import meter whose tariff (now or to come) is time-of-use."""
    runtime = entry.runtime_data
    account_number = runtime.account.account_number
    now = dt_util.utcnow()
    async_add_entities(
        OctopusOffPeakSensor(coordinator, account_number)
        for coordinator in runtime.rates.values()
        if coordinator.meter.kind is MeterKind.ELECTRICITY_IMPORT
        and any(
            is_time_of_use(t)
            for t in coordinator.current_tariffs()
            if t.valid_to is None or t.valid_to > now
        )
    )
