"""Economy 7: one timeline from the day and night registers' rates.

The REST API publishes day and night unit rates separately; which one applies depends on the
meter's night window. Many smart meters keep that window fixed in UTC (00:30-07:30 UTC, which is
01:30-08:30 clock time in summer), so the default window is in UTC; pass ``tz`` (and a window)
for meters whose night follows local clock time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from ..api.models import Rate
from .time import LONDON, LocalWindow, Period, local_date, merge_periods, to_utc
from .timeline import RateTimeline

DEFAULT_NIGHT_WINDOW = LocalWindow(time(0, 30), time(7, 30))
"""Smart-meter Economy 7 night register window, read in UTC by default."""


@dataclass(frozen=True, slots=True)
class NightWindow:
    """A meter's Economy 7 night: wall-clock ``start`` to ``end``, in UTC or in UK time.

    The default, 00:30-07:30 UTC, is what many smart meters keep (01:30-08:30 clock time in
    summer); others follow UK clock time (23:00-06:00 all year, for instance).
    """

    start: time = DEFAULT_NIGHT_WINDOW.start
    end: time = DEFAULT_NIGHT_WINDOW.end
    uk_time: bool = False

    def __post_init__(self) -> None:
        """Refuse an empty window and times off the half-hour grid (meters switch on it)."""
        if self.start == self.end:
            raise ValueError("the night window must not start and end at the same time")
        for moment in (self.start, self.end):
            if moment.minute % 30 or moment.second or moment.microsecond or moment.tzinfo:
                raise ValueError(f"{moment} is not a whole or half hour")

    @property
    def window(self) -> LocalWindow:
        """The daily wall-clock window."""
        return LocalWindow(self.start, self.end)

    @property
    def tz(self) -> tzinfo:
        """The clock the window is read in."""
        return LONDON if self.uk_time else UTC

    def __str__(self) -> str:
        """``00:30-07:30 UTC`` or ``23:00-06:00 UK time``."""
        zone = "UK time" if self.uk_time else "UTC"
        return f"{self.start:%H:%M}-{self.end:%H:%M} {zone}"


DEFAULT_NIGHT = NightWindow()


def night_periods(
    start: datetime,
    end: datetime,
    night_window: LocalWindow = DEFAULT_NIGHT_WINDOW,
    tz: tzinfo = UTC,
) -> list[Period]:
    """The night-register periods within ``[start, end)``, clipped to it."""
    start, end = to_utc(start), to_utc(end)
    if start >= end:
        return []
    first, last = local_date(start, tz) - timedelta(days=1), local_date(end, tz)
    periods: list[Period] = []
    day = first
    while day <= last:
        night_start, night_end = night_window.bounds_on(day, tz)
        periods.append((max(night_start, start), min(night_end, end)))
        day += timedelta(days=1)
    return merge_periods(periods)


def economy7_timeline(
    day_rates: Iterable[Rate],
    night_rates: Iterable[Rate],
    start: datetime,
    end: datetime,
    *,
    night: NightWindow = DEFAULT_NIGHT,
) -> RateTimeline:
    """A timeline over ``[start, end)``: night rates in ``night``, day rates elsewhere.

    The window must be bounded because the registers alternate for ever; where either register's
    rate is unknown, the timeline has a gap.
    """
    start, end = to_utc(start), to_utc(end)
    day_timeline, night_timeline = RateTimeline(day_rates), RateTimeline(night_rates)
    pieces: list[Rate] = []
    cursor = start
    for night_start, night_end in night_periods(start, end, night.window, night.tz):
        pieces += day_timeline.rates_between(cursor, night_start)
        pieces += night_timeline.rates_between(night_start, night_end)
        cursor = night_end
    pieces += day_timeline.rates_between(cursor, end)
    return RateTimeline(pieces)
