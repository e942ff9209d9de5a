"""Cost tracking arithmetic: spreading readings over half-hours, periods, meter resets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from custom_components.octopus_kraken.domain.cost_tracking import (
    PeriodSettings,
    PeriodTotal,
    TrackedPeriod,
    add_usage,
    current_total,
    reading_increase,
    spread,
)
from custom_components.octopus_kraken.domain.timeline import RateTimeline

from .helpers import at, rate


def test_a_reading_spanning_half_hours_is_shared_by_time() -> None:
    pieces = spread(Decimal(3), at("2026-01-05T10:10"), at("2026-01-05T11:10"))
    assert pieces == [
        (at("2026-01-05T10:00"), Decimal(1)),
        (at("2026-01-05T10:30"), Decimal("1.5")),
        (at("2026-01-05T11:00"), Decimal("0.5")),
    ]
    assert spread(Decimal(2), at("2026-01-05T10:10"), at("2026-01-05T10:10")) == [
        (at("2026-01-05T10:00"), Decimal(2))
    ]


@pytest.mark.parametrize(
    ("settings", "day", "week", "month"),
    [
        (PeriodSettings(), date(2026, 10, 21), date(2026, 10, 19), date(2026, 10, 1)),
        (PeriodSettings(2, 21), date(2026, 10, 21), date(2026, 10, 21), date(2026, 10, 21)),
        (PeriodSettings(6, 28), date(2026, 3, 3), date(2026, 3, 1), date(2026, 2, 28)),
        (PeriodSettings(0, 15), date(2026, 1, 14), date(2026, 1, 12), date(2025, 12, 15)),
    ],
)
def test_weeks_and_months_start_on_the_chosen_days(
    settings: PeriodSettings, day: date, week: date, month: date
) -> None:
    assert settings.start_of(TrackedPeriod.TODAY, day) == day
    assert settings.start_of(TrackedPeriod.WEEK, day) == week
    assert settings.start_of(TrackedPeriod.MONTH, day) == month


def test_meter_resets_count_from_zero() -> None:
    assert reading_increase(Decimal(10), Decimal(12), increasing=True, reset=False) == 2
    assert reading_increase(Decimal(10), Decimal(3), increasing=True, reset=False) == 3
    assert reading_increase(Decimal(10), Decimal(4), increasing=False, reset=True) == 4
    assert reading_increase(Decimal(10), Decimal(9), increasing=False, reset=False) == -1


def test_usage_is_priced_per_half_hour_and_a_new_day_starts_from_zero() -> None:
    timeline = RateTimeline(
        [rate("2026-01-05T23:00", "2026-01-05T23:30", "10"), rate("2026-01-05T23:30", None, "20")]
    )
    settings = PeriodSettings()
    pieces = spread(Decimal(2), at("2026-01-05T23:15"), at("2026-01-06T00:15"))
    totals = add_usage({}, settings, pieces, timeline, UTC)
    # 0.5 kWh at 10p on the 5th; 1 kWh at 20p then 0.5 kWh at 20p on the 6th.
    assert totals[TrackedPeriod.TODAY] == PeriodTotal(date(2026, 1, 6), Decimal("0.5"), Decimal(10))
    assert totals[TrackedPeriod.WEEK] == PeriodTotal(date(2026, 1, 5), Decimal(2), Decimal(35))
    later = datetime(2026, 1, 7, 9, tzinfo=UTC)
    assert current_total(totals, settings, TrackedPeriod.TODAY, later, UTC).cost == 0
    assert current_total(totals, settings, TrackedPeriod.WEEK, later, UTC).cost == 35


def test_unknown_prices_are_counted_apart() -> None:
    totals = add_usage(
        {}, PeriodSettings(), [(at("2026-01-05T10:00"), Decimal(1))], RateTimeline(), UTC
    )
    assert totals[TrackedPeriod.MONTH] == PeriodTotal(
        date(2026, 1, 1), Decimal(1), Decimal(0), Decimal(1)
    )
