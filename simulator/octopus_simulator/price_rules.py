"""The fixed facts prices are built from: publication times, base prices, time-of-use bands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from octopus_simulator.catalogue import Pricing


@dataclass(slots=True)
class PublicationRules:
    """When prices become visible; tests move these to delay publication."""

    agile_time: time = time(16, 0)  # day-ahead Agile prices appear at 16:00 UK time
    agile_delay: timedelta = timedelta(0)  # extra delay (a late publication)
    tracker_time: time = time(11, 0)  # tomorrow's Tracker price appears late morning
    time_of_use_days_ahead: int = 2  # Go/Intelligent/Cosy rows listed until midnight + N days
    variable_notice: timedelta = timedelta(days=30)  # next quarter's price announced this early


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
}  # fmt: skip
STANDING: dict[str, float] = {"electricity": 48.85, "gas": 29.11}
