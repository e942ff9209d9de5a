"""One cost tracker per ``cost_tracker`` config subentry: a sensor's energy, priced locally.

It follows the chosen energy sensor's state changes and prices each increase at the import
meter's rates (the rates coordinator's effective timeline): no request is ever made. Readings
and totals are kept in a ``Store`` so a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import CALLBACK_TYPE, Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinators.rates import RatesCoordinator
from .cost_tracker_model import CONF_ENTITY_ID, energy_reading, settings_from
from .domain.cost_tracking import (
    PeriodTotal,
    TrackedPeriod,
    add_usage,
    current_total,
    reading_increase,
    spread,
)
from .domain.time import local_date, local_day_bounds
from .meters import MeterKind
from .runtime import OctopusConfigEntry

_STORE_VERSION = 1
_SAVE_DELAY = 10  # seconds


def import_rates(entry: OctopusConfigEntry) -> RatesCoordinator | None:
    """The rates coordinator of the entry's electricity import meter, if it has one."""
    return next(
        (
            c
            for c in entry.runtime_data.rates.values()
            if c.meter.kind is MeterKind.ELECTRICITY_IMPORT
        ),
        None,
    )


class CostTracker:
    """Prices one energy sensor's use; entities read ``total`` and listen for changes."""

    def __init__(
        self, hass: HomeAssistant, entry: OctopusConfigEntry, subentry: ConfigSubentry
    ) -> None:
        """Prepare the tracker of ``subentry``; ``async_start`` begins following the sensor."""
        self.hass = hass
        self.subentry = subentry
        self.source: str = subentry.data[CONF_ENTITY_ID]
        self.settings = settings_from(subentry)
        self._rates = import_rates(entry)
        self._store: Store[dict[str, Any]] = Store(
            hass, _STORE_VERSION, f"{DOMAIN}.{entry.entry_id}.cost_tracker_{subentry.subentry_id}"
        )
        self._reading: tuple[Decimal, datetime, str | None] | None = None
        self._totals: dict[TrackedPeriod, PeriodTotal] = {}
        self._listeners: list[Callable[[], None]] = []
        self._unsubs: list[CALLBACK_TYPE] = []

    # --- what entities read -------------------------------------------------------------

    def total(self, period: TrackedPeriod) -> PeriodTotal:
        """The running total of ``period`` now."""
        tz = dt_util.get_default_time_zone()
        return current_total(self._totals, self.settings, period, dt_util.utcnow(), tz)

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` whenever totals change or a period rolls over."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # --- life cycle ---------------------------------------------------------------------

    async def async_load(self) -> None:
        """Read the last reading and totals back."""
        stored = await self._store.async_load()
        if not stored:
            return
        reading = stored.get("reading")
        if reading is not None:
            self._reading = (
                Decimal(reading["kwh"]),
                datetime.fromisoformat(reading["at"]),
                reading.get("last_reset"),
            )
        self._totals = {
            TrackedPeriod(key): PeriodTotal(
                date.fromisoformat(item["start"]),
                Decimal(item["kwh"]),
                Decimal(item["cost"]),
                Decimal(item["unpriced_kwh"]),
            )
            for key, item in stored.get("totals", {}).items()
        }

    @callback
    def async_start(self) -> None:
        """Follow the sensor and wake at every local midnight (periods roll over)."""
        self._unsubs.append(
            async_track_state_change_event(self.hass, [self.source], self._on_state_change)
        )
        if self._reading is None:
            self._take(self.hass.states.get(self.source), dt_util.utcnow(), price=False)
        self._arm_midnight()

    async def async_stop(self) -> None:
        """Stop following and write the last reading and totals now."""
        while self._unsubs:
            self._unsubs.pop()()
        await self._store.async_save(self._snapshot()())

    @callback
    def _arm_midnight(self) -> None:
        tz = dt_util.get_default_time_zone()
        today = local_date(dt_util.utcnow(), tz)
        midnight = local_day_bounds(today, tz)[1]
        self._unsubs.append(async_track_point_in_utc_time(self.hass, self._on_midnight, midnight))

    @callback
    def _on_midnight(self, _now: datetime) -> None:
        self._arm_midnight()
        self._notify()

    @callback
    def _on_state_change(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        self._take(new, new.last_updated if new is not None else dt_util.utcnow(), price=True)

    @callback
    def _take(self, state: Any, at: datetime, *, price: bool) -> None:
        """Price the increase since the last reading (if any) and keep ``state`` as the last."""
        found = energy_reading(state)
        if found is None:
            return  # unavailable or unusable: the next good reading covers the gap
        kwh, increasing, last_reset = found
        previous = self._reading
        self._reading = (kwh, at, last_reset)
        if price and previous is not None:
            used = reading_increase(
                previous[0],
                kwh,
                increasing=increasing,
                reset=not increasing and last_reset != previous[2],
            )
            if used:
                prices = None if self._rates is None else self._rates.prices
                timeline = None if prices is None else prices.timeline
                tz = dt_util.get_default_time_zone()
                pieces = spread(used, previous[1], at)
                self._totals = add_usage(self._totals, self.settings, pieces, timeline, tz)
        self._store.async_delay_save(self._snapshot(), _SAVE_DELAY)
        self._notify()

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _snapshot(self) -> Callable[[], dict[str, Any]]:
        """A ready copy of the state for the store (no work in its callback)."""
        reading = self._reading
        data: dict[str, Any] = {
            "reading": None
            if reading is None
            else {"kwh": str(reading[0]), "at": reading[1].isoformat(), "last_reset": reading[2]},
            "totals": {
                period.value: {
                    "start": total.start.isoformat(),
                    "kwh": str(total.kwh),
                    "cost": str(total.cost),
                    "unpriced_kwh": str(total.unpriced_kwh),
                }
                for period, total in self._totals.items()
            },
        }
        return lambda: data
