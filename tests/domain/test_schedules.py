"""Which days a charge target or ready-by change touches, and that the others are sent unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from custom_components.octopus_kraken.api.models import ChargeSchedule
from custom_components.octopus_kraken.domain.schedules import changed_week, weekday_of

WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _uniform() -> tuple[ChargeSchedule, ...]:
    return tuple(ChargeSchedule(day, "07:00", None, Decimal(80)) for day in WEEK)


def test_the_weekday_is_the_uk_one() -> None:
    # 23:30 UTC on Sunday 29 June 2025 is already Monday in London (BST).
    assert weekday_of(datetime(2025, 6, 29, 23, 30, tzinfo=UTC)) == "MONDAY"
    assert weekday_of(datetime(2025, 1, 5, 23, 30, tzinfo=UTC)) == "SUNDAY"


def test_a_uniform_week_changes_every_day() -> None:
    week = changed_week(_uniform(), "MONDAY", target=Decimal(90))
    assert sorted((s.day_of_week, s.time, s.max) for s in week) == sorted(
        (day, "07:00", Decimal(90)) for day in WEEK
    )


def test_a_varied_week_changes_today_only_and_sends_every_other_day_as_it_was() -> None:
    schedules = (
        *_uniform()[:5],
        ChargeSchedule("SATURDAY", "10:00", None, Decimal(60)),
        ChargeSchedule("SUNDAY", "09:30", Decimal(20), Decimal(70)),
    )
    week = changed_week(schedules, "SUNDAY", ready_by=time(8, 0))
    assert len(week) == 7
    by_day = {s.day_of_week: s for s in week}
    assert by_day["SUNDAY"] == ChargeSchedule("SUNDAY", "08:00", Decimal(20), Decimal(70))
    assert [by_day[s.day_of_week] for s in schedules[:6]] == list(schedules[:6])


def test_a_day_without_a_preference_starts_from_the_one_shown() -> None:
    schedules = (
        ChargeSchedule("MONDAY", "07:00", None, Decimal(80)),
        ChargeSchedule("TUESDAY", "06:00", None, Decimal(50)),
    )
    week = changed_week(schedules, "FRIDAY", target=Decimal(90))
    assert set(week) == {*schedules, ChargeSchedule("FRIDAY", "07:00", None, Decimal(90))}


def test_a_device_without_preferences_has_nothing_to_change() -> None:
    with pytest.raises(ValueError, match="no charging preference"):
        changed_week((), "MONDAY", target=Decimal(90))
