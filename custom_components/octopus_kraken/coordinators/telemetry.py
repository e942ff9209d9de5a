"""Home Mini telemetry: current demand and today's consumption (and estimated cost) so far.

A Home Mini is detected, not assumed. Each poll asks ``smartMeterTelemetry`` for the latest
reading; only a recent one (``FRESH_LIMIT``) counts as the device reporting. Until a device has
reported, it is probed at set-up and then once a day, whatever the API answers for a meter
without one (an empty list, ``null``, KT-GB-4050 or KT-GB-4056). Once it reports it is polled
every ``telemetry_interval`` seconds (jittered; the API allows 125 an hour); if it goes quiet
(empty or stale answers), polls back off to at most ``QUIET_BACKOFF_MAX`` apart and, after
``REPAIR_AFTER``, a repair issue tells the user; both end by themselves when data returns.
Today's consumption starts from one half-hourly query whenever live readings (re)start or a
reading falls in a new half-hour (so every completed half-hour has exactly the energy the meter
counted in it, even after missed polls), then grows by the difference of the cumulative register
between readings within the half-hour, which prices it with the rates coordinator's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
import hashlib

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from ..api import OctopusClient, OctopusGraphQLError, OctopusNotFoundError, TelemetryReading
from ..const import DOMAIN, LOGGER, UK_TZ
from ..domain.jitter import stretched
from ..domain.price_model import PriceModel
from ..domain.time import floor_half_hour, local_date, local_day_bounds
from .base import FetchResult, OctopusCoordinator
from .rates import RatesCoordinator

ABSENT_CODES = frozenset({"KT-GB-4050", "KT-GB-4056"})
ABSENT_RECHECK = timedelta(days=1)  # a device that never reported is probed once a day
FRESH_LIMIT = timedelta(minutes=15)  # a Home Mini reports every 10 s; older means quiet
QUIET_BACKOFF_FIRST = timedelta(minutes=15)
QUIET_BACKOFF_MAX = timedelta(hours=1)
REPAIR_AFTER = timedelta(hours=2)  # quiet this long: a repair issue
QUIET_ISSUE = "home_mini_quiet"
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
    absent: bool = False  # not reporting, never has since set-up: no entities
    quiet_since: datetime | None = None  # reported before, silent since then


def today_cost(
    by_half_hour: dict[datetime, Decimal], prices: PriceModel | None, day: date
) -> Decimal | None:
    """Cost (pence) of today's half-hours at the model's prices plus today's standing charge.

    ``None`` while any half-hour's price or the day's standing charge is unknown.
    """
    if prices is None:
        return None
    charge = prices.standing_charge(day)
    if charge is None:
        return None
    total = charge
    for slot, kwh in by_half_hour.items():
        price = prices.unit_price(slot)
        if price is None:
            return None
        total += kwh * price
    return total


class TelemetryCoordinator(OctopusCoordinator[TelemetryData]):
    """Polls one Home Mini (the smart meter's device id)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: OctopusClient,
        device_id: str,
        *,
        interval: timedelta,
        meter_key: str | None = None,
        rates: RatesCoordinator | None = None,
    ) -> None:
        """Create the coordinator; ``rates`` (the import meter's) prices today's consumption."""
        super().__init__(hass, entry, name="home mini", store_key=None)
        self.client = client
        self.device_id = device_id
        self.meter_key = meter_key  # the import meter the Home Mini reads, when selected
        self._rates = rates
        self.interval = interval
        self._warned = False
        self.reported = False  # the device has sent a recent reading since set-up
        self._quiet_polls = 0

    def _next(self, now: datetime) -> datetime:
        return now + stretched(self.interval, most=1.15)

    @property
    def issue_id(self) -> str:
        """The repair issue of this Home Mini (no identifier of the meter in it)."""
        digest = hashlib.sha256(self.device_id.encode()).hexdigest()[:10]
        return f"{QUIET_ISSUE}_{self.config_entry.entry_id}_{digest}"

    def _silent(
        self, previous: TelemetryData | None, now: datetime, day: date, code: str
    ) -> FetchResult[TelemetryData]:
        """No recent reading: probe daily until a first report, else back off and warn."""
        if not self.reported:
            if not self._warned:
                LOGGER.info("No Home Mini reports for a smart meter (%s); probing daily", code)
                self._warned = True
            absent = TelemetryData(day, None, None, {}, Decimal(0), None, None, absent=True)
            return FetchResult(absent, now + ABSENT_RECHECK)
        self._quiet_polls += 1
        quiet_since = previous.quiet_since if previous and previous.quiet_since else now
        if now - quiet_since >= REPAIR_AFTER:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                self.issue_id,
                is_fixable=False,
                is_persistent=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=QUIET_ISSUE,
                translation_placeholders={"since": quiet_since.strftime("%Y-%m-%d %H:%M UTC")},
            )
        keep = previous if previous is not None and previous.day == day else None
        data = TelemetryData(
            day=day,
            read_at=keep.read_at if keep else None,
            demand_w=None,  # an old demand is not today's
            by_half_hour=dict(keep.by_half_hour) if keep else {},
            today_kwh=keep.today_kwh if keep else Decimal(0),
            today_cost=keep.today_cost if keep else None,
            last_cumulative_wh=None,  # restart from the half-hourly history when back
            quiet_since=quiet_since,
        )
        delay = min(QUIET_BACKOFF_MAX, QUIET_BACKOFF_FIRST * 2 ** (self._quiet_polls - 1))
        return FetchResult(data, now + stretched(delay, most=1.1))

    async def _async_fetch(
        self, previous: TelemetryData | None, now: datetime
    ) -> FetchResult[TelemetryData]:
        day = local_date(now, UK_TZ)
        day_start = local_day_bounds(day, UK_TZ)[0]
        try:
            readings = await self.client.async_get_telemetry(self.device_id)
        except (OctopusGraphQLError, OctopusNotFoundError) as err:
            if isinstance(err, OctopusGraphQLError) and err.code not in ABSENT_CODES:
                raise
            return self._silent(previous, now, day, err.code or "not found")
        latest = readings[-1] if readings else None
        if latest is None or now - latest.read_at > FRESH_LIMIT:
            return self._silent(previous, now, day, "stale" if latest else "empty")
        if not self.reported or (previous is not None and previous.quiet_since is not None):
            LOGGER.debug("A Home Mini reports (again)")
        self.reported = True
        self._quiet_polls = 0
        ir.async_delete_issue(self.hass, DOMAIN, self.issue_id)
        live = previous is not None and not previous.absent and previous.quiet_since is None
        if (
            not live
            or previous is None
            or previous.day != day
            or previous.read_at is None
            # A new half-hour: the energy since the last reading belongs partly to the
            # half-hours before (all of them after a failed poll or an outage), priced at
            # their own rates. The half-hourly history tells exactly how much each had.
            or floor_half_hour(previous.read_at) != floor_half_hour(latest.read_at)
        ):
            history = await self.client.async_get_telemetry(
                self.device_id, start=day_start, end=now, grouping=HALF_HOURLY
            )
            # Whole half-hours from the history; the one the latest reading is in continues
            # from the register at its start, as live readings would have counted it.
            current = floor_half_hour(latest.read_at)
            by_half_hour = _half_hours([r for r in history if r.read_at < current], day_start)
            last_cumulative: Decimal | None = _register_at(history, current)
        else:
            by_half_hour = dict(previous.by_half_hour)
            last_cumulative = previous.last_cumulative_wh
        if latest.consumption_wh is not None:
            if last_cumulative is not None and latest.read_at >= day_start:
                delta = (latest.consumption_wh - last_cumulative) / _WH_PER_KWH
                if delta > 0:
                    slot = floor_half_hour(latest.read_at)
                    by_half_hour[slot] = by_half_hour.get(slot, Decimal(0)) + delta
            last_cumulative = latest.consumption_wh
        data = TelemetryData(
            day=day,
            read_at=latest.read_at,
            demand_w=latest.demand_w,
            by_half_hour=by_half_hour,
            today_kwh=sum(by_half_hour.values(), Decimal(0)),
            today_cost=today_cost(
                by_half_hour, None if self._rates is None else self._rates.prices, day
            ),
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


def _register_at(readings: list[TelemetryReading], slot: datetime) -> Decimal | None:
    """The cumulative register (Wh) at ``slot`` from half-hourly rows, if they tell it."""
    for reading in readings:
        if reading.consumption_wh is None:
            continue
        if reading.read_at == slot and reading.consumption_delta_wh is not None:
            return reading.consumption_wh - reading.consumption_delta_wh
        if reading.read_at + timedelta(minutes=30) == slot:
            return reading.consumption_wh
    return None
