"""Half-hour and local-day arithmetic.

Instants are aware ``datetime``s and every function here returns them in UTC. Half-hour
boundaries are taken in UTC: settlement periods are half-hours of UTC, and Great Britain's
offsets (0 or +1 hour) keep them aligned with local half-hours too. Local time appears only
where a *local day* or a *local wall-clock time* is meant, through a ``tzinfo`` passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
HALF_HOUR = timedelta(minutes=30)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_DAY = timedelta(days=1)

type Period = tuple[datetime, datetime]
"""A half-open interval ``[start, end)`` of UTC instants."""


def to_utc(instant: datetime) -> datetime:
    """Return ``instant`` in UTC; naive datetimes are refused, since their meaning is a guess."""
    if instant.tzinfo is UTC:
        return instant
    if instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant.isoformat()} where an aware one is needed")
    return instant.astimezone(UTC)


def floor_half_hour(instant: datetime) -> datetime:
    """Start of the half-hour containing ``instant`` (UTC)."""
    utc = to_utc(instant)
    return utc - (utc - _EPOCH) % HALF_HOUR


def ceil_half_hour(instant: datetime) -> datetime:
    """The first half-hour boundary at or after ``instant`` (UTC)."""
    floor = floor_half_hour(instant)
    return floor if floor == instant else floor + HALF_HOUR


def next_boundary(instant: datetime) -> datetime:
    """The first half-hour boundary strictly after ``instant`` (UTC): when the slot changes."""
    return floor_half_hour(instant) + HALF_HOUR


def is_half_hour_aligned(instant: datetime) -> bool:
    """Whether ``instant`` is a half-hour boundary."""
    return floor_half_hour(instant) == instant


def half_hours(start: datetime, end: datetime) -> Iterator[datetime]:
    """Starts (UTC) of every half-hour slot overlapping ``[start, end)``, in order."""
    slot = floor_half_hour(start)
    end_utc = to_utc(end)
    while slot < end_utc:
        yield slot
        slot += HALF_HOUR


def local_date(instant: datetime, tz: tzinfo = LONDON) -> date:
    """The local calendar date of ``instant`` in ``tz``."""
    return to_utc(instant).astimezone(tz).date()


def combine_local(day: date, wall_time: time, tz: tzinfo = LONDON, *, fold: int = 0) -> datetime:
    """The UTC instant at which clocks in ``tz`` show ``wall_time`` on ``day``.

    Ambiguous times (clocks going back) resolve to the first occurrence, or the second with
    ``fold=1``. Nonexistent times (clocks going forward) resolve to the instant the clocks jump,
    the first moment after the requested time exists: a schedule for 01:30 on the spring day
    runs at 02:00 BST rather than an hour early or not at all.
    """
    if wall_time.tzinfo is not None:
        raise ValueError("wall_time must be a naive local time")
    local = datetime.combine(day, wall_time.replace(fold=fold), tzinfo=tz)
    utc = local.astimezone(UTC)
    back = utc.astimezone(tz)
    if back.date() == day and back.time() == wall_time.replace(fold=0):
        return utc
    return _end_of_gap(local, tz)


def _end_of_gap(local: datetime, tz: tzinfo) -> datetime:
    """The transition instant of the gap that swallowed ``local``.

    Both fold readings of a nonexistent time bracket the transition; bisection over whole
    seconds finds it (tz database transitions fall on whole seconds).
    """
    readings = sorted(local.replace(fold=f).astimezone(UTC) for f in (0, 1))
    after = readings[1].astimezone(tz).utcoffset()
    low = int(readings[0].timestamp()) - 1
    high = int(readings[1].timestamp()) + 1
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(tz).utcoffset() == after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def local_day_bounds(day: date, tz: tzinfo = LONDON) -> Period:
    """``[start, end)`` in UTC of the local day ``day``: 23, 24 or 25 hours long."""
    return combine_local(day, time(0), tz), combine_local(day + _ONE_DAY, time(0), tz)


def merge_periods(periods: Iterable[Period]) -> list[Period]:
    """Sort periods and join the ones that overlap or touch; empty periods vanish."""
    merged: list[Period] = []
    for start, end in sorted(p for p in periods if p[0] < p[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True, slots=True)
class LocalWindow:
    """A daily window of local wall-clock times, ``[start, end)``.

    ``end`` at or before ``start`` means the window runs past midnight into the next day
    (22:00 to 06:00); equal times mean a whole 24 hours from ``start``.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        """Refuse aware times: the zone is supplied when the window is placed on a day."""
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("LocalWindow takes naive local times")

    @property
    def spans_midnight(self) -> bool:
        """Whether each instance ends on the day after it starts."""
        return self.end <= self.start

    def bounds_on(self, day: date, tz: tzinfo = LONDON) -> Period:
        """UTC bounds of the instance that starts on local date ``day``."""
        end_day = day + _ONE_DAY if self.spans_midnight else day
        return combine_local(day, self.start, tz), combine_local(end_day, self.end, tz)

    def instance_at(self, instant: datetime, tz: tzinfo = LONDON) -> Period:
        """The instance running at ``instant``, else the next one to start.

        An instance that started yesterday and runs past midnight is still the current one.
        """
        today = local_date(instant, tz)
        for day in (today - _ONE_DAY, today, today + _ONE_DAY):
            start, end = self.bounds_on(day, tz)
            if end > instant:
                return start, end
        # Unreachable for real zones: tomorrow's instance always ends after today's instant.
        raise AssertionError("no instance ends after the instant")  # pragma: no cover

    def contains(self, instant: datetime, tz: tzinfo = LONDON) -> bool:
        """Whether an instance of the window is running at ``instant``."""
        start, end = self.instance_at(instant, tz)
        return start <= instant < end
