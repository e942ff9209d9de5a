"""Day-rates event entities: the ``rates`` list of yesterday, today and tomorrow of every meter.

Predbat derives ``event.<meter>_previous_day_rates`` / ``_current_day_rates`` /
``_next_day_rates`` from the current-rate sensor's id and reads their ``rates`` attribute; these
entities carry exactly that list (the day-rates sensors' shape) and fire ``rates_updated`` when a
day's prices are published or change (a dispatch turning half-hours off-peak, the day rolling
over). A restart restores the last event, so unchanged prices fire nothing.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinators.rates import RatesCoordinator
from .rate_view import MeterRatesEntity, RateView, per_meter_entities
from .runtime import OctopusConfigEntry

EVENT_RATES_UPDATED = "rates_updated"

DAY_OFFSETS = {"previous_day_rates": -1, "current_day_rates": 0, "next_day_rates": 1}
DAY_RATES_EVENTS: tuple[EventEntityDescription, ...] = tuple(
    EventEntityDescription(key=key, translation_key=key, event_types=[EVENT_RATES_UPDATED])
    for key in DAY_OFFSETS
)


class OctopusDayRatesEvent(MeterRatesEntity, EventEntity):
    """One UK day's half-hourly prices of one meter, as an event entity."""

    # A day of half-hours: the recorder would store every change (and drop it above 16 KB).
    _unrecorded_attributes = frozenset({"rates"})

    def __init__(
        self,
        coordinator: RatesCoordinator,
        description: EventEntityDescription,
        account_number: str,
    ) -> None:
        """Attach the entity to its meter's device; remember which day it lists."""
        super().__init__(coordinator, description, account_number)
        self._offset = DAY_OFFSETS[description.key]

    async def async_added_to_hass(self) -> None:
        """Restore the last event, then fire one if the prices differ from it."""
        await super().async_added_to_hass()
        self._fire_if_changed()

    @callback
    def _fire_if_changed(self) -> bool:
        view = RateView.of(self.coordinator, dt_util.utcnow())
        if view is None:
            return False
        rates = view.day_rates(self._offset)
        last: dict[str, Any] = self.state_attributes or {}
        if self.state is not None and last.get("rates") == rates:
            return False
        self._trigger_event(EVENT_RATES_UPDATED, {"rates": rates})
        return True

    @callback
    def _handle_coordinator_update(self) -> None:
        """New prices, a dispatch or a new day: fire when the day's list changed."""
        if self._fire_if_changed():
            self.async_write_ha_state()


def add_day_rates_events(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the three day-rates event entities of every meter of the entry."""
    async_add_entities(per_meter_entities(entry, DAY_RATES_EVENTS, OctopusDayRatesEvent))
