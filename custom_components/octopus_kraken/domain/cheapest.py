"""Cheapest (or most expensive) window search over half-hourly prices.

The search works on half-hour slots (``RateTimeline.split_half_hours``) of a window ``[start,
end)``, and finds ``duration`` worth of them:

- *continuous*: one unbroken run, by a sliding sum over each run of consecutive priced slots;
- *intermittent*: any slots, by ranking on price with a time tie-break.

Prices are p/kWh inc VAT. ``total`` is the sum of the chosen slots' prices and ``average`` their
mean: for a load drawing 1 kW, ``total / 2`` is its cost in pence (each slot is half an hour).
Ties are broken exactly (Decimal sums are computed without rounding): the earliest candidate by
default, the latest with ``prefer=LATEST``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
import decimal
from decimal import Decimal
from enum import StrEnum
import heapq

from ..api.models import Rate
from .time import (
    HALF_HOUR,
    LONDON,
    LocalWindow,
    Period,
    ceil_half_hour,
    floor_half_hour,
    merge_periods,
    to_utc,
)
from .timeline import RateTimeline

# Additions in this context are exact, so equal sums compare equal and ties break as specified.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


class SearchMode(StrEnum):
    """Whether the chosen slots must form one unbroken run."""

    CONTINUOUS = "continuous"
    INTERMITTENT = "intermittent"


class SearchTarget(StrEnum):
    """What to look for: the cheapest slots (import) or the dearest (export)."""

    CHEAPEST = "cheapest"
    MOST_EXPENSIVE = "most_expensive"


class TieBreak(StrEnum):
    """Which of equally priced candidates wins."""

    EARLIEST = "earliest"
    LATEST = "latest"


class ResultReason(StrEnum):
    """Why a result has fewer slots than asked for (or none)."""

    RATES_UNKNOWN = "rates_unknown"
    NO_SLOTS_IN_PRICE_RANGE = "no_slots_in_price_range"
    NOT_ENOUGH_SLOTS = "not_enough_slots"


@dataclass(frozen=True, slots=True)
class WindowSearch:
    """What to search for.

    ``min_price``/``max_price`` (inclusive, p/kWh inc VAT) restrict the slots considered.
    ``start_offset`` shifts the output ``periods`` (e.g. -30 minutes to start early), not the
    slots. ``allow_partial`` searches what is priced when the window is not fully priced yet
    (the result then says ``complete=False``); without it such a search finds nothing.
    """

    duration: timedelta
    mode: SearchMode = SearchMode.CONTINUOUS
    target: SearchTarget = SearchTarget.CHEAPEST
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    prefer: TieBreak = TieBreak.EARLIEST
    start_offset: timedelta = timedelta(0)
    allow_partial: bool = False

    def __post_init__(self) -> None:
        """Refuse durations the half-hourly market cannot provide."""
        if self.duration <= timedelta(0) or self.duration % HALF_HOUR:
            raise ValueError(f"duration must be a positive multiple of 30 minutes: {self.duration}")

    @property
    def slot_count(self) -> int:
        """How many half-hour slots ``duration`` is."""
        return self.duration // HALF_HOUR


@dataclass(frozen=True, slots=True)
class PricedSlot:
    """A chosen half-hour and its price (p/kWh inc VAT)."""

    start: datetime
    end: datetime
    price: Decimal


@dataclass(frozen=True, slots=True)
class CheapestWindowResult:
    """The outcome of a search over ``[window_start, window_end)``.

    ``slots`` are chronological; ``periods`` are runs of touching slots with the start offset
    applied. ``total`` is the sum of slot prices (0 without slots), ``average`` their mean.
    ``next_start``/``next_end`` are those of the first period starting after the search's
    ``now`` (a period running at ``now`` is ``current_period``, not next). ``complete`` says the
    whole window was priced; ``reason`` explains a short or empty result.
    """

    window_start: datetime
    window_end: datetime
    slots: tuple[PricedSlot, ...]
    periods: tuple[Period, ...]
    total: Decimal
    average: Decimal | None
    next_start: datetime | None
    next_end: datetime | None
    complete: bool
    reason: ResultReason | None = field(default=None)

    @property
    def found(self) -> bool:
        """Whether any slot was chosen."""
        return bool(self.slots)

    def current_period(self, at: datetime) -> Period | None:
        """The period running at ``at``, if any."""
        return next((p for p in self.periods if p[0] <= at < p[1]), None)

    def is_active(self, at: datetime) -> bool:
        """Whether a chosen period is running at ``at`` (what a binary sensor shows)."""
        return self.current_period(at) is not None

    def next_period(self, at: datetime) -> Period | None:
        """The first period starting after ``at``."""
        return next((p for p in self.periods if p[0] > at), None)


def find_cheapest_window(
    rates: RateTimeline | Iterable[Rate],
    start: datetime,
    end: datetime,
    search: WindowSearch,
    now: datetime,
) -> CheapestWindowResult:
    """Search ``[start, end)``, narrowed to the whole half-hours inside it."""
    start, end = ceil_half_hour(start), floor_half_hour(end)
    end = max(end, start)
    timeline = rates if isinstance(rates, RateTimeline) else RateTimeline(rates)
    priced = timeline.split_half_hours(start, end)
    complete = len(priced) == (end - start) // HALF_HOUR

    def result(chosen: Sequence[Rate], reason: ResultReason | None) -> CheapestWindowResult:
        return _result(start, end, chosen, search, now, complete=complete, reason=reason)

    if (not priced and start < end) or (not complete and not search.allow_partial):
        return result((), ResultReason.RATES_UNKNOWN)
    eligible = [slot for slot in priced if _in_range(slot.value_inc_vat, search)]
    if not eligible and priced:
        return result((), ResultReason.NO_SLOTS_IN_PRICE_RANGE)
    if search.mode is SearchMode.CONTINUOUS:
        chosen = _best_run(eligible, search)
    else:
        chosen = _best_slots(eligible, search)
    return result(
        chosen, ResultReason.NOT_ENOUGH_SLOTS if len(chosen) < search.slot_count else None
    )


def rolling_window_bounds(now: datetime, length: timedelta) -> Period:
    """A rolling window: from the start of the current slot, ``length`` long.

    Including the current slot keeps a running period found earlier inside the window until
    the slot ends; the window then moves on by one slot.
    """
    start = floor_half_hour(now)
    return start, start + length


def fixed_window_bounds(window: LocalWindow, now: datetime, tz: tzinfo = LONDON) -> Period:
    """Today's instance of a daily window at ``now``: the running one, else the next.

    A window over midnight that started yesterday and is still running is the current one;
    once today's instance has ended, tomorrow's is next. On clock-change days a local-day
    window has 46 or 50 half-hours.
    """
    return window.instance_at(now, tz)


def search_fixed_window(
    rates: RateTimeline | Iterable[Rate],
    window: LocalWindow,
    search: WindowSearch,
    now: datetime,
    tz: tzinfo = LONDON,
) -> CheapestWindowResult:
    """Search the current (or next) instance of a daily window as a whole.

    The whole instance is searched, including its past slots, so the answer does not move while
    the window runs.
    """
    return find_cheapest_window(rates, *fixed_window_bounds(window, now, tz), search, now)


def search_rolling_window(
    rates: RateTimeline | Iterable[Rate],
    length: timedelta,
    search: WindowSearch,
    now: datetime,
) -> CheapestWindowResult:
    """Search the next ``length`` from the current slot."""
    return find_cheapest_window(rates, *rolling_window_bounds(now, length), search, now)


# --- search ----------------------------------------------------------------------------------


def _in_range(price: Decimal, search: WindowSearch) -> bool:
    return (search.min_price is None or price >= search.min_price) and (
        search.max_price is None or price <= search.max_price
    )


def _best_run(slots: Sequence[Rate], search: WindowSearch) -> list[Rate]:
    """The best run of ``slot_count`` touching slots, by sliding sums; ``[]`` if none is long.

    O(n): each slot enters and leaves the running sum once.
    """
    n = search.slot_count
    cheapest = search.target is SearchTarget.CHEAPEST
    latest = search.prefer is TieBreak.LATEST
    best_sum: Decimal | None = None
    best_first = -1
    run_start = 0
    with decimal.localcontext(_EXACT):
        for i in range(len(slots)):
            if i and slots[i].valid_from != slots[i - 1].valid_to:
                run_start = i
            if i - run_start + 1 < n:
                continue
            first = i - n + 1
            if i - run_start + 1 == n:
                total = sum((s.value_inc_vat for s in slots[first : i + 1]), Decimal(0))
            else:
                total += slots[i].value_inc_vat - slots[first - 1].value_inc_vat
            if (
                best_sum is None
                or (total < best_sum if cheapest else total > best_sum)
                or (latest and total == best_sum)
            ):
                best_sum, best_first = total, first
    return list(slots[best_first : best_first + n]) if best_sum is not None else []


def _best_slots(slots: Sequence[Rate], search: WindowSearch) -> list[Rate]:
    """The best ``slot_count`` slots (all, if fewer), chronological. O(n log k)."""
    sign = 1 if search.target is SearchTarget.CHEAPEST else -1
    order = 1 if search.prefer is TieBreak.EARLIEST else -1
    chosen = heapq.nsmallest(
        search.slot_count,
        range(len(slots)),
        key=lambda i: (sign * slots[i].value_inc_vat, order * i),
    )
    return [slots[i] for i in sorted(chosen)]


def _result(
    start: datetime,
    end: datetime,
    chosen: Sequence[Rate],
    search: WindowSearch,
    now: datetime,
    *,
    complete: bool,
    reason: ResultReason | None,
) -> CheapestWindowResult:
    slots = tuple(
        PricedSlot(rate.valid_from, rate.valid_from + HALF_HOUR, rate.value_inc_vat)
        for rate in chosen
    )
    offset = search.start_offset
    periods = tuple(
        (run_start + offset, run_end + offset)
        for run_start, run_end in merge_periods((s.start, s.end) for s in slots)
    )
    with decimal.localcontext(_EXACT):
        total = sum((slot.price for slot in slots), Decimal(0))
    upcoming = next((p for p in periods if p[0] > to_utc(now)), None)
    return CheapestWindowResult(
        window_start=start,
        window_end=end,
        slots=slots,
        periods=periods,
        total=total,
        average=total / len(slots) if slots else None,
        next_start=upcoming[0] if upcoming else None,
        next_end=upcoming[1] if upcoming else None,
        complete=complete,
        reason=reason,
    )
