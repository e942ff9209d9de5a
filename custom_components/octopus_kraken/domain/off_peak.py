"""Off-peak windows of a time-of-use tariff, read from its published rates.

No tariff's hours are written down here: a half-hour is off-peak when its price is the lowest of
the (at least two) price levels of its UK day. Days are the unit because Octopus changes prices
(the quarterly price cap) at local midnight, so within a day the levels are the tariff's bands:
Go's two, Cosy's three, Flux's three, Economy 7's day and night, Intelligent Go's two plus the
dispatch half-hours priced at the off-peak rate. A day with a single price has no off-peak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from ._pieces import end_of
from .time import LONDON, Period, local_date, local_day_bounds, merge_periods, to_utc
from .timeline import RateTimeline

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class OffPeakState:
    """Whether ``now`` is off-peak, the window it is in, and when the next window starts.

    ``is_on`` is ``None`` when no rate is known at ``now``; ``next_start`` is ``None`` when the
    known rates hold no later window.
    """

    is_on: bool | None
    window: Period | None
    next_start: datetime | None


def off_peak_windows(
    timeline: RateTimeline, start: datetime, end: datetime, tz: tzinfo = LONDON
) -> list[Period]:
    """The off-peak windows of the local days that ``[start, end)`` touches, merged.

    Windows are whole (not clipped to ``[start, end)``) as far as those days reach, so one that
    runs over midnight comes back as one window.
    """
    start, end = to_utc(start), to_utc(end)
    if start >= end:
        return []
    day, last = local_date(start, tz), local_date(end - timedelta(microseconds=1), tz)
    pieces: list[Period] = []
    while day <= last:
        rates = timeline.day_rates(day, tz)
        levels = {rate.value_inc_vat for rate in rates}
        if len(levels) >= 2:
            lowest = min(levels)
            pieces.extend(
                (rate.valid_from, end_of(rate)) for rate in rates if rate.value_inc_vat == lowest
            )
        day += _ONE_DAY
    return merge_periods(pieces)


def off_peak_state(
    timeline: RateTimeline, now: datetime, horizon: datetime, tz: tzinfo = LONDON
) -> OffPeakState:
    """The off-peak state at ``now``, looking for the next window up to ``horizon``.

    The day before ``now`` is read too, so a window that began yesterday evening (Intelligent
    Go's 23:30) shows its true start.
    """
    now = to_utc(now)
    if timeline.rate_at(now) is None:
        return OffPeakState(None, None, _next_start(timeline, now, horizon, tz))
    first = local_day_bounds(local_date(now, tz) - _ONE_DAY, tz)[0]
    windows = off_peak_windows(timeline, first, max(horizon, now + timedelta(seconds=1)), tz)
    current = next((w for w in windows if w[0] <= now < w[1]), None)
    later = next((w[0] for w in windows if w[0] > now), None)
    return OffPeakState(current is not None, current, later)


def _next_start(
    timeline: RateTimeline, now: datetime, horizon: datetime, tz: tzinfo
) -> datetime | None:
    if horizon <= now:
        return None
    return next((w[0] for w in off_peak_windows(timeline, now, horizon, tz) if w[0] > now), None)
