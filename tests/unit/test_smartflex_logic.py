"""The pure parts of SmartFlex: what the entities show, how history is kept, the request budget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from custom_components.octopus_kraken.api import (
    ChargeSchedule,
    Dispatch,
    DispatchType,
    SmartFlexDevice,
)
from custom_components.octopus_kraken.coordinators.smartflex import (
    PlannedCallBudget,
    merge_completed,
)
from custom_components.octopus_kraken.domain.dispatch import smart_only
from custom_components.octopus_kraken.domain.smartflex_policy import is_active
from custom_components.octopus_kraken.smartflex_view import (
    build_view,
    device_status,
    energy_within,
    off_peak_now,
)

NOW = datetime(2025, 1, 15, 19, 40, tzinfo=UTC)  # 19:40 in London (winter)


def _device(**changes: object) -> SmartFlexDevice:
    values: dict[str, object] = {
        "id": "dev-1",
        "name": "Car",
        "device_type": "ELECTRIC_VEHICLES",
        "provider": "TESLA",
        "make": "Tesla",
        "model": "Model 3",
        "status_current": "LIVE",
        "status_current_state": "SMART_CONTROL_CAPABLE",
        "is_suspended": False,
        "schedules": (
            ChargeSchedule("WEDNESDAY", "07:30", None, Decimal(80)),
            ChargeSchedule("THURSDAY", "08:00", None, Decimal(90)),
        ),
    }
    values.update(changes)
    return SmartFlexDevice(**values)  # type: ignore[arg-type]


def _at(hour: int, minute: int = 0, day: int = 15) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


def test_the_view_shows_the_dispatch_in_progress_and_todays_preferences() -> None:
    planned = (
        Dispatch(_at(19, 30), _at(20, 15), DispatchType.SMART, Decimal("5.25")),
        Dispatch(_at(23, 30), _at(5, 30, day=16), DispatchType.SMART, Decimal("24")),
    )
    view = build_view(_device(), planned, (), NOW)
    assert view.current == planned[0]
    assert view.upcoming == planned[0]
    assert view.target_percentage == Decimal(80)
    assert view.ready_by is not None
    assert view.ready_by.isoformat() == "07:30:00"
    # All of the first dispatch and the half hour before midnight of the second (24 kWh / 12).
    assert view.planned_today_kwh == Decimal("7.25")
    assert view.planned_attribute[0] == {
        "start": _at(19, 30),
        "end": _at(20, 15),
        "charge_in_kwh": 5.25,
        "source": "smart-charge",
        "location": None,
    }


def test_a_dispatch_that_is_over_leaves_the_plan() -> None:
    planned = (Dispatch(_at(18), _at(19), DispatchType.SMART, Decimal(7)),)
    view = build_view(_device(), planned, (), NOW)
    assert view.current is None
    assert view.upcoming is None
    assert view.planned_attribute == ()


def test_device_status_follows_suspension_boosts_and_onboarding() -> None:
    assert device_status(_device()) == "live"
    assert device_status(_device(is_suspended=True)) == "smart_control_off"
    assert device_status(_device(status_current_state="BOOSTING")) == "boosting"
    assert device_status(_device(status_current_state="SMART_CONTROL_IN_PROGRESS")) == (
        "smart_charging"
    )
    assert device_status(_device(status_current="PENDING_LIVE")) == "pending_live"
    assert device_status(_device(status_current=None)) is None


def test_energy_is_spread_evenly_over_a_dispatch() -> None:
    dispatch = Dispatch(_at(22), _at(2, day=16), DispatchType.SMART, Decimal(8))
    assert energy_within([dispatch], (_at(0), _at(0, day=16))) == Decimal("4.00")
    assert energy_within([Dispatch(_at(22), _at(23))], (_at(0), _at(0, day=16))) == 0


def test_completed_dispatches_are_merged_by_start_and_end_and_kept_30_days() -> None:
    old = Dispatch(NOW - timedelta(days=31), NOW - timedelta(days=31) + timedelta(hours=1))
    kept = Dispatch(_at(1), _at(2), energy_kwh=Decimal(1))
    again = Dispatch(_at(1), _at(2), energy_kwh=Decimal("1.5"))
    newer = Dispatch(_at(3), _at(4))
    merged = merge_completed([old, kept], [newer, again], NOW)
    assert merged == (again, newer)


def test_boosts_are_not_billed_off_peak_but_smart_and_unlabelled_dispatches_are() -> None:
    smart = Dispatch(_at(19), _at(20), DispatchType.SMART)
    boost = Dispatch(_at(20), _at(21), DispatchType.BOOST)
    bump = Dispatch(_at(21), _at(22), source="bump-charge")
    unlabelled = Dispatch(_at(22), _at(23))
    assert smart_only([smart, boost, bump, unlabelled]) == [smart, unlabelled]


def test_off_peak_is_the_fixed_window_or_a_dispatch_period() -> None:
    assert off_peak_now(_at(23, 45), [])
    assert not off_peak_now(_at(19, 45), [])
    assert off_peak_now(_at(19, 45), [(_at(19, 30), _at(20))])


@pytest.mark.parametrize("idle", ["SMART_CONTROL_CAPABLE", "SMART_CONTROL_NOT_AVAILABLE", None])
def test_polling_is_frequent_only_for_a_live_device_with_a_plan_or_a_charge(
    idle: str | None,
) -> None:
    assert not is_active(_device(status_current_state=idle), ())
    assert not is_active(_device(is_suspended=True), ())
    assert not is_active(_device(status_current="ONBOARDING"), ())
    plan = (Dispatch(_at(23, 30), _at(5, 30, day=16)),)
    assert is_active(_device(status_current_state=idle), plan)
    assert is_active(_device(status_current_state="SMART_CONTROL_OFF"), plan)
    assert is_active(_device(status_current_state="BOOSTING"), ())
    assert is_active(_device(status_current_state="SMART_CONTROL_IN_PROGRESS"), ())


def test_the_budget_never_allows_more_than_four_plan_calls_a_minute() -> None:
    budget = PlannedCallBudget()
    assert budget.allowed_at(NOW, 2) == NOW
    budget.record(NOW, 2)
    budget.record(NOW + timedelta(seconds=10), 2)
    later = budget.allowed_at(NOW + timedelta(seconds=20), 1)
    assert later == NOW + timedelta(minutes=1, seconds=1)
    assert budget.allowed_at(later, 2) == later
