"""Octoplus enrolment and points, read with the account's own request, against the simulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.ids import AGILE_ACCOUNT

from ..conftest import advance_time, setup_entry

START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)  # 12:07 BST
ENROLMENT = f"sensor.{AGILE_ACCOUNT}_octoplus_enrolment"
POINTS = f"sensor.{AGILE_ACCOUNT}_octoplus_points"
BALANCE = f"sensor.{AGILE_ACCOUNT}_balance"


def account_requests(sim: Any) -> list[Any]:
    return [r for r in sim.request_log if r.operation_name == "Account"]


async def next_account_refresh(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Past the account's six-hour refresh."""
    await advance_time(hass, freezer, START + timedelta(hours=6, minutes=30))


async def test_an_account_without_octoplus_gets_no_entities_and_no_extra_request(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    freezer.move_to(START)
    await setup_entry(hass, mock_config_entry)
    assert hass.states.get(ENROLMENT) is None
    assert hass.states.get(POINTS) is None
    (request,) = account_requests(octopus_simulator)
    assert "loyaltyPointsBalance" not in request.fields
    await next_account_refresh(hass, freezer)
    assert len(account_requests(octopus_simulator)) == 2
    assert octopus_simulator.count(operation="loyaltyPointsBalance") == 0


async def test_an_enrolled_account_shows_its_status_and_points_and_follows_them(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Found enrolled: points asked once at once, then with every account refresh."""
    account = octopus_simulator.state.accounts[0]
    account.octoplus_status, account.octoplus_points = "ENROLLED", 1234
    freezer.move_to(START)
    await setup_entry(hass, mock_config_entry)
    assert hass.states.get(ENROLMENT).state == "enrolled"
    points = hass.states.get(POINTS)
    assert points.state == "1234"
    assert points.attributes["unit_of_measurement"] == "points"
    assert len(account_requests(octopus_simulator)) == 2
    octopus_simulator.reset_log()
    account.octoplus_points = 1500
    await next_account_refresh(hass, freezer)
    (request,) = account_requests(octopus_simulator)
    assert "loyaltyPointsBalance" in request.fields
    assert hass.states.get(POINTS).state == "1500"
    # A restart with a fresh cache knows the status: no request, entities straight away.
    octopus_simulator.reset_log()
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(POINTS).state == "1500"
    assert account_requests(octopus_simulator) == []


async def test_a_refused_points_balance_never_fails_the_account_or_asks_for_a_new_key(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Leaving Octoplus between refreshes: the points are refused (KT-CT-9218), the rest holds."""
    account = octopus_simulator.state.accounts[0]
    account.octoplus_status, account.octoplus_points = "ENROLLED", 1234
    freezer.move_to(START)
    await setup_entry(hass, mock_config_entry)
    account.octoplus_status = "NOT_ENROLLED"
    account.balance = 9999
    await next_account_refresh(hass, freezer)
    assert hass.states.get(BALANCE).state == "99.99"
    assert hass.states.get(ENROLMENT).state == "not_enrolled"
    assert hass.states.get(POINTS).state == "unknown"
    assert not hass.config_entries.flow.async_progress()
