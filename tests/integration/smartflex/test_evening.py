"""An Intelligent Octopus Go evening and night: plug-in, plan, re-plan, an early dispatch billed
off-peak, completion, unplugging, and what it all costs in requests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from octopus_simulator.dispatches import planned_dispatches
from octopus_simulator.timeutil import local_at

from ..conftest import Advance
from .conftest import (
    CURRENT_RATE,
    DISPATCHING,
    NEXT_END,
    NEXT_START,
    OFF_PEAK,
    PLANNED_TODAY,
    STATUS,
    SetUpAt,
    attrs,
    evening_with_early_dispatch,
    flex_requests,
    iso,
    state_of,
    vehicle,
)

FIRST_DAY = date(2025, 1, 6)


def sim_plan(octopus_simulator: Any) -> list[Any]:
    """What flexPlannedDispatches answers now."""
    scenario = octopus_simulator.state
    return planned_dispatches(scenario.seed, vehicle(scenario), dt_util.utcnow(), scenario.dispatch)


def planned_starts(hass: HomeAssistant) -> list[datetime]:
    return [d["start"] for d in attrs(hass, DISPATCHING)["planned_dispatches"]]


async def test_an_evening_of_dispatches_from_plug_in_to_unplugging(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
) -> None:
    """Entities follow the plan as it changes; an early dispatch is off-peak; history stays."""
    scenario = octopus_simulator.state
    car = vehicle(scenario)
    day, early = evening_with_early_dispatch(scenario, FIRST_DAY)
    car.connected = False
    await set_up_at(local_at(day, time(17, 7)))

    # Before plug-in: nothing planned, peak time.
    assert state_of(hass, DISPATCHING) == "off"
    assert state_of(hass, NEXT_START) == "unknown"
    assert state_of(hass, OFF_PEAK) == "off"
    assert state_of(hass, STATUS) == "live"
    assert float(state_of(hass, PLANNED_TODAY)) == 0

    # Plugged in at 17:30: idle, the device is polled every 15 minutes, so the plan shows
    # within one slow interval (and from then on, changes within minutes).
    car.connected = True
    await advance(local_at(day, time(17, 50)))
    first_plan = sim_plan(octopus_simulator)
    assert first_plan
    assert planned_starts(hass) == [w.start for w in first_plan]
    assert state_of(hass, NEXT_START) == iso(first_plan[0].start)
    assert state_of(hass, NEXT_END) == iso(first_plan[0].end)
    assert float(state_of(hass, PLANNED_TODAY)) > 0

    # The planner revises the plan at 18:00; the entities follow.
    await advance(local_at(day, time(18, 10)))
    second_plan = sim_plan(octopus_simulator)
    assert [w.start for w in second_plan] != [w.start for w in first_plan] or [
        w.end for w in second_plan
    ] != [w.end for w in first_plan]
    assert planned_starts(hass) == [w.start for w in second_plan]

    # The evening before the early dispatch is peak time.
    await advance(early - timedelta(minutes=20))
    peak_price = state_of(hass, CURRENT_RATE)
    assert state_of(hass, OFF_PEAK) == "off"

    # The early dispatch: dispatching, off-peak, and the import meter priced off-peak.
    await advance(early + timedelta(minutes=2))
    window = next(w for w in sim_plan(octopus_simulator) if w.start <= dt_util.utcnow() < w.end)
    assert state_of(hass, DISPATCHING) == "on"
    assert state_of(hass, OFF_PEAK) == "on"
    dispatch_price = state_of(hass, CURRENT_RATE)
    assert dispatch_price != peak_price
    # The device's own state is polled: it shows at the next fast poll, at most 3 minutes and
    # a few seconds of jitter after the dispatch started.
    await advance(early + timedelta(minutes=4))
    assert state_of(hass, STATUS) == "smart_charging"

    # After it ends, dispatching stops exactly at its end (no poll needed).
    await advance(window.end + timedelta(seconds=1))
    if not any(w.start <= dt_util.utcnow() < w.end for w in sim_plan(octopus_simulator)):
        assert state_of(hass, DISPATCHING) == "off"

    # In the fixed night window the price is the same off-peak price.
    await advance(local_at(day + timedelta(days=1), time(0, 40)))
    assert state_of(hass, OFF_PEAK) == "on"
    assert state_of(hass, CURRENT_RATE) == dispatch_price

    # Twelve hours after the early dispatch, the API reports it as completed (seen at the next
    # idle poll, at most a quarter of an hour later).
    await advance(window.end + timedelta(hours=12, minutes=20))
    completed = attrs(hass, DISPATCHING)["completed_dispatches"]
    done = next(d for d in completed if d["start"] == window.start)
    assert done["end"] == window.end
    assert done["source"] == "smart-charge"
    assert done["location"] == "AT_HOME"
    assert done["charge_in_kwh"] > 0

    # Unplugged: the plan empties; completed dispatches the API forgets are still shown.
    car.connected = False
    await advance(dt_util.utcnow() + timedelta(minutes=5))
    assert state_of(hass, NEXT_START) == "unknown"
    assert state_of(hass, DISPATCHING) == "off"
    assert attrs(hass, DISPATCHING)["planned_dispatches"] == []
    assert any(d["start"] == window.start for d in attrs(hass, DISPATCHING)["completed_dispatches"])

    # Economy: one request carries devices, completed and planned dispatches; never more than
    # four plan lookups in any minute, about twenty requests an hour while the car is live.
    requests = flex_requests(octopus_simulator)
    times = sorted(r.at for r in requests)
    assert all(b - a > timedelta(seconds=60) for a, b in pairwise(times))
    hours = (times[-1] - times[0]).total_seconds() / 3600
    assert len(times) <= hours * 20 + 2
    assert octopus_simulator.count(operation="FlexPlannedDispatches") == 0
