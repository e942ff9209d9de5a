"""Time arithmetic shared by the generators: UK local days, half hours, API datetime formats."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
HALF_HOUR = timedelta(minutes=30)
DAY = timedelta(days=1)


def local_at(day: date, at: time = time(0)) -> datetime:
    """The UTC instant of a wall-clock time on a UK local day."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def local_date(instant: datetime) -> date:
    """The UK calendar date an instant falls on."""
    return instant.astimezone(LONDON).date()


def floor_half_hour(instant: datetime) -> datetime:
    """Round down to a half hour; UK offsets are whole hours, so UTC flooring is local flooring."""
    instant = instant.astimezone(UTC)
    return instant.replace(minute=instant.minute - instant.minute % 30, second=0, microsecond=0)


def ceil_half_hour(instant: datetime) -> datetime:
    """Round up to a half hour."""
    floored = floor_half_hour(instant)
    return floored if floored == instant else floored + HALF_HOUR


def half_hours(start: datetime, end: datetime) -> Iterator[datetime]:
    """Half-hour starts in ``[start, end)``; both ends must be aligned."""
    slot = start
    while slot < end:
        yield slot
        slot += HALF_HOUR


def local_days(start: date, end: date) -> Iterator[date]:
    """Dates in ``[start, end)``."""
    day = start
    while day < end:
        yield day
        day += DAY


def quarter_start(day: date) -> date:
    """First day of the calendar quarter (the GB price cap changes on 1 Jan/Apr/Jul/Oct)."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter_start(day: date) -> date:
    """First day of the following calendar quarter."""
    start = quarter_start(day)
    return date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)


def parse_api_datetime(text: str) -> datetime:
    """Parse an ISO 8601 query parameter; a zone-less value means Europe/London (as the API does).

    Raises ``ValueError`` on anything unparsable.
    """
    text = text.strip()
    if not text:
        raise ValueError("empty datetime")
    # A raw "+01:00" in a query string decodes to a space; the real API rejects that, so do we.
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LONDON)
    return parsed.astimezone(UTC)


def iso_z(instant: datetime) -> str:
    """``2024-05-16T22:30:00Z``: the REST API's datetime format."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_offset(instant: datetime) -> str:
    """``2024-05-16T22:30:00+00:00``: the GraphQL API's DateTime format."""
    return instant.astimezone(UTC).isoformat()


def to_utc(instant: datetime) -> datetime:
    """A plain ``datetime`` in UTC (freezegun hands out its own subclass; normalise it)."""
    instant = instant.astimezone(UTC)
    return datetime(
        instant.year,
        instant.month,
        instant.day,
        instant.hour,
        instant.minute,
        instant.second,
        instant.microsecond,
        tzinfo=UTC,
    )
