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

import asyncio
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from ..api import (
    Agreement,
    ConsumptionInterval,
    Dispatch,
    Fuel,
    OctopusClient,
    OctopusProductUnavailableError,
    OctopusUnavailableError,
)
from ..caches import meter_tag
from ..codec import from_json, to_json
from ..const import LOGGER, UK_TZ
from ..domain.consumption import (
    HISTORY_DAYS,
    ConsumptionData,
    next_poll,
    previous_complete_day,
    window_start,
)
from ..domain.cost import aggregate_hourly, gas_m3_to_kwh
from ..domain.dispatch import smart_only
from ..domain.price_model import PriceModel, dispatch_off_peak, intelligent_periods
from ..domain.pricing import HalfHourUsage, costed, money_by_hour
from ..domain.rate_data import TariffPeriod, tariff_periods
from ..domain.time import HALF_HOUR, local_date, local_day_bounds
from ..domain.timeline import RateTimeline
from ..meters import M3, MeterConfig, agreement_at, agreements_for, meter_unit
from ..options import OctopusOptions
from ..statistics import StatisticsWriter, money_series, statistic_metadata
from ..tariff_history import TariffHistory
from .account import AccountCoordinator
from .base import FetchResult, OctopusCoordinator
from .rates import RatesCoordinator
from .smartflex import SmartFlexCoordinator

_PENCE_PER_POUND = Decimal(100)


class ConsumptionCoordinator(OctopusCoordinator[ConsumptionData]):
    """Consumption, cost and statistics of one meter."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: OctopusClient,
        account: AccountCoordinator,
        meter: MeterConfig,
        options: OctopusOptions,
        *,
        rates: RatesCoordinator | None,
        smartflex: SmartFlexCoordinator | None,
    ) -> None:
        """Create the coordinator of ``meter``.

        Prices ``rates`` (the meter's) holds cost no request; ``smartflex`` keeps the completed
        dispatches Intelligent Octopus Go bills off-peak.
        """
        tag = meter_tag(entry.entry_id, meter)
        super().__init__(
            hass,
            entry,
            name=f"consumption {meter.kind}",
            store_key=f"consumption_{tag}",
            legacy_store_key=f"consumption_{meter.key}",
        )
        self.client = client
        self.meter = meter
        self._account = account
        self._smartflex = smartflex
        # Past prices come from the meter's rates coordinator, the one place they are fetched;
        # without one (a stand-alone run), from a history of this coordinator's own.
        self._own_history = rates is None
        self._repricing: asyncio.Task[None] | None = None
        self.history = (
            rates.history
            if rates is not None
            else TariffHistory(
                hass,
                entry,
                client,
                fuel=meter.fuel,
                store_key=f"tariff_history_{tag}",
                legacy_store_key=f"tariff_history_{meter.key}",
                export=meter.is_export,
            )  # fmt: skip
        )
        self._writer = StatisticsWriter(hass)
        self.import_statistics = options.import_statistics
        self.backfill_days = options.backfill_days
        self.calorific_value = options.calorific_value

    async def async_load_cache(self) -> None:
        """Load the consumption cache (and the price history, if this coordinator owns it)."""
        if self._own_history:
            await self.history.async_load()
        await super().async_load_cache()

    async def async_shutdown(self) -> None:
        """Stop polling and write the caches (the base writes the consumption one)."""
        await super().async_shutdown()
        if self._own_history:
            await self.history.async_flush()

    @property
    def reported_unit(self) -> str:
        """The unit the meter reports (from the account; SMETS2 gas if unknown)."""
        return meter_unit(self._account.data.account if self._account.data else None, self.meter)

    def current_tariff_code(self, now: datetime) -> str | None:
        """The tariff code of the agreement in force at ``now``."""
        agreement = agreement_at(self._agreements(), now)
        return agreement.tariff.tariff_code if agreement else None

    def _agreements(self) -> tuple[Agreement, ...]:
        account = self._account.data.account if self._account.data else None
        return agreements_for(account, self.meter)

    def _tariffs(self) -> tuple[TariffPeriod, ...]:
        return tariff_periods(self._agreements(), self.meter.fuel)

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
        dispatches = self._completed_dispatches()
        tariffs = self._tariffs()
        priced_with = self._dispatch_starts(dispatches, tariffs)
        known = set(previous.dispatches_priced if previous else ())
        arrived = [start for start in priced_with if start not in known]
        if previous is not None and now < previous.next_fetch and not needs_backfill:
            if not arrived:
                return FetchResult(previous, previous.next_fetch)  # a restart costs no request
            LOGGER.debug("%s: re-pricing for newly completed dispatches", self.name)
        start = window_start(
            None if needs_backfill else previous,
            now,
            self._backfill_from(now),
            min(arrived) if arrived and previous is not None else None,
        )
        intervals = await self.client.async_get_consumption(
            self.meter.fuel, self.meter.mpxn, self.meter.serial, period_from=start, period_to=now
        )
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
            # The bill counts what completed: planned or running dispatches never price a cost.
            prices = await self._async_prices(
                tariffs, start, price_end, dispatch_off_peak(dispatches, now=now)
            )
            fetched, day_charges = costed(fetched, prices, standing_days=standing_days)
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

    async def async_priced_between(
        self, start: datetime, end: datetime, now: datetime
    ) -> tuple[list[HalfHourUsage], dict[date, Decimal]]:
        """The meter's priced half-hours over ``[start, end)`` and its days' standing charges.

        One consumption request, nothing kept (no standing charge for export): for the days
        this coordinator no longer keeps (a tariff comparison's month back-fill). Price errors
        are raised, not swallowed: the caller asks again later.
        """
        intervals = await self.client.async_get_consumption(
            self.meter.fuel, self.meter.mpxn, self.meter.serial, period_from=start, period_to=end
        )
        unit = self.reported_unit
        usages = [self._usage(interval, unit) for interval in intervals]
        first, last = local_date(start, UK_TZ), local_date(end - HALF_HOUR, UK_TZ)
        days = (
            []
            if self.meter.is_export
            else [first + timedelta(days=i) for i in range((last - first).days + 1)]
        )
        prices = await self.history.async_prices(
            self._tariffs(), start, end, dispatch_off_peak(self._completed_dispatches(), now=now)
        )
        return costed(usages, prices, standing_days=days)

    async def _async_prices(
        self,
        tariffs: tuple[TariffPeriod, ...],
        start: datetime,
        end: datetime,
        off_peak: tuple[tuple[datetime, datetime], ...],
    ) -> PriceModel:
        """The meter's prices, or none while they cannot be had (the rates coordinator says so).

        Consumption does not need prices: without them its half-hours stay unpriced and are
        priced at a later poll (``unpriced_from``), while the kWh show at once.
        """
        try:
            return await self.history.async_prices(tariffs, start, end, off_peak)
        except (OctopusProductUnavailableError, OctopusUnavailableError) as err:
            LOGGER.debug("%s: no prices for the cost yet (%s)", self.name, type(err).__name__)
            return PriceModel.build(RateTimeline(), (), ())

    @staticmethod
    def _dispatch_starts(
        dispatches: tuple[Dispatch, ...], tariffs: tuple[TariffPeriod, ...]
    ) -> tuple[datetime, ...]:
        """Starts of the smart dispatches that price this meter (Intelligent Octopus Go only)."""
        if not intelligent_periods(tariffs):
            return ()
        return tuple(sorted({d.start for d in smart_only(dispatches)}))

    @callback
    def dispatches_updated(self) -> None:
        """Re-price soon when SmartFlex lists completed dispatches not priced in yet.

        Completed dispatches are listed hours after they end, often long after the half-hours
        they make off-peak were priced at peak; waiting for the next consumption poll (up to
        hours away) would leave the cost and its statistics wrong until then.
        """
        data: ConsumptionData | None = self.data
        if data is None or not self.last_update_success:
            return  # a failing meter retries on its own schedule, re-pricing then
        starts = self._dispatch_starts(self._completed_dispatches(), self._tariffs())
        if set(starts) - set(data.dispatches_priced) and (
            self._repricing is None or self._repricing.done()
        ):
            # A background task that refreshes itself: ``async_request_refresh`` would run the
            # refresh as a task Home Assistant waits for (at start-up, and in tests), however
            # long a request hangs.
            self._repricing = self.config_entry.async_create_background_task(
                self.hass,
                self.async_refresh(),
                f"octopus_kraken re-price {self.meter.kind}",
            )

    def _completed_dispatches(self) -> tuple[Dispatch, ...]:
        """Completed SmartFlex dispatches kept by the SmartFlex coordinator, if any."""
        flex = None if self._smartflex is None else self._smartflex.data
        return () if flex is None else flex.completed

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
        # Exact sums per UTC hour; floats only when written.
        hours = aggregate_hourly(
            ConsumptionInterval(u.start, u.start + HALF_HOUR, u.kwh) for u in usages
        )
        money = money_by_hour(usages, day_charges)
        await self._writer.async_import(
            statistic_metadata(self.meter, "consumption"),
            {hour.start: float(hour.consumption_kwh) for hour in hours},
            start,
        )
        await self._writer.async_import(
            statistic_metadata(self.meter, money_series(self.meter)),
            {hour: float(pence / _PENCE_PER_POUND) for hour, pence in money.items()},
            start,
        )

    def _serialize(self, data: ConsumptionData) -> dict[str, Any]:
        return {"data": to_json(data)}

    def _deserialize(self, stored: dict[str, Any]) -> ConsumptionData:
        return from_json(ConsumptionData, stored["data"])
