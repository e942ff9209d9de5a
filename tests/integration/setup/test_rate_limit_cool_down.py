"""A rate limit rests the whole entry: no request from any coordinator until the cool-down ends.

Counted in the simulator's own request log: after the one rate-limited answer, nothing reaches
the simulator (REST or GraphQL, whichever coordinator) until Retry-After (or, without one, the
documented default) has passed; then polling resumes. The pause is one WARNING line, no ERROR.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.api.transport import DEFAULT_RATE_LIMIT_COOL_DOWN
from custom_components.octopus_kraken.const import DOMAIN

from ..conftest import advance_time, setup_entry

# 15:40 UK time in winter: Agile's next-day prices are due, SmartFlex and the account poll too.
START = datetime(2025, 1, 8, 15, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fault", "retry_after", "expected_pause"),
    [
        ("rate_limit", 900, 900.0),
        ("graphql_rate_limit", None, DEFAULT_RATE_LIMIT_COOL_DOWN),
    ],
)
async def test_after_a_rate_limit_no_request_leaves_until_the_cool_down_ends(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    fault: str,
    retry_after: int | None,
    expected_pause: float,
) -> None:
    freezer.move_to(START)
    await setup_entry(hass, mock_config_entry)
    await advance_time(hass, freezer, START + timedelta(minutes=5))
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="custom_components.octopus_kraken")
    octopus_simulator.faults.inject(fault, 1, retry_after=retry_after)
    before = len(octopus_simulator.request_log)

    # Poll until some coordinator meets the fault.
    deadline = dt_util.utcnow() + timedelta(hours=2)
    while not any(r.fault for r in octopus_simulator.request_log[before:]):
        assert dt_util.utcnow() < deadline, "no coordinator asked the API"
        await advance_time(hass, freezer, dt_util.utcnow() + timedelta(minutes=1))
    [limited] = [r for r in octopus_simulator.request_log[before:] if r.fault]
    pause_ends = limited.at + timedelta(seconds=expected_pause)
    # A user's action in the pause wants the API too (last autumn's prices are not cached).
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            DOMAIN,
            "get_rates",
            {
                "config_entry_id": mock_config_entry.entry_id,
                "start": "2024-10-01T00:00:00+01:00",
                "end": "2024-10-02T00:00:00+01:00",
            },
            blocking=True,
            return_response=True,
        )

    await advance_time(hass, freezer, pause_ends + timedelta(hours=1))

    after = [r for r in octopus_simulator.request_log[before:] if r.at > limited.at]
    during = [r for r in after if r.at < pause_ends]
    assert during == []
    assert after, "polling never resumed"
    held_back = [r for r in caplog.records if "cooling down" in r.getMessage()]
    assert held_back, "nothing else wanted the API during the pause"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings if "rate-limited" in r.getMessage()] == [
        next(r.getMessage() for r in warnings if "rate-limited" in r.getMessage())
    ]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_restart_in_the_cool_down_keeps_resting(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The pause belongs to the API user: a reload (a new client) does not forget it."""
    freezer.move_to(START)
    await setup_entry(hass, mock_config_entry)
    await advance_time(hass, freezer, START + timedelta(minutes=5))
    octopus_simulator.faults.inject("rate_limit", 1, retry_after=900)
    before = len(octopus_simulator.request_log)
    deadline = dt_util.utcnow() + timedelta(hours=2)
    while not any(r.fault for r in octopus_simulator.request_log[before:]):
        assert dt_util.utcnow() < deadline, "no coordinator asked the API"
        await advance_time(hass, freezer, dt_util.utcnow() + timedelta(minutes=1))
    [limited] = [r for r in octopus_simulator.request_log[before:] if r.fault]
    pause_ends = limited.at + timedelta(seconds=900)

    await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await advance_time(hass, freezer, pause_ends + timedelta(hours=1))

    after = [r for r in octopus_simulator.request_log[before:] if r.at > limited.at]
    assert [r for r in after if r.at < pause_ends] == []
    assert [r for r in after if r.at >= pause_ends]  # and polling resumed
