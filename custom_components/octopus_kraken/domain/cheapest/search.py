"""The search: the best run (continuous) or set (intermittent) of half-hour slots in a window.

The search works on half-hour slots (``RateTimeline.split_half_hours``) of a window ``[start,
end)``. Prices are p/kWh inc VAT; sums are exact (``EXACT``), so ties break as specified: the
earliest candidate by default, the latest with ``prefer=LATEST``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
import decimal
from decimal import Decimal
import heapq

from ...api.models import Rate
from ..time import HALF_HOUR, LONDON, LocalWindow, Period, ceil_half_hour, floor_half_hour, to_utc
from ..timeline import RateTimeline
from .model import (
    EXACT,
    CheapestWindowResult,
    DurationMode,
    PeriodSummary,
    PricedSlot,
    ResultReason,
    SearchMode,
    SearchTarget,
    TieBreak,
    WindowSearch,
)


def find_cheapest_window(
    rates: RateTimeline | Iterable[Rate],
    start: datetime,
    end: datetime,
    search: WindowSearch,
    now: datetime,
    *,
    done: Sequence[PricedSlot] = (),
) -> CheapestWindowResult:
    """Search ``[start, end)``, narrowed to the whole half-hours inside it.

    ``done`` are slots already chosen (and run) before ``start``: the search then only looks for
    what is left of the duration, and the result includes them.
    """
    start, end = ceil_half_hour(start), floor_half_hour(end)
    end = max(end, start)
    timeline = rates if isinstance(rates, RateTimeline) else RateTimeline(rates)
    priced = timeline.split_half_hours(start, end)
    complete = len(priced) == (end - start) // HALF_HOUR
    wanted = search.slot_count - len(done)

    def result(chosen: Sequence[Rate], reason: ResultReason | None) -> CheapestWindowResult:
        slots = (*done, *(_priced(rate) for rate in chosen))
        return _result(start, end, slots, search, now, complete=complete, reason=reason)

    at_least = search.duration_mode is DurationMode.AT_LEAST
    if wanted <= 0 and not at_least:
        return result((), None)
    if (not priced and start < end) or (not complete and not search.allow_partial):
        return result((), ResultReason.RATES_UNKNOWN)
    if at_least:
        chosen = _at_least(priced, search, max(wanted, 0))
    else:
        eligible = [slot for slot in priced if search.in_range(slot.value_inc_vat)]
        if not eligible and priced:
            return result((), ResultReason.NO_SLOTS_IN_PRICE_RANGE)
        if search.mode is SearchMode.CONTINUOUS:
            if search.duration_mode is DurationMode.AT_MOST:
                longest = max(_run_lengths(eligible), default=0)
                chosen = _best_run(eligible, search, min(wanted, longest))
            else:
                chosen = _best_run(eligible, search, wanted)
        else:
            chosen = _best_slots(eligible, search, wanted)
            if search.duration_mode is DurationMode.EXACT and len(chosen) < wanted:
                chosen = []
    short = len(chosen) < wanted
    return result(chosen, ResultReason.NOT_ENOUGH_SLOTS if short else None)


def rolling_window_bounds(
    now: datetime, length: timedelta, min_left: timedelta = timedelta(0)
) -> Period:
    """A rolling window: from the start of the current slot, ``length`` long.

    Including the current slot keeps a running period found earlier inside the window until
    the slot ends. With less than ``min_left`` of the current slot left, the window starts at
    the next slot instead: a nearly finished half-hour does not count.
    """
    start = floor_half_hour(now)
    if min_left > timedelta(0) and start + HALF_HOUR - to_utc(now) < min_left:
        start += HALF_HOUR
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
    min_left: timedelta = timedelta(0),
) -> CheapestWindowResult:
    """Search the next ``length`` from the current slot (or the next, see ``min_left``)."""
    return find_cheapest_window(rates, *rolling_window_bounds(now, length, min_left), search, now)


# --- search ----------------------------------------------------------------------------------


def _priced(rate: Rate) -> PricedSlot:
    return PricedSlot(rate.valid_from, rate.valid_from + HALF_HOUR, rate.value_inc_vat)


def _run_starts(slots: Sequence[Rate]) -> list[int]:
    """For each slot, the index of the first slot of its run of touching slots."""
    starts: list[int] = []
    first, previous_end = 0, None
    for i, slot in enumerate(slots):
        if slot.valid_from != previous_end:
            first = i
        starts.append(first)
        previous_end = slot.valid_to
    return starts


def _run_lengths(slots: Sequence[Rate]) -> list[int]:
    starts = _run_starts(slots)
    return [i - first + 1 for i, first in enumerate(starts)]


def _as_ints(values: Sequence[Decimal]) -> list[int]:
    """``values`` times one power of ten, chosen so every one of them is a whole number."""
    finest = sum(values, Decimal(0)).as_tuple().exponent  # the finest exponent (exact context)
    assert isinstance(finest, int)
    places = max(0, -finest)
    return [int(v.scaleb(places)) for v in values]


def _best_run(slots: Sequence[Rate], search: WindowSearch, n: int) -> list[Rate]:
    """The best run of ``n`` touching slots by (weighted) cost; ``[]`` if none is that long.

    The cost of each candidate is a few prefix-sum differences, one per stretch of equal
    weights: O(slots x stretches), exact.
    """
    if n <= 0 or len(slots) < n:
        return []
    weights = (Decimal(1),) * n if search.weighting is None else search.weighting.for_run(n)
    stretches: list[tuple[int, int, Decimal]] = []  # [a, b) of the run with one weight
    for k, weight in enumerate(weights):
        if stretches and stretches[-1][2] == weight:
            stretches[-1] = (stretches[-1][0], k + 1, weight)
        else:
            stretches.append((k, k + 1, weight))
    run_start = _run_starts(slots)
    with decimal.localcontext(EXACT):
        prefix = [Decimal(0)]
        for slot in slots:
            prefix.append(prefix[-1] + slot.value_inc_vat)
        # Exact sums carry the finest exponent of their terms: scale everything to integers by
        # it once, and the loop below adds and compares plain ints (exact, and much faster).
        ints = _as_ints(prefix)
        int_weights = _as_ints([w for _, _, w in stretches])
    count = len(slots) - n + 1  # candidate first slots
    costs = [0] * count
    for (a, b, _), w in zip(stretches, int_weights, strict=True):
        costs = [
            cost + w * (end - start)
            for cost, end, start in zip(
                costs, ints[b : b + count], ints[a : a + count], strict=True
            )
        ]
    runs = [first for first in range(count) if run_start[first + n - 1] <= first]
    if not runs:
        return []
    sign = 1 if search.target is SearchTarget.CHEAPEST else -1
    order = -1 if search.prefer is TieBreak.LATEST else 1
    best = min(runs, key=lambda first: (sign * costs[first], order * first))
    return list(slots[best : best + n])


def _best_slots(slots: Sequence[Rate], search: WindowSearch, n: int) -> list[Rate]:
    """The best ``n`` slots (all, if fewer), chronological. O(slots log n)."""
    sign = 1 if search.target is SearchTarget.CHEAPEST else -1
    order = 1 if search.prefer is TieBreak.EARLIEST else -1
    chosen = heapq.nsmallest(
        n, range(len(slots)), key=lambda i: (sign * slots[i].value_inc_vat, order * i)
    )
    return [slots[i] for i in sorted(chosen)]


def _at_least(priced: Sequence[Rate], search: WindowSearch, n: int) -> list[Rate]:
    """The best ``n`` slots ignoring the price limits, plus every further slot within them.

    Continuous: the best run of ``n`` grown over the touching slots within the limits on both
    sides. ``[]`` when not even ``n`` can be had.
    """
    if search.mode is SearchMode.INTERMITTENT:
        best = _best_slots(priced, search, n)
        if len(best) < n:
            return []
        keep = {id(slot) for slot in best}
        return [s for s in priced if id(s) in keep or search.in_range(s.value_inc_vat)]
    run = _best_run(priced, search, n)
    if not run:  # not even n touching slots (a started continuous run is never resumed)
        return []
    first = priced.index(run[0])
    last = first + n - 1
    while (
        first > 0
        and priced[first - 1].valid_to == priced[first].valid_from
        and search.in_range(priced[first - 1].value_inc_vat)
    ):
        first -= 1
    while (
        last + 1 < len(priced)
        and priced[last].valid_to == priced[last + 1].valid_from
        and search.in_range(priced[last + 1].value_inc_vat)
    ):
        last += 1
    return list(priced[first : last + 1])


def _result(
    start: datetime,
    end: datetime,
    slots: Sequence[PricedSlot],
    search: WindowSearch,
    now: datetime,
    *,
    complete: bool,
    reason: ResultReason | None,
) -> CheapestWindowResult:
    runs: list[list[PricedSlot]] = []
    for slot in slots:
        if runs and runs[-1][-1].end == slot.start:
            runs[-1].append(slot)
        else:
            runs.append([slot])
    summaries = tuple(PeriodSummary.of(run, search.start_offset) for run in runs)
    with decimal.localcontext(EXACT):
        total = sum((slot.price for slot in slots), Decimal(0))
    upcoming = next((p for p in summaries if p.start > to_utc(now)), None)
    return CheapestWindowResult(
        window_start=start,
        window_end=end,
        slots=tuple(slots),
        summaries=summaries,
        total=total,
        average=total / len(slots) if slots else None,
        next_start=upcoming.start if upcoming else None,
        next_end=upcoming.end if upcoming else None,
        complete=complete,
        reason=reason,
    )
