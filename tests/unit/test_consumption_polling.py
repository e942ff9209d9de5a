"""When the consumption coordinator asks for data, and what it asks for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from custom_components.octopus_kraken.domain.consumption import (
    ConsumptionData,
    HalfHourUsage,
    next_poll,
    previous_complete_day,
    window_start,
)
from custom_components.octopus_kraken.domain.time import HALF_HOUR

NOW = datetime(2025, 1, 10, 9, 17, tzinfo=UTC)


def _usages(start: datetime, count: int, kwh: str = "0.5") -> tuple[HalfHourUsage, ...]:
    return tuple(
        HalfHourUsage(start + i * HALF_HOUR, Decimal(kwh), Decimal(kwh), Decimal(10))
        for i in range(count)
    )


def _data(recent: tuple[HalfHourUsage, ...], last_end: datetime) -> ConsumptionData:
    return ConsumptionData(
        recent=recent,
        standing={},
        last_end=last_end,
        previous_day=None,
        unit="kWh",
        fetched_at=NOW,
        next_fetch=NOW,
    )


def test_the_first_fetch_back_fills_from_a_uk_midnight() -> None:
    start = window_start(None, NOW, NOW - timedelta(days=365))
    assert start == datetime(2024, 1, 11, 0, tzinfo=UTC)


def test_later_fetches_reread_two_days_for_late_corrections() -> None:
    recent = _usages(datetime(2025, 1, 5, tzinfo=UTC), 48 * 5)
    start = window_start(_data(recent, datetime(2025, 1, 10, tzinfo=UTC)), NOW, NOW)
    assert start == datetime(2025, 1, 8, 0, tzinfo=UTC)


def test_a_missing_half_hour_is_asked_for_again() -> None:
    recent = tuple(
        u for u in _usages(datetime(2025, 1, 4, tzinfo=UTC), 48 * 6)
        if u.start.date() != date(2025, 1, 5)
    )  # fmt: skip
    start = window_start(_data(recent, datetime(2025, 1, 10, tzinfo=UTC)), NOW, NOW)
    assert start == datetime(2025, 1, 5, 0, tzinfo=UTC)


def test_polls_slow_down_while_nothing_new_arrives_and_avoid_round_times() -> None:
    waits = [next_poll(None, NOW, empty) - NOW for empty in range(6)]
    assert waits[0] >= timedelta(hours=1)
    assert waits[3] >= timedelta(hours=6)
    assert waits[5] < timedelta(hours=6, minutes=5)
    assert waits[0] < waits[1] < waits[2] < waits[3]


def test_no_poll_before_the_next_half_hour_can_have_ended() -> None:
    last_end = NOW + timedelta(hours=3)
    assert next_poll(last_end, NOW, 0) > last_end + HALF_HOUR


def test_the_previous_complete_day_skips_a_partial_day() -> None:
    # 9 Jan complete, 10 Jan (today) partial, 8 Jan missing one half-hour.
    recent = _usages(datetime(2025, 1, 8, tzinfo=UTC), 48 * 2 + 10)[1:]
    summary = previous_complete_day(recent, {date(2025, 1, 9): Decimal(50)}, date(2025, 1, 10))
    assert summary is not None
    assert summary.day == date(2025, 1, 9)
    assert summary.kwh == Decimal(24)
    assert summary.cost == Decimal(48 * 10 + 50)
    assert len(summary.half_hours) == 48


def test_a_clock_change_day_has_46_or_50_half_hours() -> None:
    spring = _usages(datetime(2025, 3, 30, 0, tzinfo=UTC), 46)
    assert previous_complete_day(spring, {}, date(2025, 3, 31)) is not None
    autumn = _usages(datetime(2024, 10, 26, 23, tzinfo=UTC), 50)
    summary = previous_complete_day(autumn, {}, date(2024, 10, 28))
    assert summary is not None
    assert summary.kwh == Decimal(25)
