"""The Home Mini is detected, not assumed, under every answer the API may give without one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import DOMAIN
from octopus_simulator.choices import NoHomeMini, QuietMode, QuietSpell
from octopus_simulator.scenario import ESME_DEVICE_ID
from octopus_simulator.switches import SWITCHES

from ..conftest import advance_time
from .helpers import make_entry

START = datetime.fromisoformat("2025-01-08T10:13:00+00:00")
TELEMETRY = "SmartMeterTelemetry"


async def _set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


def _demand(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    unique_id = f"{entry.unique_id}_home_mini_{ESME_DEVICE_ID}_home_mini_demand"
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, unique_id)
    return hass.states.get(entity_id) if entity_id else None


def _issues(hass: HomeAssistant) -> list[str]:
    return [
        issue_id
        for (domain, issue_id) in ir.async_get(hass).issues
        if domain == DOMAIN and issue_id.startswith("home_mini_quiet")
    ]


@pytest.mark.parametrize("answer", SWITCHES["no_home_mini"])
async def test_a_meter_without_a_home_mini_gets_no_entities_and_one_probe_a_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: Any,
    answer: str,
) -> None:
    freezer.move_to(START)
    octopus_simulator.state.telemetry_unavailable.add(ESME_DEVICE_ID)
    octopus_simulator.state.choices.no_home_mini = NoHomeMini(answer)
    entry = make_entry(entry_data, home_mini=True)
    await _set_up(hass, entry)
    assert _demand(hass, entry) is None
    assert octopus_simulator.count(operation=TELEMETRY) == 1  # the set-up probe
    await advance_time(hass, freezer, START + timedelta(hours=23))
    assert octopus_simulator.count(operation=TELEMETRY) == 1
    await advance_time(hass, freezer, START + timedelta(hours=26))
    assert octopus_simulator.count(operation=TELEMETRY) == 2  # the daily probe
    assert _demand(hass, entry) is None
    assert _issues(hass) == []  # nothing went quiet: there never was a Home Mini


async def test_a_home_mini_paired_later_gets_its_entities_at_the_next_probe(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_simulator: Any, entry_data: Any
) -> None:
    freezer.move_to(START)
    octopus_simulator.state.telemetry_unavailable.add(ESME_DEVICE_ID)
    octopus_simulator.state.choices.no_home_mini = NoHomeMini.EMPTY
    entry = make_entry(entry_data, home_mini=True)
    await _set_up(hass, entry)
    assert _demand(hass, entry) is None
    octopus_simulator.state.telemetry_unavailable.clear()  # the user pairs a Home Mini
    await advance_time(hass, freezer, START + timedelta(hours=25))
    state = _demand(hass, entry)
    assert state is not None
    assert float(state.state) > 0


@pytest.mark.parametrize("mode", SWITCHES["home_mini_quiet"])
async def test_a_home_mini_that_goes_quiet_backs_off_raises_a_repair_and_recovers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: Any,
    mode: str,
) -> None:
    freezer.move_to(START)
    entry = make_entry(entry_data, home_mini=True)
    await _set_up(hass, entry)
    assert float(_demand(hass, entry).state) > 0
    quiet_from = START + timedelta(minutes=10)
    back_at = quiet_from + timedelta(hours=4)
    octopus_simulator.state.choices.home_mini_quiet = [
        QuietSpell(ESME_DEVICE_ID, quiet_from, back_at, QuietMode(mode))
    ]
    await advance_time(hass, freezer, quiet_from + timedelta(minutes=30))
    assert _demand(hass, entry).state == "unknown"  # no stale demand shown as current
    octopus_simulator.reset_log()
    await advance_time(hass, freezer, quiet_from + timedelta(hours=3, minutes=30))
    # At most a few requests an hour while it is quiet.
    assert octopus_simulator.count(operation=TELEMETRY) <= 3 * 4
    assert len(_issues(hass)) == 1
    issue_id = _issues(hass)[0]
    assert ESME_DEVICE_ID not in issue_id  # no identifier of the meter in the issue
    await advance_time(hass, freezer, back_at + timedelta(hours=1, minutes=15))
    assert float(_demand(hass, entry).state) > 0
    assert _issues(hass) == []


async def test_an_error_after_reporting_counts_as_quiet_not_gone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_simulator: Any, entry_data: Any
) -> None:
    freezer.move_to(START)
    entry = make_entry(entry_data, home_mini=True)
    await _set_up(hass, entry)
    octopus_simulator.state.telemetry_unavailable.add(ESME_DEVICE_ID)  # KT-GB-4056 from now
    octopus_simulator.reset_log()
    # Quiet polls back off 15, 30, 60, 60 minutes, each stretched by up to 10%: the poll that
    # finds two hours of quiet comes at most about 3 h 05 min after the first quiet answer.
    await advance_time(hass, freezer, START + timedelta(hours=3, minutes=30))
    assert 2 <= octopus_simulator.count(operation=TELEMETRY) <= 3 * 4
    assert len(_issues(hass)) == 1
    octopus_simulator.state.telemetry_unavailable.clear()
    await advance_time(hass, freezer, START + timedelta(hours=4, minutes=45))
    assert float(_demand(hass, entry).state) > 0
    assert _issues(hass) == []


async def test_turning_home_mini_polling_off_makes_no_telemetry_requests(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_simulator: Any, entry_data: Any
) -> None:
    freezer.move_to(START)
    entry = make_entry(entry_data, home_mini=False)
    await _set_up(hass, entry)
    await advance_time(hass, freezer, START + timedelta(hours=1))
    assert octopus_simulator.count(operation=TELEMETRY) == 0
    assert _demand(hass, entry) is None
