"""The fixed facts prices are built from: publication times, base prices, time-of-use bands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from octopus_simulator.catalogue import Pricing, TariffKind, TariffRef
from octopus_simulator.timeutil import DAY, local_at, local_date


class Ahead(StrEnum):
    """How far ahead a non-Agile tariff's unit rates are listed (the reference does not say)."""

    OPEN_ENDED = "open_ended"  # the latest row has ``valid_to`` null (fixed/variable default)
    THROUGH_TOMORROW = "through_tomorrow"  # rows to the end of tomorrow (time-of-use default)
    TODAY_THEN_TOMORROW = "today_then_tomorrow"  # to the end of today until ``ahead_time``
    TODAY_ONLY = "today_only"  # never ahead: rows to the end of today


# Tariff families whose horizon ``PublicationRules.ahead`` can change.
AHEAD_FAMILIES = ("fixed", "variable", "economy7", "go", "intelligent_go", "cosy", "flux")
TIME_OF_USE_FAMILIES = ("go", "intelligent_go", "cosy", "flux")


@dataclass(slots=True)
class PublicationRules:
    """When prices become visible; tests move these to delay publication."""

    agile_time: time = time(16, 0)  # day-ahead Agile prices appear at 16:00 UK time
    agile_delay: timedelta = timedelta(0)  # extra delay (a late publication)
    tracker_time: time = time(11, 0)  # tomorrow's Tracker price appears late morning
    time_of_use_days_ahead: int = 2  # Go/Intelligent/Cosy rows listed until midnight + N days
    variable_notice: timedelta = timedelta(days=30)  # next quarter's price announced this early
    # Per family (``AHEAD_FAMILIES``): how far ahead unit rates are listed; absent = as above.
    ahead: dict[str, Ahead] = field(default_factory=dict)
    ahead_time: time = time(16, 0)  # UK time tomorrow appears under TODAY_THEN_TOMORROW
    tracker_unpublished: set[date] = field(default_factory=set)  # UK days with no publication
    export_standing_charges: bool = True  # False: export tariffs list no standing-charge rows

    def key(self) -> tuple[object, ...]:
        """A hashable summary (caches of generated rows are keyed by it)."""
        return (
            self.agile_time,
            self.agile_delay,
            self.tracker_time,
            self.time_of_use_days_ahead,
            self.variable_notice,
            tuple(sorted(self.ahead.items())),
            self.ahead_time,
            frozenset(self.tracker_unpublished),
            self.export_standing_charges,
        )


@dataclass(frozen=True, slots=True)
class RateRow:
    """One row of a charges endpoint; ``valid_to`` is ``None`` for an open-ended price."""

    valid_from: datetime
    valid_to: datetime | None
    value_exc_vat: Decimal
    value_inc_vat: Decimal


# Time-of-use bands: (local start time, band); each band has a base price (p/kWh exc VAT).
TOU_BANDS: dict[Pricing, tuple[tuple[time, str], ...]] = {
    Pricing.INTELLIGENT_GO: (
        (time(0), "off_peak"), (time(5, 30), "peak"), (time(23, 30), "off_peak"),
    ),
    Pricing.GO: ((time(0), "peak"), (time(0, 30), "off_peak"), (time(4, 30), "peak")),
    Pricing.COSY: (
        (time(0), "standard"), (time(4), "cheap"), (time(7), "standard"), (time(13), "cheap"),
        (time(16), "peak"), (time(19), "standard"), (time(22), "cheap"),
    ),
    Pricing.INTELLIGENT_FLUX: (
        (time(0), "day"), (time(2), "cheap"), (time(5), "day"), (time(16), "peak"),
        (time(19), "day"),
    ),
    Pricing.INTELLIGENT_FLUX_EXPORT: (
        (time(0), "day"), (time(2), "cheap"), (time(5), "day"), (time(16), "peak"),
        (time(19), "day"),
    ),
}  # fmt: skip
BASE_PRICES: dict[tuple[Pricing, str], float] = {
    (Pricing.INTELLIGENT_GO, "off_peak"): 6.67, (Pricing.INTELLIGENT_GO, "peak"): 26.52,
    (Pricing.GO, "off_peak"): 8.1, (Pricing.GO, "peak"): 25.71,
    (Pricing.COSY, "cheap"): 13.42, (Pricing.COSY, "standard"): 24.91,
    (Pricing.COSY, "peak"): 36.63,
    (Pricing.VARIABLE, "standard"): 23.48, (Pricing.VARIABLE, "day"): 28.51,
    (Pricing.VARIABLE, "night"): 12.94, (Pricing.VARIABLE, "gas"): 5.88,
    (Pricing.FIXED, "standard"): 22.81, (Pricing.FIXED, "day"): 26.02,
    (Pricing.FIXED, "night"): 13.55, (Pricing.FIXED, "gas"): 5.61,
    (Pricing.OUTGOING_FIXED, "standard"): 15.0,
    (Pricing.INTELLIGENT_FLUX, "cheap"): 15.72, (Pricing.INTELLIGENT_FLUX, "day"): 26.2,
    (Pricing.INTELLIGENT_FLUX, "peak"): 36.68,
    (Pricing.INTELLIGENT_FLUX_EXPORT, "cheap"): 11.5,
    (Pricing.INTELLIGENT_FLUX_EXPORT, "day"): 20.1,
    (Pricing.INTELLIGENT_FLUX_EXPORT, "peak"): 30.6,
}  # fmt: skip
STANDING: dict[str, float] = {"electricity": 48.85, "gas": 29.11}


_FAMILIES: dict[Pricing, str] = {
    Pricing.FIXED: "fixed",
    Pricing.OUTGOING_FIXED: "fixed",
    Pricing.VARIABLE: "variable",
    Pricing.GO: "go",
    Pricing.INTELLIGENT_GO: "intelligent_go",
    Pricing.COSY: "cosy",
    Pricing.INTELLIGENT_FLUX: "flux",
    Pricing.INTELLIGENT_FLUX_EXPORT: "flux",
}


def ahead_family(tariff: TariffRef) -> str | None:
    """The ``PublicationRules.ahead`` family of a tariff (``None``: Agile and Tracker)."""
    if tariff.kind is TariffKind.E2R:
        return "economy7"
    return _FAMILIES.get(tariff.product.pricing)


def ahead_horizon(mode: Ahead, at: time) -> Callable[[datetime], tuple[datetime, bool]] | None:
    """The horizon of a publication mode; ``None`` keeps the schedule's own (open-ended)."""
    if mode is Ahead.OPEN_ENDED:
        return None

    def horizon(now: datetime) -> tuple[datetime, bool]:
        today = local_date(now)
        tomorrow_out = mode is Ahead.THROUGH_TOMORROW or (
            mode is Ahead.TODAY_THEN_TOMORROW and now >= local_at(today, at)
        )
        return local_at(today + (2 * DAY if tomorrow_out else DAY)), False

    return horizon
