"""Unit rates and standing charges of the past, for the cost of consumption that arrives late.

The rates coordinator keeps the prices of the last two days and the days ahead; consumption
lags by up to a day and its first back-fill reaches a year back. Prices the rates coordinator
holds are taken from it (its base timeline: dispatch off-peak is priced from completed
dispatches separately), so the steady-state re-read of the last two days costs no request.
For older periods this keeps, per meter, the prices of the periods cost was asked for: only the
periods not yet fetched are requested, what was fetched is persisted, and prices older than the
re-import horizon are dropped so the cache stays small.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from . import caches
from .api import Fuel, OctopusClient, Rate, StandingCharge
from .caches import cache_store
from .codec import from_json, to_json
from .domain.economy7 import DEFAULT_NIGHT, NightWindow
from .domain.price_model import PriceModel
from .domain.pricing import missing_periods
from .domain.rate_data import HeldPrices, TariffPeriod, charges_cover, clip_charges
from .domain.time import Period, merge_periods
from .domain.timeline import RateTimeline
from .price_fetch import async_fetch_standing_charges, async_fetch_unit_rates


class HeldPriceSource(Protocol):
    """What already holds recent prices (the meter's rates coordinator)."""

    def held_prices(self, tariff_code: str, start: datetime, end: datetime) -> HeldPrices | None:
        """The tariff's prices over the tail of ``[start, end)`` held without a request."""


@dataclass(frozen=True, slots=True)
class _TariffPrices:
    """What is known of one tariff: effective rates, standing charges, the periods each covers."""

    rates: tuple[Rate, ...]
    standing: tuple[StandingCharge, ...]
    covered: tuple[tuple[datetime, datetime], ...]  # unit rates
    standing_covered: tuple[tuple[datetime, datetime], ...] = ()


class TariffHistory:
    """Past prices of one meter's tariffs, fetched once and persisted."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: OctopusClient,
        *,
        fuel: Fuel,
        store_key: str,
        legacy_store_key: str | None = None,
        held: HeldPriceSource | None = None,
        night: NightWindow = DEFAULT_NIGHT,
        export: bool = False,
    ) -> None:
        """Create the cache; call ``async_load`` before use; ``held`` holds recent prices.

        A cache found under ``legacy_store_key`` (an older name) is moved to ``store_key``.
        ``night``: the meter's Economy 7 night window; ``export``: an export meter's tariff.
        """
        self._client = client
        self._fuel = fuel
        self._held = held
        self._hass = hass
        self._entry_id = entry.entry_id
        self._legacy_store_key = legacy_store_key
        self._store: Store[dict[str, Any]] = cache_store(hass, entry.entry_id, store_key)
        self._night = night
        self._export = export
        self._tariffs: dict[str, _TariffPrices] = {}
        self._snapshot: dict[str, Any] | None = None

    @property
    def night(self) -> NightWindow:
        """The Economy 7 night window day/night rates are placed in."""
        return self._night

    async def async_load(self) -> None:
        """Read what a previous run fetched (an unreadable cache is ignored)."""
        stored = await caches.async_load(
            self._hass, self._store, self._entry_id, self._legacy_store_key
        )
        # Day/night rates were placed in the night window of their time: another one refetches.
        if not stored or stored.get("night", str(DEFAULT_NIGHT)) != str(self._night):
            return
        try:
            self._tariffs = {
                code: _TariffPrices(
                    rates=RateTimeline.from_json(item["rates"]).rates,
                    standing=from_json(tuple[StandingCharge, ...], item["standing"]),
                    covered=from_json(tuple[tuple[datetime, datetime], ...], item["covered"]),
                    # Older caches fetched both together: "covered" was both.
                    standing_covered=from_json(
                        tuple[tuple[datetime, datetime], ...],
                        item.get("standing_covered", item["covered"]),
                    ),
                )
                for code, item in stored.get("tariffs", {}).items()
            }
        except (KeyError, TypeError, ValueError):
            self._tariffs = {}

    async def async_prices(
        self,
        tariffs: Iterable[TariffPeriod],
        start: datetime,
        end: datetime,
        off_peak: Iterable[Period] = (),
        *,
        final_until: datetime | None = None,
    ) -> PriceModel:
        """The price model over ``[start, end)``, fetching only periods never fetched before.

        ``off_peak``: the half-hours completed smart dispatches make off-peak. ``final_until``:
        prices before it are final (the end of today: a day's prices are published before it
        begins), so a request that has to be made reaches that far, and the next day's prices
        are then already kept. Economy 7's two unit-rate requests leave its standing charge's
        reach for a round without them (at most two requests a round after the first).
        """
        tariffs = tuple(tariffs)
        rates = RateTimeline()
        standing: list[StandingCharge] = []
        changed = False
        source = self._held
        for tariff in tariffs:
            period = tariff.overlap(start, end)
            if period is None:
                continue
            code = tariff.tariff_code
            held = source.held_prices(code, *period) if source is not None else None
            older = period if held is None else (period[0], held.period[0])
            known = self._tariffs.get(code) or _TariffPrices((), (), ())
            if older[0] < older[1]:
                rate_gaps = missing_periods(older, known.covered)
                for gap in rate_gaps:
                    known = await self._async_fetch_rates(
                        known, tariff, _reach(gap, final_until, tariff)
                    )
                    changed = True
                defer = bool(rate_gaps) and tariff.registers == 2
                for gap in missing_periods(older, known.standing_covered):
                    known = await self._async_fetch_standing(
                        known, tariff, gap if defer else _reach(gap, final_until, tariff)
                    )
                    changed = True
                self._tariffs[code] = known
                rates = rates.merge(RateTimeline(known.rates).rates_between(*older))
                # Each tariff's charges only while it is in force: unclipped, the charge of one
                # tariff would win the days of the other (the later-starting row wins).
                standing.extend(clip_charges(known.standing, *older))
            if held is not None:
                rates = rates.merge(held.rates)
                standing.extend(held.standing_charges)
        if changed:
            self._save()
        return PriceModel.build(rates, standing, tariffs, off_peak)

    def forget_before(self, instant: datetime) -> None:
        """Drop prices that end before ``instant``: no re-import reaches that far back."""
        for code, known in list(self._tariffs.items()):
            covered = tuple((max(s, instant), e) for s, e in known.covered if e > instant)
            self._tariffs[code] = _TariffPrices(
                rates=RateTimeline(known.rates).trimmed(instant).rates,
                standing=tuple(
                    c for c in known.standing if c.valid_to is None or c.valid_to > instant
                ),
                covered=covered,
                standing_covered=tuple(
                    (max(s, instant), e) for s, e in known.standing_covered if e > instant
                ),
            )
        self._save()

    async def _async_fetch_rates(
        self, known: _TariffPrices, tariff: TariffPeriod, gap: Period
    ) -> _TariffPrices:
        start, end = gap
        fetched = RateTimeline(
            await async_fetch_unit_rates(self._client, self._fuel, tariff, start, end, self._night)
        )
        # Only what the API priced counts as fetched: unpublished prices are asked for again.
        priced = missing_periods(gap, fetched.gaps(start, end))
        return replace(
            known,
            rates=RateTimeline(known.rates).merge(fetched).rates,
            covered=tuple(merge_periods([*known.covered, *priced])),
        )

    async def _async_fetch_standing(
        self, known: _TariffPrices, tariff: TariffPeriod, gap: Period
    ) -> _TariffPrices:
        start, end = gap
        charges = await async_fetch_standing_charges(
            self._client, self._fuel, tariff, start, end, export=self._export
        )
        merged_standing = {(c.valid_from, c.valid_to): c for c in (*known.standing, *charges)}
        found = charges_cover(clip_charges(charges, start, end), start, end)
        return replace(
            known,
            standing=tuple(merged_standing.values()),
            standing_covered=tuple(
                merge_periods([*known.standing_covered, *([gap] if found else [])])
            ),
        )

    async def async_flush(self) -> None:
        """Write what is pending now."""
        if self._snapshot is not None:
            await self._store.async_save(self._snapshot)

    def _save(self) -> None:
        snapshot = {
            "night": str(self._night),
            "tariffs": {
                code: {
                    "rates": RateTimeline(known.rates).to_json(),
                    "standing": to_json(known.standing),
                    "covered": to_json(known.covered),
                    "standing_covered": to_json(known.standing_covered),
                }
                for code, known in self._tariffs.items()
            },
        }
        self._snapshot = snapshot
        self._store.async_delay_save(lambda: snapshot, 10)


def _reach(gap: Period, final_until: datetime | None, tariff: TariffPeriod) -> Period:
    """``gap``, stretched to ``final_until`` (not past the tariff's end) when that is later."""
    if final_until is None or final_until <= gap[1]:
        return gap
    end = final_until if tariff.valid_to is None else min(final_until, tariff.valid_to)
    return (gap[0], max(gap[1], end))
