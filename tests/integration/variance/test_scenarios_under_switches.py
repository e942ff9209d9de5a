"""The main scenarios under every answer the reference leaves open (``switches.SWITCHES``).

For each switch value other than the simulator's default (and once for the defaults), one Home
Assistant start runs, in simulated time on one winter Wednesday: set-up at 15:40 of both
accounts of the key (Agile import + export + Tracker gas; Intelligent Octopus Go with a car
plugged in), a normal afternoon, the 16:00 Agile publication, and a SmartFlex evening with a
charge-target change. What a user must see: every meter's prices, tomorrow's Agile prices after
publication, the car's dispatch state in the evening, the change taking effect, no ERROR in the
log and no re-authentication.

To keep the suite fast, the Home Mini (polled every minute once it reports) is on only in the
cases whose switch concerns it and for the defaults, and the Economy 7 night-window cases add
the neighbour's Economy 7 home (the only one the switch can affect).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, time, timedelta
import functools
import logging
from typing import Any
from unittest.mock import patch

from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.octopus_kraken.api import OctopusClient
from custom_components.octopus_kraken.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_BACKFILL_DAYS,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    CONF_IS_EXPORT,
    CONF_MPAN,
    CONF_SERIAL,
    CONF_URL,
    DOMAIN,
)
from octopus_simulator.dispatches import planned_dispatches
from octopus_simulator.scenario import (
    ACCOUNT_INTELLIGENT,
    ACCOUNT_NEIGHBOUR,
    ESME_DEVICE_ID,
    NEIGHBOUR_API_KEY,
    NEIGHBOUR_METER_SERIAL,
    NEIGHBOUR_MPAN,
    VEHICLE_DEVICE_ID,
    Scenario,
    default_scenario,
)
from octopus_simulator.switches import SWITCHES, apply_switches
from octopus_simulator.timeutil import local_at
from tests.ids import AGILE_EXPORT, AGILE_GAS, AGILE_IMPORT, INTELLIGENT_IMPORT, electricity

from ..conftest import Advance, account_entry, intelligent_go_entry, setup_entry

DAY = date(2025, 1, 8)
SET_UP = local_at(DAY, time(15, 40))
AFTER_PUBLICATION = local_at(DAY, time(16, 25))
EVENING = local_at(DAY, time(18, 40))

AGILE_PRODUCTS = ("AGILE-24-10-01", "AGILE-OUTGOING-19-05-13", "SILVER-24-12-31")
METER_RATES = tuple(
    f"sensor.{meter}_current_rate"
    for meter in (AGILE_IMPORT, AGILE_EXPORT, AGILE_GAS, INTELLIGENT_IMPORT)
)
STANDING = tuple(
    f"sensor.{meter}_current_standing_charge" for meter in (AGILE_IMPORT, AGILE_EXPORT, AGILE_GAS)
)
ECONOMY7_RATE = f"sensor.{electricity(NEIGHBOUR_METER_SERIAL, NEIGHBOUR_MPAN)}_current_rate"
HOME_MINI_CASES = frozenset({"defaults", "no_home_mini", "home_mini_quiet"})
AGILE_TOMORROW = f"sensor.{AGILE_IMPORT}_next_day_rates"
IOG_TOMORROW = f"sensor.{INTELLIGENT_IMPORT}_next_day_rates"
CAR = "family_car"
DISPATCHING = f"binary_sensor.{CAR}_dispatching"
NEXT_START = f"sensor.{CAR}_next_dispatch_start"
STATUS = f"sensor.{CAR}_status"
TARGET = f"number.{CAR}_charge_target"

CASES = [("defaults", None)] + [
    (name, value) for name, values in SWITCHES.items() for value in values[1:]
]


def _case_id(case: tuple[str, Any]) -> str:
    name, value = case
    if isinstance(value, dict):
        value = "-".join(str(v) for v in value.values())
    return f"{name}={value}"


def _body(name: str, value: Any) -> dict[str, Any]:
    """The switch as a ``POST /_sim/scenario`` body aimed at what these two homes use."""
    if name == "no_home_mini":
        return {name: value, "without_home_mini": [ESME_DEVICE_ID]}
    if name == "home_mini_quiet":
        since = SET_UP - timedelta(hours=3)
        return {name: [{"device": ESME_DEVICE_ID, "from": since.isoformat(), "mode": value}]}
    if name == "ahead":
        # Neither home has a fixed or variable tariff today; Intelligent Go is time-of-use.
        return {name: {"variable" if value == "open_ended" else "intelligent_go": value}}
    if name == "tracker_unpublished":
        return {name: [(DAY + timedelta(days=1)).isoformat()] if value else []}
    if name == "restricted_products":
        return {name: dict.fromkeys(AGILE_PRODUCTS, value)}
    return {name: value}


def _economy7_entry(octopus_simulator: Any) -> MockConfigEntry:
    """The neighbour's Economy 7 home (another key), the one the night-window switch concerns."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Octopus …FEE1",
        unique_id=ACCOUNT_NEIGHBOUR,
        data={
            CONF_API_KEY: NEIGHBOUR_API_KEY,
            CONF_URL: octopus_simulator.url,
            CONF_ACCOUNT_NUMBER: ACCOUNT_NEIGHBOUR,
            CONF_ELECTRICITY_METERS: [
                {
                    CONF_MPAN: NEIGHBOUR_MPAN,
                    CONF_SERIAL: NEIGHBOUR_METER_SERIAL,
                    CONF_IS_EXPORT: False,
                }
            ],
            CONF_GAS_METERS: [],
            CONF_DEVICES: [],
        },
        options={CONF_IMPORT_STATISTICS: False, CONF_HOME_MINI: False, CONF_BACKFILL_DAYS: 1},
        version=1,
        minor_version=1,
    )


def _vehicle(scenario: Scenario) -> Any:
    account = next(a for a in scenario.accounts if a.number == ACCOUNT_INTELLIGENT)
    return next(d for d in account.devices if d.id == VEHICLE_DEVICE_ID)


@pytest.fixture
def octopus_simulator_scenario() -> Scenario:
    """The default world with the car plugged in."""
    scenario = default_scenario(seed=1)
    _vehicle(scenario).connected = True
    return scenario


@pytest.fixture(autouse=True)
def short_timeouts() -> Iterator[None]:
    """A client that gives up after two seconds, so a lost answer costs little simulated time."""
    quick = functools.partial(OctopusClient, retry_base_delay=0.0, request_timeout=2.0)
    with patch("custom_components.octopus_kraken.OctopusClient", quick):
        yield


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _number(hass: HomeAssistant, entity_id: str) -> float:
    value = _state(hass, entity_id)
    assert value not in ("unknown", "unavailable"), f"{entity_id} is {value}"
    return float(value)


async def _set_target_moving_time(hass: HomeAssistant, freezer: Any, value: int) -> None:
    """Set the charge target while simulated time moves a second at a time.

    A lost answer is given up on by the client's timeout, which waits on the frozen clock (the
    ``advance`` helper cannot run: it would wait for this very call).
    """
    call = hass.services.async_call(
        "number", SERVICE_SET_VALUE, {ATTR_ENTITY_ID: TARGET, ATTR_VALUE: value}, blocking=True
    )
    task = asyncio.ensure_future(call)
    for _ in range(30):
        for _ in range(200):
            if task.done():
                break
            await asyncio.sleep(0)
        if task.done():
            break
        now = dt_util.utcnow() + timedelta(seconds=1)
        freezer.move_to(now)
        async_fire_time_changed(hass, now)
    await task
    await hass.async_block_till_done()


@pytest.mark.parametrize("case", CASES, ids=_case_id)
async def test_set_up_a_day_the_publication_and_an_evening_work_under_the_switch(
    hass: HomeAssistant,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    advance: Advance,
    freezer: Any,
    caplog: pytest.LogCaptureFixture,
    case: tuple[str, Any],
) -> None:
    name, value = case
    if name != "defaults":
        apply_switches(octopus_simulator.state, _body(name, value))
    octopus_simulator.faults.timeout_seconds = 3.0
    agile = account_entry(
        entry_data,
        {
            CONF_IMPORT_STATISTICS: False,
            CONF_BACKFILL_DAYS: 1,
            CONF_HOME_MINI: name in HOME_MINI_CASES,
        },
    )
    iog = intelligent_go_entry(
        octopus_simulator,
        {CONF_IMPORT_STATISTICS: False, CONF_HOME_MINI: False, CONF_BACKFILL_DAYS: 1},
    )

    # Set-up: both accounts load and every meter shows its price.
    freezer.move_to(SET_UP)
    await setup_entry(hass, agile)
    await setup_entry(hass, iog)
    rates = METER_RATES
    if name == "economy7_night":
        await setup_entry(hass, economy7 := _economy7_entry(octopus_simulator))
        assert economy7.state is ConfigEntryState.LOADED
        rates = (*rates, ECONOMY7_RATE)
    assert agile.state is ConfigEntryState.LOADED
    assert iog.state is ConfigEntryState.LOADED
    for entity_id in rates:
        _number(hass, entity_id)
    for entity_id in STANDING:
        _number(hass, entity_id)  # export without standing-charge rows: zero, not unknown

    # A normal afternoon, then the 16:00 publication: tomorrow's Agile prices show.
    await advance(AFTER_PUBLICATION)
    assert _number(hass, AGILE_TOMORROW) >= 46
    for entity_id in rates:
        _number(hass, entity_id)

    # A SmartFlex evening: the car's state and plan show, and a change of target takes effect.
    await advance(EVENING)
    if (name, value) != ("ahead", "today_only"):
        # Intelligent Go's tomorrow, listed at once or (published late) asked for until it is.
        assert _number(hass, IOG_TOMORROW) >= 46
    assert _state(hass, DISPATCHING) in ("on", "off")
    assert _state(hass, STATUS) not in ("unknown", "unavailable")
    car = _vehicle(octopus_simulator.state)
    scenario = octopus_simulator.state
    plan = planned_dispatches(scenario.seed, car, dt_util.utcnow(), scenario.dispatch)
    if plan:
        assert _state(hass, NEXT_START) not in ("unknown", "unavailable")
    await _set_target_moving_time(hass, freezer, 85)
    assert _number(hass, TARGET) == 85
    assert {s.max for s in car.schedules} == {85}

    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)  # no re-authentication
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
