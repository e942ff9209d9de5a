"""One tariff comparison per ``tariff_comparison`` subentry: the meter's days on another tariff.

It follows the meter's consumption coordinator and reuses the half-hours it already fetched (no
second consumption request). When complete days appear, the compared tariff's prices of those
days are fetched once (unit rates and standing charges, through a ``TariffHistory`` of its own,
persisted), the days are priced with the pricing model and kept for the month; corrected
consumption re-prices a day from the kept prices. Entries without a comparison run none of this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import Agreement, OctopusClient, OctopusError, Tariff
from .codec import from_json, to_json
from .comparison_model import CONF_PRODUCT, CONF_TARIFF
from .const import DOMAIN, LOGGER, UK_TZ
from .coordinators.consumption import ConsumptionCoordinator
from .coordinators.smartflex import SmartFlexCoordinator
from .domain.comparison import (
    ComparedDay,
    changed_days,
    compare_day,
    complete_days,
    month_so_far,
)
from .domain.price_model import dispatch_off_peak
from .domain.pricing import HalfHourUsage, costed, money_by_hour
from .domain.rate_data import tariff_periods
from .domain.time import local_date, local_day_bounds
from .meters import MeterConfig
from .statistics import StatisticsWriter, comparison_metadata
from .tariff_history import TariffHistory

_STORE_VERSION = 1
_SAVE_DELAY = 10  # seconds
_RETRY_AFTER_ERROR = timedelta(hours=1)
_BREAKDOWN_DAYS = 2  # days whose half-hours are kept (the previous day's attributes need them)
_PENCE_PER_POUND = Decimal(100)


class TariffComparison:
    """What the meter's complete days cost on its tariff and on the compared one."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        subentry: ConfigSubentry,
        client: OctopusClient,
        meter: MeterConfig,
        consumption: ConsumptionCoordinator,
        smartflex: SmartFlexCoordinator | None,
        *,
        write_statistics: bool,
    ) -> None:
        """Prepare the comparison of ``subentry``; ``async_start`` begins following consumption."""
        self.hass = hass
        self.subentry = subentry
        self.meter = meter
        self.tariff_code: str = subentry.data[CONF_TARIFF]
        self._product: str = subentry.data[CONF_PRODUCT]
        self._consumption = consumption
        self._smartflex = smartflex
        key = f"comparison_{subentry.subentry_id}"
        self._history = TariffHistory(
            hass, entry, client, fuel=meter.fuel, store_key=f"{key}_prices",
            night=consumption.history.night, export=meter.is_export,
        )  # fmt: skip
        self._store: Store[dict[str, Any]] = Store(
            hass, _STORE_VERSION, f"{DOMAIN}.{entry.entry_id}.{key}"
        )
        self._writer = StatisticsWriter(hass) if write_statistics else None
        self.days: dict[date, ComparedDay] = {}
        # The first day of the month whose older days were back-filled (``_async_backfill``).
        self._backfilled: date | None = None
        # Back-filled days not compared yet, in memory only (a restart asks again).
        self._pending: dict[date, tuple[HalfHourUsage, ...]] = {}
        self._pending_standing: dict[date, Decimal] = {}
        self._retry_at: datetime | None = None
        self._running = False
        self._listeners: list[Callable[[], None]] = []
        self._unsubs: list[CALLBACK_TYPE] = []
        self._entry = entry

    # --- what entities read -------------------------------------------------------------------

    @property
    def latest(self) -> ComparedDay | None:
        """The latest compared day (the previous complete day), with its half-hours."""
        return self.days[max(self.days)] if self.days else None

    def current_tariff_code(self) -> str | None:
        """The meter's own tariff (the agreement in force now)."""
        return self._consumption.current_tariff_code(dt_util.utcnow())

    def month(self) -> list[ComparedDay]:
        """The compared days of the latest compared day's month."""
        return month_so_far(self.days.values())

    def diagnostics(self) -> dict[str, Any]:
        """What the comparison holds, for diagnostics: codes and totals, no meter numbers."""
        month = self.month()
        latest = self.latest
        return {
            "meter": self.meter.kind.value,
            "product_code": self._product,
            "tariff_code": self.tariff_code,
            "current_tariff_code": self.current_tariff_code(),
            "days_kept": len(self.days),
            "month_days": [day.day.isoformat() for day in month],
            "month_current_pence": str(sum((d.current for d in month), Decimal(0))),
            "month_compared_pence": str(sum((d.compared for d in month), Decimal(0))),
            "latest_day": None if latest is None else to_json(replace(latest, half_hours=())),
            "backfilled_month": self._backfilled.isoformat() if self._backfilled else None,
            "backfill_pending_days": len(self._pending),
            "retry_at": self._retry_at.isoformat() if self._retry_at else None,
            "statistics": self._writer is not None,
        }

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` whenever compared days change."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # --- life cycle ---------------------------------------------------------------------------

    async def async_load(self) -> None:
        """Read the compared days and the compared tariff's prices back."""
        await self._history.async_load()
        stored = await self._store.async_load()
        if not stored or stored.get("tariff_code") != self.tariff_code:
            return  # nothing yet, or days compared on the tariff the comparison pointed at before
        try:
            days = from_json(tuple[ComparedDay, ...], stored["days"])
        except (KeyError, TypeError, ValueError, ArithmeticError):
            return
        self.days = {day.day: day for day in days}
        backfilled = stored.get("backfilled")
        self._backfilled = date.fromisoformat(backfilled) if isinstance(backfilled, str) else None

    @callback
    def async_start(self) -> None:
        """Follow the consumption coordinator; compare what it holds already."""
        self._unsubs.append(self._consumption.async_add_listener(self._on_consumption))
        self._on_consumption()

    async def async_stop(self) -> None:
        """Stop following and write what is pending."""
        while self._unsubs:
            self._unsubs.pop()()
        await self._history.async_flush()
        await self._store.async_save(self._snapshot()())

    @callback
    def _on_consumption(self) -> None:
        if self._running or self._consumption.data is None:
            return
        self._running = True
        self._entry.async_create_background_task(
            self.hass, self._async_compare(dt_util.utcnow()), f"tariff comparison {self.meter.kind}"
        )

    # --- the work -----------------------------------------------------------------------------

    async def _async_compare(self, now: datetime) -> None:
        try:
            await self._async_compare_days(now)
        finally:
            self._running = False

    async def _async_compare_days(self, now: datetime) -> None:
        data = self._consumption.data
        if data is None or (self._retry_at is not None and now < self._retry_at):
            return
        export = self.meter.is_export
        complete = complete_days(data.recent, data.standing, local_date(now, UK_TZ), export=export)
        standing = dict(data.standing)
        try:
            backfilled = await self._async_backfill(now, set(complete))
        except OctopusError as err:
            LOGGER.warning("Could not fetch the month of a tariff comparison: %s", err)
            self._retry_at = now + _RETRY_AFTER_ERROR
            return
        self._with_pending(complete, standing)
        complete = dict(sorted(complete.items()))
        wanted = changed_days(complete, {} if export else standing, self.days)
        if not wanted:
            self._pending = {}
            if backfilled:
                self._store.async_delay_save(self._snapshot(), _SAVE_DELAY)
            return
        start = local_day_bounds(wanted[0], UK_TZ)[0]
        end = local_day_bounds(wanted[-1], UK_TZ)[1]
        agreement = Agreement(Tariff(self.tariff_code, self._product), None, None)
        dispatches = (
            self._smartflex.data.completed if self._smartflex and self._smartflex.data else ()
        )
        try:
            prices = await self._history.async_prices(
                tariff_periods([agreement], self.meter.fuel),
                start,
                end,
                dispatch_off_peak(dispatches, now=now),
                # Today's prices are final already: kept for tomorrow's comparison.
                final_until=local_day_bounds(local_date(now, UK_TZ), UK_TZ)[1],
            )
        except OctopusError as err:
            LOGGER.warning("Could not fetch the prices of a compared tariff: %s", err)
            self._retry_at = now + _RETRY_AFTER_ERROR
            return
        self._retry_at = None
        self._pending, self._pending_standing = {}, {}
        compared_now: list[ComparedDay] = []
        for day in wanted:
            usages = complete[day]
            priced, charges = costed(
                [replace(u, cost=None) for u in usages],
                prices,
                standing_days=() if export else (day,),
            )
            if not export and day not in charges:
                continue
            result = compare_day(day, usages, priced, standing.get(day), charges.get(day))
            if result is not None:
                compared_now.append(result)
        if not compared_now:
            return
        for result in compared_now:
            self.days[result.day] = result
        self._trim(now)
        if self._writer is not None and "recorder" in self.hass.config.components:
            await self._async_write_statistics(compared_now)
        self._store.async_delay_save(self._snapshot(), _SAVE_DELAY)
        for listener in list(self._listeners):
            listener()

    async def _async_backfill(self, now: datetime, complete: set[date]) -> bool:
        """Fetch the month's days the consumption coordinator no longer keeps, once a month.

        A comparison added on the 20th shows the month from the 1st: the days before the kept
        week are asked for in one consumption request (priced on the meter's own tariff by its
        price history) and wait in ``_pending`` until compared; once compared they are kept, so
        neither the next poll nor a restart asks again. True when it ran.
        """
        data = self._consumption.data
        assert data is not None
        today = local_date(now, UK_TZ)
        first = (today - timedelta(days=1)).replace(day=1)
        if self._backfilled is not None and self._backfilled >= first:
            return False
        kept_from = min((local_date(u.start, UK_TZ) for u in data.recent), default=today)
        missing = [
            day
            for offset in range((min(kept_from, today - timedelta(days=1)) - first).days + 1)
            if (day := first + timedelta(days=offset)) not in self.days and day not in complete
        ]
        if missing:
            start = local_day_bounds(missing[0], UK_TZ)[0]
            end = local_day_bounds(missing[-1], UK_TZ)[1]
            usages, charges = await self._consumption.async_priced_between(start, end, now)
            export = self.meter.is_export
            found = complete_days(usages, charges, today, export=export)
            self._pending = {day: found[day] for day in missing if day in found}
            self._pending_standing = {d: c for d, c in charges.items() if d in self._pending}
        self._backfilled = first
        return True

    def _with_pending(
        self,
        complete: dict[date, tuple[HalfHourUsage, ...]],
        standing: dict[date, Decimal],
    ) -> None:
        """Add back-filled days not compared yet (their prices could not be had before)."""
        for day, halves in self._pending.items():
            if day not in complete and day not in self.days:
                complete[day] = halves
                if day in self._pending_standing:
                    standing.setdefault(day, self._pending_standing[day])

    def _trim(self, now: datetime) -> None:
        """Keep this month and the last (the month sensor's) and prices a week back."""
        today = local_date(now, UK_TZ)
        first_kept = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        self.days = {d: v for d, v in sorted(self.days.items()) if d >= first_kept}
        recent = sorted(self.days)[-_BREAKDOWN_DAYS:]
        self.days = {
            d: v if d in recent else replace(v, half_hours=()) for d, v in self.days.items()
        }
        self._history.forget_before(local_day_bounds(today - timedelta(days=9), UK_TZ)[0])

    async def _async_write_statistics(self, days: list[ComparedDay]) -> None:
        assert self._writer is not None
        window = local_day_bounds(min(d.day for d in days), UK_TZ)[0]
        serieses: tuple[Literal["current", "compared"], ...] = ("current", "compared")
        for series in serieses:
            compared = series == "compared"
            usages = [
                HalfHourUsage(
                    half.start, half.kwh, half.kwh, half.compared if compared else half.current
                )
                for day in days
                for half in day.half_hours
            ]
            charges = {
                day.day: charge
                for day in days
                if (charge := day.compared_standing if compared else day.current_standing)
                is not None
            }
            money = money_by_hour(usages, charges)
            await self._writer.async_import(
                comparison_metadata(self.subentry.subentry_id, self.subentry.title, series),
                {hour: float(pence / _PENCE_PER_POUND) for hour, pence in money.items()},
                window,
            )

    def _snapshot(self) -> Callable[[], dict[str, Any]]:
        """A ready copy for the store (no work in its callback)."""
        data = {
            "tariff_code": self.tariff_code,
            "days": to_json(tuple(self.days[d] for d in sorted(self.days))),
            # Saved once its days are compared: a restart before that back-fills again.
            "backfilled": (
                self._backfilled.isoformat() if self._backfilled and not self._pending else None
            ),
        }
        return lambda: data
