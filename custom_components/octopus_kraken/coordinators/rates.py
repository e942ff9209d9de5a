"""Unit rates and standing charges of one meter, fetched economically and moved on at every slot.

One coordinator per selected meter (import, export, gas). Its tariffs come from the account's
agreements (or the code a user typed in for a manual meter) and follow them when they change.
A fetch asks only for what is missing (``RateTimeline.gaps``), split by the tariff in force;
``domain.rate_schedule`` decides when the next one is worth making. Between fetches a timer
fires at every price boundary (and UK midnight) so entities move on without a request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
import random
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from ..api import OctopusClient, Rate, StandingCharge
from ..caches import meter_tag
from ..codec import from_json, to_json
from ..domain.economy7 import DEFAULT_NIGHT, NightWindow
from ..domain.price_model import PriceModel
from ..domain.rate_data import (
    HeldPrices,
    RatesData,
    TariffPeriod,
    covered_by_tariffs,
    inside,
    reconcile,
    sooner_for_tariff_change,
    tariff_at,
    tariff_periods,
)
from ..domain.rate_schedule import (
    Cadence,
    daily_check_due,
    expected_end,
    next_fetch,
    next_local_midnight,
    policy_for,
    refresh_period,
    window_start,
)
from ..domain.time import Period, floor_half_hour, merge_periods, to_utc
from ..domain.timeline import RateTimeline
from ..meter_outage import MeterOutage
from ..meters import MeterConfig, agreements_for
from ..price_fetch import async_fetch_standing_charges, async_fetch_unit_rates
from ..tariff_history import TariffHistory
from ..wakeup import WakeUp, stop_all
from .account import AccountCoordinator
from .base import FetchResult, OctopusCoordinator
from .smartflex import SmartFlexCoordinator, SmartFlexData


class RatesCoordinator(OctopusCoordinator[RatesData]):
    """The rates of one meter; ``timeline`` is what every price entity reads."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: OctopusClient,
        meter: MeterConfig,
        account: AccountCoordinator,
        smartflex: SmartFlexCoordinator | None = None,
        *,
        meter_name: str = "meter",
        night: NightWindow = DEFAULT_NIGHT,
    ) -> None:
        """Create the coordinator of ``meter``; call ``async_start`` after the first refresh.

        ``smartflex`` (electricity import meters): its dispatches are priced at the off-peak
        rate while the meter is on Intelligent Octopus Go. ``meter_name``: what the user calls
        the meter, for the outage warning and repair issue. ``night``: the meter's Economy 7
        night window (the option).
        """
        super().__init__(
            hass,
            entry,
            name=f"rates {meter.kind}",
            store_key=f"rates_{meter_tag(entry.entry_id, meter)}",
            legacy_store_key=f"rates_{meter.key}",
        )
        self.client = client
        self.meter = meter
        self.night = night
        # Past prices of costs: the meter's one cache, fed through the same fetch.
        self.history = TariffHistory(
            hass, entry, client, fuel=meter.fuel,
            store_key=f"tariff_history_{meter_tag(entry.entry_id, meter)}",
            legacy_store_key=f"tariff_history_{meter.key}",
            held=self, night=night, export=meter.is_export,
        )  # fmt: skip
        self._account = account
        self._smartflex = smartflex
        self._rng = random.Random()
        self._attempt = 0
        self._dispatch_periods: tuple[Period, ...] = ()
        self._flex_periods: tuple[Period, ...] | None = None  # as SmartFlex last gave them
        self._model_for: tuple[RatesData, tuple[Period, ...]] | None = None
        self._model: PriceModel | None = None
        # Wakes the listeners (entities) at every price boundary; they re-arm it.
        self._tick = WakeUp(hass, self.async_update_listeners)
        self._unsubs: list[Callable[[], None]] = []
        self.outage = MeterOutage(hass, entry, meter.key, meter_name)

    # --- what other features read ---------------------------------------------------------

    @property
    def _data(self) -> RatesData | None:
        """The data, typed as what it is before the first refresh: possibly missing."""
        return self.data

    @property
    def has_prices(self) -> bool:
        """Whether any prices are held (none: the meter's first refresh has not succeeded)."""
        return self._data is not None

    @property
    def prices(self) -> PriceModel | None:
        """The meter's price model: what every price entity, window and cost reads.

        Built from the tariffs, their published rates and standing charges, and (Intelligent
        Octopus Go) the half-hours SmartFlex's dispatches make off-peak; rebuilt only when one
        of them changed.
        """
        data: RatesData | None = self.data
        if data is None:
            return None
        if (
            self._model_for is None
            or self._model_for[0] is not data
            or self._model_for[1] != self._dispatch_periods
        ):
            self._model = PriceModel.build(
                data.timeline, data.standing_charges, data.tariffs, self._dispatch_periods
            )
            self._model_for = (data, self._dispatch_periods)
        return self._model

    def tariff_at(self, instant: datetime) -> TariffPeriod | None:
        """The tariff in force at ``instant`` as far as the last fetch knew."""
        return None if self._data is None else self._data.tariff_at(instant)

    def held_prices(self, tariff_code: str, start: datetime, end: datetime) -> HeldPrices | None:
        """The tariff's own prices (no dispatch off-peak) over the tail of ``[start, end)`` held.

        For consumption cost: it asks the API only for what this returns nothing for.
        """
        return None if self._data is None else self._data.held_prices(tariff_code, start, end)

    @callback
    def _on_smartflex_update(self) -> None:
        """SmartFlex's dispatches (or the clock) changed: take its off-peak periods if they did."""
        flex: SmartFlexData | None = None if self._smartflex is None else self._smartflex.data
        if flex is None:
            return
        periods = tuple(flex.off_peak_periods(dt_util.utcnow()))
        if periods != self._flex_periods:
            self._flex_periods = periods
            self.async_set_dispatch_off_peak(periods)

    @callback
    def async_set_dispatch_off_peak(self, periods: Sequence[tuple[datetime, datetime]]) -> None:
        """Price ``periods`` (dispatch half-hours) at the off-peak rate; no request is made.

        Only Intelligent Octopus Go tariffs are affected, so a tariff change needs nothing here.
        """
        new = tuple(merge_periods((to_utc(a), to_utc(b)) for a, b in periods))
        if new == self._dispatch_periods:
            return
        self._dispatch_periods = new
        self.async_update_listeners()

    # --- life cycle -----------------------------------------------------------------------

    @callback
    def async_start(self) -> None:
        """Follow agreement changes and move entities on at every price boundary."""
        self._unsubs.append(self._account.async_add_listener(self._on_account_update))
        if self._smartflex is not None:
            self._unsubs.append(self._smartflex.async_add_listener(self._on_smartflex_update))
            self._on_smartflex_update()
        # Our own listener keeps the refresh schedule alive even with no entity enabled and
        # re-arms the boundary timer whenever listeners are told something changed.
        self._unsubs.append(self.async_add_listener(self._schedule_tick))
        self._schedule_tick()

    async def async_load_cache(self) -> None:
        """Load the rates cache and the past prices."""
        await self.history.async_load()
        await super().async_load_cache()

    async def async_shutdown(self) -> None:
        """Cancel the timer, listeners and repair issue with the entry; write both caches."""
        await super().async_shutdown()
        self.async_stop()
        self.outage.cleared()  # a reload raises it again if the meter still has no prices
        await self.history.async_flush()

    @callback
    def async_stop(self) -> None:
        """Cancel the boundary timer and the listeners (idempotent)."""
        stop_all(self._tick, self._unsubs)

    @callback
    def _schedule_tick(self) -> None:
        """Arm a timer for the end of the current slot (or UK midnight, if sooner)."""
        now = dt_util.utcnow()
        when = next_local_midnight(now)
        if (prices := self.prices) is not None:
            rate = prices.rate_at(now)
            boundary = prices.timeline.next_change(now) if rate is None else rate.valid_to
            if boundary is not None and boundary > now:
                when = min(when, boundary)
        self._tick.at(when)

    @callback
    def _on_account_update(self) -> None:
        """Refetch when the agreements (the tariff) changed, e.g. at a midnight switch."""
        if self._data is None or self.current_tariffs() == self._data.tariffs:
            return
        self.config_entry.async_create_background_task(
            self.hass, self.async_refresh(), f"octopus_kraken rates {self.meter.key}"
        )

    def current_tariffs(self) -> tuple[TariffPeriod, ...]:
        """The meter's tariffs according to the account as last fetched."""
        data = self._account.data
        account = None if data is None else data.account
        return tariff_periods(agreements_for(account, self.meter), self.meter.fuel)

    # --- fetching -------------------------------------------------------------------------

    async def _async_update_data(self) -> RatesData:
        """Refresh, keeping the meter's outage (warning, repair issue) up to date."""
        try:
            data = await super()._async_update_data()
        except UpdateFailed as err:
            self.outage.failed(err.__cause__, dt_util.utcnow(), without_prices=self.data is None)
            raise
        self.outage.cleared()
        return data

    async def _async_fetch(
        self, previous: RatesData | None, now: datetime
    ) -> FetchResult[RatesData]:
        tariffs = self.current_tariffs()
        data = reconcile(previous, tariffs, now)
        in_force = tariff_at(tariffs, now)
        policy = policy_for(in_force.kind if in_force else None)
        start, end = window_start(now), expected_end(now, policy)

        timeline = data.timeline if data else RateTimeline()
        fetched = data.fetched if data else ()
        wanted = [
            gap for gap in timeline.gaps(start, end) if gap[1] > now or not inside(gap, fetched)
        ]
        if policy.cadence is Cadence.DAILY and daily_check_due(
            now, data.rates_checked_at if data else None
        ):
            wanted.append(refresh_period(now, policy))
        wanted = merge_periods(wanted)
        rates_checked_at = data.rates_checked_at if data else None
        if wanted:
            timeline = timeline.merge(await self._fetch_rates(tariffs, wanted))
            fetched = tuple(merge_periods([*fetched, *wanted]))
            rates_checked_at = now

        standing = data.standing_charges if data else ()
        standing_checked_at = data.standing_checked_at if data else None
        if (
            not standing
            or data is None
            or data.standing_charge_at(now) is None
            or (wanted and daily_check_due(now, standing_checked_at))
        ):
            standing = await self._fetch_standing(tariffs, start, end)
            standing_checked_at = now

        result = RatesData(
            timeline=timeline.trimmed(start),
            standing_charges=tuple(c for c in standing if c.valid_to is None or c.valid_to > start),
            tariffs=tariffs,
            fetched=tuple((max(a, start), b) for a, b in fetched if b > start),
            rates_checked_at=rates_checked_at,
            standing_checked_at=standing_checked_at,
        )
        complete = all(
            result.timeline.covers(a, b)
            for a, b in covered_by_tariffs(tariffs, floor_half_hour(now), end)
        )
        self._attempt = 0 if complete else self._attempt + 1
        when = next_fetch(now, policy, complete=complete, attempt=self._attempt, rng=self._rng)
        when = sooner_for_tariff_change(tariffs, now, when)
        if result == previous:
            result = previous  # keep identity: nothing changed, no recomputation downstream
        return FetchResult(result, when)

    async def _fetch_rates(
        self, tariffs: Sequence[TariffPeriod], periods: Sequence[Period]
    ) -> list[Rate]:
        """Unit rates over ``periods``: one request per tariff (two for day/night tariffs)."""
        found: list[Rate] = []
        for tariff in tariffs:
            overlaps = [o for a, b in periods if (o := tariff.overlap(a, b)) is not None]
            if not overlaps:
                continue
            lo, hi = overlaps[0][0], overlaps[-1][1]
            found.extend(
                await async_fetch_unit_rates(
                    self.client, self.meter.fuel, tariff, lo, hi, self.night
                )
            )
        return found

    async def _fetch_standing(
        self, tariffs: Sequence[TariffPeriod], start: datetime, end: datetime
    ) -> tuple[StandingCharge, ...]:
        found: list[StandingCharge] = []
        for tariff in tariffs:
            overlap = tariff.overlap(start, end)
            if overlap is not None:
                found.extend(
                    await async_fetch_standing_charges(
                        self.client, self.meter.fuel, tariff, *overlap, export=self.meter.is_export
                    )
                )
        return tuple(found)

    async def async_rates_between(
        self, start: datetime, end: datetime
    ) -> tuple[list[Rate], list[str]]:
        """Effective rates over ``[start, end)`` (fetched if not cached) and the tariff codes."""
        tariffs = self.current_tariffs() or (self.data.tariffs if self.data else ())
        codes = [t.tariff_code for t in tariffs if t.overlap(start, end) is not None]
        cached = self.prices.timeline if self.prices else RateTimeline()
        if cached.covers(start, end):
            return cached.rates_between(start, end), codes
        # Unit rates only, one request per tariff (``price_fetch``, like every price request);
        # the action needs no standing charge, so it does not go through the cost history.
        fetched = RateTimeline(await self._fetch_rates(tariffs, [(start, end)]))
        merged = fetched.merge(cached.rates_between(start, end))
        return merged.rates_between(start, end), codes

    # --- cache ----------------------------------------------------------------------------

    def _serialize(self, data: RatesData) -> dict[str, Any]:
        return {**rates_to_cache(data), "night": str(self.night)}

    def _deserialize(self, stored: dict[str, Any]) -> RatesData | None:
        # Day/night rates were placed in the night window of their time: another one refetches.
        if stored.get("night", str(DEFAULT_NIGHT)) != str(self.night):
            return None
        return rates_from_cache(stored)


CACHE_FORMAT = 1


def rates_to_cache(data: RatesData) -> dict[str, Any]:
    """JSON for the ``Store``."""
    return {
        "format": CACHE_FORMAT,
        "timeline": data.timeline.to_json(),
        "standing_charges": to_json(data.standing_charges),
        "tariffs": to_json(data.tariffs),
        "fetched": [[start.isoformat(), end.isoformat()] for start, end in data.fetched],
        "rates_checked_at": to_json(data.rates_checked_at),
        "standing_checked_at": to_json(data.standing_checked_at),
    }


def rates_from_cache(stored: dict[str, Any]) -> RatesData | None:
    """Rebuild from ``to_cache`` output; ``None`` for another format."""
    if stored.get("format") != CACHE_FORMAT:
        return None
    fetched = tuple(
        (from_json(datetime, start), from_json(datetime, end)) for start, end in stored["fetched"]
    )
    return RatesData(
        timeline=RateTimeline.from_json(stored["timeline"]),
        standing_charges=from_json(tuple[StandingCharge, ...], stored["standing_charges"]),
        tariffs=from_json(tuple[TariffPeriod, ...], stored["tariffs"]),
        fetched=fetched,
        rates_checked_at=_optional_instant(stored["rates_checked_at"]),
        standing_checked_at=_optional_instant(stored["standing_checked_at"]),
    )


def _optional_instant(value: str | None) -> datetime | None:
    return None if value is None else from_json(datetime, value)
