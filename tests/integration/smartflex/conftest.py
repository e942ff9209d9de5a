"""Fixtures for SmartFlex: the Intelligent Octopus Go home with its car, and moving time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
)
from octopus_simulator.dispatches import actual_slots, planned_dispatches, session_on
from octopus_simulator.scenario import (
    ACCOUNT_INTELLIGENT,
    VEHICLE_DEVICE_ID,
    Device,
    Scenario,
    default_scenario,
)
from octopus_simulator.timeutil import local_at
from tests.ids import INTELLIGENT_IMPORT

from ..conftest import intelligent_go_entry, set_up_entry_at

CAR = "family_car"
DISPATCHING = f"binary_sensor.{CAR}_dispatching"
OFF_PEAK = f"binary_sensor.{CAR}_off_peak_now"
NEXT_START = f"sensor.{CAR}_next_dispatch_start"
NEXT_END = f"sensor.{CAR}_next_dispatch_end"
PLANNED_TODAY = f"sensor.{CAR}_planned_charge_today"
STATUS = f"sensor.{CAR}_status"
BOOST = f"switch.{CAR}_boost_charge"
SMART = f"switch.{CAR}_smart_charging"
TARGET = f"number.{CAR}_charge_target"
READY_BY = f"time.{CAR}_ready_by"
CURRENT_RATE = f"sensor.{INTELLIGENT_IMPORT}_current_rate"


@pytest.fixture
def octopus_simulator_scenario() -> Scenario:
    """The default world, the car plugged in every evening at 17:30 until 17:30 the next day."""
    scenario = default_scenario(seed=1)
    vehicle(scenario).connected = True
    return scenario


def vehicle(scenario: Scenario) -> Device:
    """The Intelligent Go account's car."""
    account = next(a for a in scenario.accounts if a.number == ACCOUNT_INTELLIGENT)
    return next(d for d in account.devices if d.id == VEHICLE_DEVICE_ID)


def evening_with_early_dispatch(scenario: Scenario, first: date) -> tuple[date, datetime]:
    """The first evening from ``first`` whose dispatches include one before 23:30 (and whose
    plan changes after the first revision), with the start of that early dispatch."""
    car = vehicle(scenario)
    day = first
    for _ in range(120):
        session = session_on(scenario.seed, car, day)
        assert session is not None
        slots = sorted(actual_slots(scenario.seed, car, session, scenario.dispatch))
        # After the planner's last revision, so the plan in force then is final.
        settled = session.plug_in + timedelta(hours=3)
        early = [s for s in slots if settled <= s < local_at(day, time(23, 30))]
        first, second = (
            [
                (w.start, w.end)
                for w in planned_dispatches(scenario.seed, car, at, scenario.dispatch)
                if w.start >= session.plug_in + timedelta(hours=1)
            ]
            for at in (
                session.plug_in + timedelta(minutes=5),
                session.plug_in + timedelta(minutes=35),
            )
        )
        replans = first != second
        if early and replans:
            return day, early[0]
        day += timedelta(days=1)
    raise AssertionError("no evening with an early dispatch")


@pytest.fixture
def iog_entry(octopus_simulator: Any) -> MockConfigEntry:
    """The Intelligent Octopus Go account with its import meter and its car."""
    # Statistics and the Home Mini are other features' business: keep the tests light.
    return intelligent_go_entry(
        octopus_simulator,
        {CONF_IMPORT_STATISTICS: False, CONF_HOME_MINI: False, CONF_BACKFILL_DAYS: 2},
    )


type SetUpAt = Callable[[datetime], Awaitable[MockConfigEntry]]


@pytest.fixture
def set_up_at(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, iog_entry: MockConfigEntry
) -> SetUpAt:
    """Move the clock to ``when`` and set the Intelligent Go entry up there; hand it back."""
    return set_up_entry_at(hass, freezer, iog_entry)


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """An entity's state (it must exist)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def attrs(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """An entity's attributes (it must exist)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return dict(state.attributes)


def flex_requests(octopus_simulator: Any) -> list[Any]:
    """Logged GraphQL requests that asked for SmartFlex state."""
    return [r for r in octopus_simulator.request_log if r.operation_name == "FlexState"]


def iso(instant: datetime) -> str:
    """A timestamp sensor's state for ``instant``."""
    return instant.astimezone(UTC).isoformat()
