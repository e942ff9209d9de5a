"""Charge target and ready-by change only the day(s) the user changed; other days keep theirs.

The entities show today's preference. While the device's week is uniform they stand for the
whole week; once its days differ, a change applies to today only. Expected values are the
simulator's own schedules before the change (an independent record of the device), under both
answers the reference leaves open: days a call does not send are kept, or dropped.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.time import ATTR_TIME
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
import pytest

from octopus_simulator.devices import Schedule
from octopus_simulator.switches import SWITCHES, apply_switches
from octopus_simulator.timeutil import local_at

from .conftest import READY_BY, TARGET, SetUpAt, state_of, vehicle

# Monday 6 January 2025, 18:37 UK time: the car is plugged in.
MONDAY = local_at(date(2025, 1, 6), time(18, 37))
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
WEEKEND = ("SATURDAY", "SUNDAY")

pytestmark = pytest.mark.parametrize("unsent", SWITCHES["unsent_schedule_days"])


def _week(car: Any) -> dict[str, tuple[str, Decimal, Decimal | None]]:
    return {s.day_of_week: (s.time, s.max, s.min) for s in car.schedules}


async def _set(hass: HomeAssistant, domain: str, entity_id: str, **data: Any) -> None:
    await hass.services.async_call(
        domain, SERVICE_SET_VALUE, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_changing_mondays_target_and_ready_by_leaves_the_other_days_as_they_were(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, unsent: str
) -> None:
    apply_switches(octopus_simulator.state, {"unsent_schedule_days": unsent})
    car = vehicle(octopus_simulator.state)
    car.schedules = [
        *(Schedule(day, "07:00", Decimal(80)) for day in WEEKDAYS),
        Schedule("SATURDAY", "10:00", Decimal(60)),
        Schedule("SUNDAY", "09:30", Decimal(70), Decimal(20)),
    ]
    before = _week(car)
    await set_up_at(MONDAY)
    assert float(state_of(hass, TARGET)) == 80

    await _set(hass, "number", TARGET, **{ATTR_VALUE: 90})
    await _set(hass, "time", READY_BY, **{ATTR_TIME: time(8, 30)})

    after = _week(car)
    assert after["MONDAY"] == ("08:30", Decimal(90), None)
    assert {day: v for day, v in after.items() if day != "MONDAY"} == {
        day: v for day, v in before.items() if day != "MONDAY"
    }
    assert float(state_of(hass, TARGET)) == 90
    assert state_of(hass, READY_BY) == "08:30:00"


async def test_a_uniform_week_changes_as_a_whole(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, unsent: str
) -> None:
    apply_switches(octopus_simulator.state, {"unsent_schedule_days": unsent})
    car = vehicle(octopus_simulator.state)
    assert set(_week(car).values()) == {("07:00", Decimal(80), None)}  # the simulator's default
    await set_up_at(MONDAY)

    await _set(hass, "number", TARGET, **{ATTR_VALUE: 90})

    assert _week(car) == {day: ("07:00", Decimal(90), None) for day in (*WEEKDAYS, *WEEKEND)}
