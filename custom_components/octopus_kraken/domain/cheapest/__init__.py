"""Cheapest (or most expensive) window search over half-hourly prices.

- *continuous*: one unbroken run, by prefix sums over each run of consecutive priced slots,
  optionally weighted per slot;
- *intermittent*: any slots, by ranking on price with a time tie-break.

``total`` is the sum of the chosen slots' prices and ``average`` their mean: for a load drawing
1 kW, ``total / 2`` is its cost in pence (each slot is half an hour).
"""

from .model import (
    CheapestWindowResult,
    DurationMode,
    PeriodSummary,
    PricedSlot,
    ResultReason,
    SearchMode,
    SearchTarget,
    TieBreak,
    Weighting,
    WindowSearch,
)
from .search import (
    find_cheapest_window,
    fixed_window_bounds,
    rolling_window_bounds,
    search_fixed_window,
    search_rolling_window,
)

__all__ = [
    "CheapestWindowResult",
    "DurationMode",
    "PeriodSummary",
    "PricedSlot",
    "ResultReason",
    "SearchMode",
    "SearchTarget",
    "TieBreak",
    "Weighting",
    "WindowSearch",
    "find_cheapest_window",
    "fixed_window_bounds",
    "rolling_window_bounds",
    "search_fixed_window",
    "search_rolling_window",
]
