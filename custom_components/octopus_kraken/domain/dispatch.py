"""Intelligent Octopus Go: which half-hours dispatches make off-peak, and the prices that follow.

Billing rules (see the shared API notes): any overlap of a dispatch with a half-hour makes the
whole half-hour off-peak; planned dispatches withdrawn before they started never count; and
off-peak time added outside the fixed nightly window is capped per day.

The API gives two lists: *planned* dispatches (the current plan, including one in progress) and
*completed* dispatches (about 12 hours behind). Between the two, a dispatch that has started and
then vanished from the plan (cut short, or finished) would be lost, so callers keep the started
ones themselves with ``track_started_dispatches`` and pass them back as ``started``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from ..api.models import Dispatch, DispatchType
from .time import (
    HALF_HOUR,
    LONDON,
    LocalWindow,
    Period,
    ceil_half_hour,
    floor_half_hour,
    local_date,
    merge_periods,
    to_utc,
)

OFF_PEAK_START = time(23, 30)
OFF_PEAK_END = time(5, 30)
FIXED_OFF_PEAK_WINDOW = LocalWindow(OFF_PEAK_START, OFF_PEAK_END)
"""The nightly off-peak window of Intelligent Octopus Go, in local clock time."""

BUMP_CHARGE_SOURCE = "bump-charge"
"""``meta.source`` of a completed boost (a bump charge)."""

# Octopus's daily cap on off-peak time added by dispatches outside the fixed window, at the time
# of writing (6 hours). Half-hours beyond it are billed at the peak rate.
MAX_EXTENDED_OFF_PEAK_PER_DAY = timedelta(hours=6)


def smart_only(dispatches: Iterable[Dispatch]) -> list[Dispatch]:
    """Dispatches Octopus bills off-peak: smart charges, not boosts (bump charges cost peak).

    A dispatch without a source or type counts: only a boost is known to be billed at peak.
    """
    return [
        d
        for d in dispatches
        if d.dispatch_type is not DispatchType.BOOST and d.source != BUMP_CHARGE_SOURCE
    ]


def rounded_to_half_hours(start: datetime, end: datetime) -> Period | None:
    """``[start, end)`` widened to half-hour boundaries; ``None`` if it is empty."""
    start, end = to_utc(start), to_utc(end)
    if start >= end:
        return None
    return floor_half_hour(start), ceil_half_hour(end)


def track_started_dispatches(
    remembered: Iterable[Dispatch],
    planned: Iterable[Dispatch],
    now: datetime,
    *,
    forget_before: datetime | None = None,
) -> tuple[Dispatch, ...]:
    """The started dispatches to remember after seeing the current plan at ``now``.

    Planned dispatches that have started by ``now`` are remembered as planned. A remembered one
    no longer in the plan (matched by start) stopped at some point before ``now``; it is kept,
    cut at ``now`` if it was planned to run later. Those ended before ``forget_before`` (for
    instance, already covered by completed dispatches) are dropped. Sorted by start.
    """
    now = to_utc(now)
    current = {to_utc(d.start): d for d in planned if to_utc(d.start) <= now}
    kept = dict(current)
    for dispatch in remembered:
        start = to_utc(dispatch.start)
        if start in current or start > now:
            continue
        kept[start] = dispatch if to_utc(dispatch.end) <= now else replace(dispatch, end=now)
    return tuple(
        kept[start]
        for start in sorted(kept)
        if forget_before is None or kept[start].end >= forget_before
    )


@lru_cache(maxsize=8192)
def _capped_day(fixed_window: LocalWindow, slot: datetime, tz: tzinfo) -> date | None:
    """The local day whose allowance ``slot`` uses (``None``: inside the fixed window).

    Cached: every refresh and half-hour tick asks again about the same 30 days of half-hours,
    and placing a local window on the clock is the slow part.
    """
    return None if fixed_window.contains(slot, tz) else local_date(slot, tz)


def dispatch_half_hours(
    completed: Iterable[Dispatch],
    planned: Iterable[Dispatch],
    now: datetime,
    *,
    started: Iterable[Dispatch] = (),
    tz: tzinfo = LONDON,
    fixed_window: LocalWindow = FIXED_OFF_PEAK_WINDOW,
    daily_cap: timedelta | None = MAX_EXTENDED_OFF_PEAK_PER_DAY,
) -> list[Period]:
    """Merged periods of half-hours that dispatches make off-peak.

    - ``completed``: dispatches that happened; every half-hour they touch counts.
    - ``planned``: the current plan as last fetched; a dispatch in it has either started (its
      past half-hours count) or is still to come (its half-hours are expected off-peak).
    - ``started``: what ``track_started_dispatches`` remembered; only dispatches that had started
      by ``now`` count, so a plan withdrawn before it began never makes anything off-peak.

    Half-hours inside the fixed window are off-peak anyway and use no allowance; the others are
    capped at ``daily_cap`` per local day of their start, earliest first (``None``: no cap).
    """
    now = to_utc(now)
    dispatches = [*completed, *planned, *(d for d in started if to_utc(d.start) <= now)]
    slots: set[datetime] = set()
    for dispatch in dispatches:
        period = rounded_to_half_hours(dispatch.start, dispatch.end)
        if period is not None:
            slot = period[0]
            while slot < period[1]:
                slots.add(slot)
                slot += HALF_HOUR
    allowance = None if daily_cap is None else daily_cap // HALF_HOUR
    used: defaultdict[date, int] = defaultdict(int)
    kept: list[Period] = []
    for slot in sorted(slots):
        if allowance is not None and (day := _capped_day(fixed_window, slot, tz)) is not None:
            if used[day] >= allowance:
                continue
            used[day] += 1
        kept.append((slot, slot + HALF_HOUR))
    return merge_periods(kept)


def is_off_peak(
    instant: datetime,
    fixed_window: LocalWindow = FIXED_OFF_PEAK_WINDOW,
    dispatch_periods: Iterable[Period] = (),
    *,
    tz: tzinfo = LONDON,
) -> bool:
    """Whether ``instant`` is off-peak: in the fixed window or in a dispatch period."""
    instant = to_utc(instant)
    return fixed_window.contains(instant, tz) or any(
        start <= instant < end for start, end in dispatch_periods
    )


def billed_off_peak(
    completed: Iterable[Dispatch],
    planned: Iterable[Dispatch],
    started: Iterable[Dispatch],
    now: datetime,
) -> list[Period]:
    """The half-hours smart dispatches (completed, planned, seen running) make off-peak."""
    now = to_utc(now)
    begun = (d for d in smart_only(started) if to_utc(d.start) <= now)
    return list(_billed(tuple(smart_only(completed)), tuple(smart_only(planned)), tuple(begun)))


_END_OF_TIME = datetime.max.replace(tzinfo=UTC)  # every dispatch passed in has begun by then


@lru_cache(maxsize=64)
def _billed(
    completed: tuple[Dispatch, ...], planned: tuple[Dispatch, ...], begun: tuple[Dispatch, ...]
) -> tuple[Period, ...]:
    """``billed_off_peak`` of dispatches already filtered (``begun``: started by now).

    Cached: every SmartFlex refresh, half-hour tick and rate update asks again about the same
    dispatches (30 days of them), and the answer depends on nothing else.
    """
    return tuple(dispatch_half_hours(completed, planned, _END_OF_TIME, started=begun))
