"""Consumption of one meter: polled only when new half-hours can exist, costed, sent to statistics.

Smart meter data arrives hours to a day late. Each fetch asks, in one request (page size 25,000),
for everything from a UK local midnight to now: the midnight before the earliest of the last
known interval's end, the oldest missing half-hour of the kept history, the oldest half-hour
still without a price, and two days ago (to absorb late corrections). The first fetch
back-fills ``backfill_days`` (or since the first agreement began). While nothing new arrives
the interval between polls grows (1 h, 2 h, 4 h, 6 h, jittered, never on :00/:30). Only a week
of half-hours is kept (and persisted) for the sensors; the full history goes to the recorder's
statistics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from ..api import ConsumptionInterval, Fuel, OctopusClient
from ..codec import from_json, to_json
from ..const import (
    CONF_BACKFILL_DAYS,
    CONF_CALORIFIC_VALUE,
    CONF_IMPORT_STATISTICS,
    DEFAULT_BACKFILL_DAYS,
    DEFAULT_CALORIFIC_VALUE,
    DEFAULT_IMPORT_STATISTICS,
    UK_TZ,
)
from ..domain.dispatch import smart_only
from ..domain.time import HALF_HOUR, local_date, local_day_bounds
from ..runtime import MeterConfig, agreement_at, agreements_for
from ..statistics import StatisticsWriter, money_series, statistic_metadata
from .base import FetchResult, OctopusCoordinator, jittered
from .consumption_pricing import (
    M3,
    completed_dispatches,
    costed,
    gas_m3_to_kwh,
    is_intelligent_go,
    meter_unit,
    money_by_hour,
)
from .tariff_history import TariffHistory

if TYPE_CHECKING:
    from .account import AccountCoordinator

HISTORY_DAYS = 7  # local days of half-hours kept for sensors and gap re-requests
RECHECK_DAYS = 2  # every fetch re-reads this many past days: late corrections
POLL_STEPS = (timedelta(hours=1), timedelta(hours=2), timedelta(hours=4), timedelta(hours=6))


@dataclass(frozen=True, slots=True)
class HalfHourUsage:
    """One metered half-hour: energy in kWh, cost (income for export) in pence."""

    start: datetime
    kwh: Decimal
    raw: Decimal  # in the meter's unit (m³ for SMETS2 gas)
    cost: Decimal | None  # None while the unit rate is unknown


@dataclass(frozen=True, slots=True)
class DaySummary:
    """A complete UK local day of consumption."""

    day: date
    start: datetime
    kwh: Decimal
    cost: Decimal | None  # pence, with the standing charge
    standing_charge: Decimal | None  # pence
    half_hours: tuple[HalfHourUsage, ...]


@dataclass(frozen=True, slots=True)
class ConsumptionData:
    """What the coordinator knows of a meter."""

    recent: tuple[HalfHourUsage, ...]
    standing: dict[date, Decimal]  # pence per local day, for the kept days
    last_end: datetime | None  # end of the latest half-hour received
    previous_day: DaySummary | None
    unit: str  # unit the meter reports: "kWh" or "m³"
    fetched_at: datetime
    next_fetch: datetime
    empty_polls: int = 0
    statistics_imported: bool = False
    unpriced_from: datetime | None = None  # first half-hour still without a price: re-priced
    # Starts of the completed smart dispatches the costs were worked out with (Intelligent Go):
    # a dispatch that turns up later re-prices its day.
    dispatches_priced: tuple[datetime, ...] = ()


def window_start(
    previous: ConsumptionData | None,
    now: datetime,
    backfill_from: datetime,
    reprice_from: datetime | None = None,
) -> datetime:
    """The UK local midnight from which the next fetch asks for data."""
    if previous is None or previous.last_end is None:
        candidates = [backfill_from]
    else:
        candidates = [previous.last_end, now - timedelta(days=RECHECK_DAYS)]
        if reprice_from is not None:
            candidates.append(max(reprice_from, backfill_from))
        hole = first_missing(previous.recent, previous.last_end)
        if hole is not None:
            candidates.append(hole)
        if previous.unpriced_from is not None:
            candidates.append(previous.unpriced_from)
    return local_day_bounds(local_date(min(candidates), UK_TZ), UK_TZ)[0]


def first_missing(recent: Iterable[HalfHourUsage], last_end: datetime) -> datetime | None:
    """The first half-hour missing between the oldest kept one and ``last_end``."""
    starts = sorted(u.start for u in recent)
    if not starts:
        return None
    slot = starts[0]
    have = set(starts)
    while slot < last_end:
        if slot not in have:
            return slot
        slot += HALF_HOUR
    return None


def next_poll(last_end: datetime | None, now: datetime, empty_polls: int) -> datetime:
    """When new half-hours may exist: grow the wait while nothing new arrives."""
    step = POLL_STEPS[min(empty_polls, len(POLL_STEPS) - 1)]
    when = now + step
    if last_end is not None:
        # No half-hour can be reported before it has ended.
        when = max(when, last_end + HALF_HOUR)
    return jittered(when)


def previous_complete_day(
    recent: Iterable[HalfHourUsage], standing: dict[date, Decimal], today: date
) -> DaySummary | None:
    """The latest local day before ``today`` with every half-hour reported."""
    by_day: dict[date, list[HalfHourUsage]] = defaultdict(list)
    for usage in recent:
        by_day[local_date(usage.start, UK_TZ)].append(usage)
    for day in sorted(by_day, reverse=True):
        if day >= today:
            continue
        start, end = local_day_bounds(day, UK_TZ)
        slots = sorted(by_day[day], key=lambda u: u.start)
        if len(slots) != (end - start) // HALF_HOUR:
            continue
        charge = standing.get(day)
        costs = [u.cost for u in slots]
        cost = (
            None
            if any(c is None for c in costs)
            else sum((c or Decimal(0) for c in costs), Decimal(0)) + (charge or Decimal(0))
        )
        return DaySummary(
            day=day,
            start=start,
            kwh=sum((u.kwh for u in slots), Decimal(0)),
            cost=cost,
            standing_charge=charge,
            half_hours=tuple(slots),
        )
    return None


class ConsumptionCoordinator(OctopusCoordinator[ConsumptionData]):
    """Consumption, cost and statistics of one meter."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: OctopusClient,
        account: AccountCoordinator,
        meter: MeterConfig,
        *,
        runtime_lookup: Callable[[], Any] | None = None,
    ) -> None:
        """Create the coordinator of ``meter``; ``runtime_lookup`` returns the entry's runtime."""
        super().__init__(
            hass, entry, name=f"consumption {meter.kind}", store_key=f"consumption_{meter.key}"
        )
        self.client = client
        self.meter = meter
        self._account = account
        self._runtime_lookup = runtime_lookup
        self.history = TariffHistory(
            hass,
            entry,
            client,
            fuel=meter.fuel,
            store_key=f"tariff_history_{meter.key}",
            held=self._rates_coordinator,
        )
        self._writer = StatisticsWriter(hass)
        options = entry.options
        self.import_statistics: bool = options.get(
            CONF_IMPORT_STATISTICS, DEFAULT_IMPORT_STATISTICS
        )
        self.backfill_days: int = int(options.get(CONF_BACKFILL_DAYS, DEFAULT_BACKFILL_DAYS))
        self.calorific_value = Decimal(
            str(options.get(CONF_CALORIFIC_VALUE, DEFAULT_CALORIFIC_VALUE))
        )
        self.requests = 0
        self._snapshot: dict[str, Any] | None = None

    async def async_load_cache(self) -> None:
        """Load the consumption cache and the price history."""
        await self.history.async_load()
        await super().async_load_cache()

    async def async_remove_cache(self) -> None:
        """Forget both caches."""
        await self.history.async_remove()
        await super().async_remove_cache()

    def _persist(self, data: ConsumptionData) -> None:
        super()._persist(data)
        self._snapshot = self._serialize(data)

    async def async_flush_cache(self) -> None:
        """Write the caches now (the entry unloads; a reload must find them)."""
        if self._store is not None and self._snapshot is not None:
            await self._store.async_save(self._snapshot)
        await self.history.async_flush()

    @property
    def reported_unit(self) -> str:
        """The unit the meter reports (from the account; SMETS2 gas if unknown)."""
        return meter_unit(self._account.data.account if self._account.data else None, self.meter)

    def current_tariff_code(self, now: datetime) -> str | None:
        """The tariff code of the agreement in force at ``now``."""
        agreement = agreement_at(self._agreements(), now)
        return agreement.tariff.tariff_code if agreement else None

    def _rates_coordinator(self) -> Any:
        """The meter's rates coordinator (prices it holds cost no request), if set up."""
        runtime = self._runtime_lookup() if self._runtime_lookup else None
        return getattr(runtime, "rates", {}).get(self.meter.key)

    def _agreements(self) -> tuple[Any, ...]:
        account = self._account.data.account if self._account.data else None
        return agreements_for(account, self.meter)

    def _backfill_from(self, now: datetime) -> datetime:
        start = now - timedelta(days=self.backfill_days)
        began = [a.valid_from for a in self._agreements() if a.valid_from is not None]
        if began and not self.meter.tariff_code:
            start = max(start, min(began))
        return start

    def _statistics_wanted(self) -> bool:
        return self.import_statistics and "recorder" in self.hass.config.components

    async def _async_fetch(
        self, previous: ConsumptionData | None, now: datetime
    ) -> FetchResult[ConsumptionData]:
        needs_backfill = self._statistics_wanted() and (
            previous is None or not previous.statistics_imported
        )
        if previous is not None and now < previous.next_fetch and not needs_backfill:
            return FetchResult(previous, previous.next_fetch)  # a restart costs no request
        dispatches = completed_dispatches(self._runtime_lookup() if self._runtime_lookup else None)
        priced_with = (
            tuple(sorted({d.start for d in smart_only(dispatches)}))
            if is_intelligent_go(self.current_tariff_code(now))
            else ()
        )
        known = set(previous.dispatches_priced if previous else ())
        arrived = [start for start in priced_with if start not in known]
        start = window_start(
            None if needs_backfill else previous,
            now,
            self._backfill_from(now),
            min(arrived) if arrived and previous is not None else None,
        )
        intervals = await self.client.async_get_consumption(
            self.meter.fuel, self.meter.mpxn, self.meter.serial, period_from=start, period_to=now
        )
        self.requests += 1
        unit = self.reported_unit
        fetched = [self._usage(interval, unit) for interval in intervals]
        kept_from = local_day_bounds(local_date(now, UK_TZ) - timedelta(days=HISTORY_DAYS), UK_TZ)[
            0
        ]
        merged = {u.start: u for u in (previous.recent if previous else ()) if u.start >= kept_from}
        new_data = any(merged.get(u.start) is None or merged[u.start].kwh != u.kwh for u in fetched)
        standing = {
            day: charge
            for day, charge in (previous.standing if previous else {}).items()
            if day >= local_date(kept_from, UK_TZ)
        }
        # Every UK day from the window's start to yesterday (or the latest data) owes its
        # standing charge, with or without meter data.
        last_day = local_date(now, UK_TZ) - timedelta(days=1)
        if fetched:
            last_day = max(last_day, local_date(fetched[-1].start, UK_TZ))
        standing_days = (
            []
            if self.meter.is_export
            else [
                local_date(start, UK_TZ) + timedelta(days=i)
                for i in range((last_day - local_date(start, UK_TZ)).days + 1)
            ]
        )
        unpriced_from = previous.unpriced_from if previous else None
        if fetched or standing_days:
            price_end = local_day_bounds(last_day, UK_TZ)[1]
            if fetched:
                price_end = max(price_end, fetched[-1].start + HALF_HOUR)
            pricing = await self.history.async_pricing(self._agreements(), start, price_end)
            fetched, day_charges = costed(
                fetched,
                pricing,
                dispatches=dispatches,
                tariff_code=self.current_tariff_code(fetched[-1].start if fetched else now),
                standing_days=standing_days,
            )
            if fetched:
                unpriced_from = min((u.start for u in fetched if u.cost is None), default=None)
            if self._statistics_wanted():
                await self._async_import_statistics(fetched, day_charges, start)
            standing.update(
                {d: c for d, c in day_charges.items() if d >= local_date(kept_from, UK_TZ)}
            )
            self.history.forget_before(
                min(kept_from, unpriced_from or kept_from) - timedelta(days=1)
            )
        merged.update({u.start: u for u in fetched if u.start >= kept_from})
        recent = tuple(merged[s] for s in sorted(merged))
        last_end = max(
            [
                e
                for e in (
                    previous.last_end if previous else None,
                    fetched[-1].start + HALF_HOUR if fetched else None,
                )
                if e is not None
            ],
            default=None,
        )
        empty_polls = 0 if new_data else (previous.empty_polls + 1 if previous else 1)
        when = next_poll(last_end, now, empty_polls)
        data = ConsumptionData(
            recent=recent,
            standing=standing,
            last_end=last_end,
            previous_day=previous_complete_day(recent, standing, local_date(now, UK_TZ)),
            unit=unit,
            fetched_at=now,
            next_fetch=when,
            empty_polls=empty_polls,
            statistics_imported=(previous.statistics_imported if previous else False)
            or self._statistics_wanted(),
            unpriced_from=unpriced_from,
            dispatches_priced=priced_with,
        )
        return FetchResult(data, when)

    def _usage(self, interval: ConsumptionInterval, unit: str) -> HalfHourUsage:
        raw = interval.consumption
        kwh = (
            gas_m3_to_kwh(raw, self.calorific_value)
            if unit == M3 and self.meter.fuel is Fuel.GAS
            else raw
        )
        return HalfHourUsage(start=interval.interval_start, kwh=kwh, raw=raw, cost=None)

    async def _async_import_statistics(
        self, usages: list[HalfHourUsage], day_charges: dict[date, Decimal], start: datetime
    ) -> None:
        energy: dict[datetime, float] = defaultdict(float)
        for usage in usages:
            energy[usage.start.replace(minute=0)] += float(usage.kwh)
        money = money_by_hour(usages, day_charges)
        await self._writer.async_import(
            statistic_metadata(self.meter, "consumption"), energy, start
        )
        await self._writer.async_import(
            statistic_metadata(self.meter, money_series(self.meter)), money, start
        )

    def _serialize(self, data: ConsumptionData) -> dict[str, Any]:
        return {"data": to_json(data)}

    def _deserialize(self, stored: dict[str, Any]) -> ConsumptionData:
        return from_json(ConsumptionData, stored["data"])
