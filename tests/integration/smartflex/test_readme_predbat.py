"""The README's Predbat lines for Intelligent Octopus Go, read the way Predbat reads them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
import re
from typing import Any

from homeassistant.core import HomeAssistant

from octopus_simulator.timeutil import local_at
from tests.readme import readme_yaml, served

from ..conftest import Advance
from .conftest import SetUpAt, evening_with_early_dispatch
from .test_evening import FIRST_DAY

DISPATCH_KEYS = {"start", "end", "charge_in_kwh", "source", "location"}


async def test_predbats_car_lines_find_dispatches_ready_time_and_charge_limit(
    hass: HomeAssistant, octopus_simulator: Any, set_up_at: SetUpAt, advance: Advance
) -> None:
    day, early = evening_with_early_dispatch(octopus_simulator.state, FIRST_DAY)
    await set_up_at(local_at(day, time(17, 7)))
    await advance(early + timedelta(minutes=2))
    apps = readme_yaml("octopus_intelligent_slot")

    slot = served(hass, apps["octopus_intelligent_slot"])
    assert slot["entity_id"].startswith("binary_sensor.")
    assert slot["state"] == "on"  # the early dispatch is running
    planned = slot["attributes"]["planned_dispatches"]
    assert planned
    for dispatch in planned + slot["attributes"]["completed_dispatches"]:
        assert set(dispatch) >= DISPATCH_KEYS
        # decode_octopus_slot parses both strictly: a "T", no fractions, an offset.
        start = datetime.strptime(dispatch["start"], "%Y-%m-%dT%H:%M:%S%z")
        end = datetime.strptime(dispatch["end"], "%Y-%m-%dT%H:%M:%S%z")
        assert start < end
    assert any(
        datetime.strptime(d["start"], "%Y-%m-%dT%H:%M:%S%z")
        <= early
        < datetime.strptime(d["end"], "%Y-%m-%dT%H:%M:%S%z")
        for d in planned
    )

    ready = served(hass, apps["octopus_ready_time"])
    assert ready["entity_id"].split(".")[0] in ("time", "select")
    assert re.fullmatch(r"\d\d:\d\d(:\d\d)?", ready["state"])

    limit = served(hass, apps["octopus_charge_limit"])
    assert limit["entity_id"].startswith("number.")
    assert limit["attributes"]["unit_of_measurement"] == "%"
    assert 0 < float(limit["state"]) <= 100
