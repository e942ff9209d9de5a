"""Home Mini telemetry: current demand and today's consumption (and estimated cost) so far.

Each poll asks ``smartMeterTelemetry`` for the latest reading (one request, every
``telemetry_interval`` seconds, jittered; the API allows 125 an hour). Today's consumption
starts from one half-hourly query at the first poll of each UK local day, then grows by the
difference of the cumulative register between readings, credited to the half-hour of the
reading, which prices it with the rates coordinator's timeline. When the API says the meter or
its Home Area Network is unknown (KT-GB-4050, KT-GB-4056), polling stops (a daily re-check) and
a warning is logged once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
import random
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from ..api import OctopusClient, OctopusGraphQLError, OctopusNotFoundError, TelemetryReading
from ..const import CONF_TELEMETRY_INTERVAL, DEFAULT_TELEMETRY_INTERVAL, LOGGER, UK_TZ
from ..domain.time import floor_half_hour, local_date, local_day_bounds
from .base import FetchResult, OctopusCoordinator

ABSENT_CODES = frozenset({"KT-GB-4050", "KT-GB-4056"})
MIN_INTERVAL_SECONDS = 30  # the API allows 125 telemetry requests an hour
ABSENT_RECHECK = timedelta(days=1)
HALF_HOURLY = "HALF_HOURLY"
_WH_PER_KWH = Decimal(1000)


@dataclass(frozen=True, slots=True)
class TelemetryData:
    """The latest Home Mini reading and today's totals."""

    day: date
    read_at: datetime | None
    demand_w: Decimal | None
    by_half_hour: dict[datetime, Decimal]  # kWh per half-hour of today
    today_kwh: Decimal
    today_cost: Decimal | None  # pence with the standing charge; None without rates
    last_cumulative_wh: Decimal | None
    absent: bool = False


def today_cost(
    by_half_hour: dict[datetime, Decimal], rates: Any, day_start: datetime
) -> Decimal | None:
    """Cost (pence) of today's half-hours at the rates in force plus today's standing charge."""
    timeline = getattr(rates, "timeline", None)
    if timeline is None:
        return None
    total = Decimal(0)
    for slot, kwh in by_half_hour.items():
        rate = timeline.rate_at(slot)
        if rate is None:
            return None
        total += kwh * rate.value_inc_vat
    charge = rates.standing_charge_at(day_start) if hasattr(rates, "standing_charge_at") else None
    return total + (charge.value_inc_vat if charge is not None else Decimal(0))


class TelemetryCoordinator(OctopusCoordinator[TelemetryData]):
    """Polls one Home Mini (the smart meter's device id)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: OctopusClient,
        device_id: str,
        *,
        meter_key: str | None = None,
        rates_lookup: Callable[[], Any] = lambda: None,
    ) -> None:
        """Create the coordinator; ``rates_lookup`` gives the import meter's rates coordinator."""
        super().__init__(hass, entry, name="home mini", store_key=None)
        self.client = client
        self.device_id = device_id
        self.meter_key = meter_key  # the import meter the Home Mini reads, when selected
        self._rates_lookup = rates_lookup
        self.interval = timedelta(
            seconds=max(
                MIN_INTERVAL_SECONDS,
                int(entry.options.get(CONF_TELEMETRY_INTERVAL, DEFAULT_TELEMETRY_INTERVAL)),
            )
        )
        self._warned = False

    def _next(self, now: datetime) -> datetime:
        return now + self.interval * random.uniform(1.0, 1.15)

    async def _async_fetch(
        self, previous: TelemetryData | None, now: datetime
    ) -> FetchResult[TelemetryData]:
        day = local_date(now, UK_TZ)
        day_start = local_day_bounds(day, UK_TZ)[0]
        try:
            if previous is None or previous.day != day or previous.absent:
                history = await self.client.async_get_telemetry(
                    self.device_id, start=day_start, end=now, grouping=HALF_HOURLY
                )
                by_half_hour = _half_hours(history, day_start)
                last_cumulative: Decimal | None = None
            else:
                by_half_hour = dict(previous.by_half_hour)
                last_cumulative = previous.last_cumulative_wh
            readings = await self.client.async_get_telemetry(self.device_id)
        except (OctopusGraphQLError, OctopusNotFoundError) as err:
            if isinstance(err, OctopusGraphQLError) and err.code not in ABSENT_CODES:
                raise
            if not self._warned:
                LOGGER.warning(
                    "The Home Mini is not reachable through the API (%s); polling stops", err.code
                )
                self._warned = True
            absent = TelemetryData(day, None, None, {}, Decimal(0), None, None, absent=True)
            return FetchResult(absent, now + ABSENT_RECHECK)
        self._warned = False
        latest = readings[-1] if readings else None
        if latest is not None and latest.consumption_wh is not None:
            if last_cumulative is not None and latest.read_at >= day_start:
                delta = (latest.consumption_wh - last_cumulative) / _WH_PER_KWH
                if delta > 0:
                    slot = floor_half_hour(latest.read_at)
                    by_half_hour[slot] = by_half_hour.get(slot, Decimal(0)) + delta
            last_cumulative = latest.consumption_wh
        data = TelemetryData(
            day=day,
            read_at=latest.read_at if latest else (previous.read_at if previous else None),
            demand_w=latest.demand_w if latest else None,
            by_half_hour=by_half_hour,
            today_kwh=sum(by_half_hour.values(), Decimal(0)),
            today_cost=today_cost(by_half_hour, self._rates_lookup(), day_start),
            last_cumulative_wh=last_cumulative,
        )
        return FetchResult(data, self._next(now))


def _half_hours(readings: list[TelemetryReading], day_start: datetime) -> dict[datetime, Decimal]:
    """kWh per half-hour from half-hourly telemetry rows of today."""
    by_half_hour: dict[datetime, Decimal] = {}
    for reading in readings:
        if reading.read_at < day_start or reading.consumption_delta_wh is None:
            continue
        slot = floor_half_hour(reading.read_at)
        by_half_hour[slot] = by_half_hour.get(slot, Decimal(0)) + (
            reading.consumption_delta_wh / _WH_PER_KWH
        )
    return by_half_hour
