"""One meter whose prices cannot be had does not take the account down.

The Agile account has an import meter, an export meter and a gas meter (Octopus Tracker,
``SILVER-24-12-31``). Each test breaks only the gas product in the simulator and looks at what a
user sees: the other meters' entities have states, the gas meter's are unavailable, and they
come back by themselves when the product answers again, with one log line per outage.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    DOMAIN,
)
from tests.ids import AGILE_EXPORT, AGILE_GAS, AGILE_IMPORT

from ..conftest import Advance, account_entry, setup_entry

START = datetime(2025, 3, 10, 10, 7, tzinfo=UTC)
GAS_PRODUCT = "/SILVER-24-12-31/"
IMPORT_RATE = f"sensor.{AGILE_IMPORT}_current_rate"
EXPORT_RATE = f"sensor.{AGILE_EXPORT}_current_rate"
GAS_RATE = f"sensor.{AGILE_GAS}_current_rate"
GAS_STANDING = f"sensor.{AGILE_GAS}_current_standing_charge"
GAS_USED = f"sensor.{AGILE_GAS}_previous_day_consumption"
GAS_COST = f"sensor.{AGILE_GAS}_previous_day_cost"


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _our_records(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.levelno >= level and r.name.startswith("custom_components.octopus_kraken")
    ]


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def _price_issues(hass: HomeAssistant) -> list[ir.IssueEntry]:
    registry = ir.async_get(hass)
    return [
        issue
        for (domain, _), issue in registry.issues.items()
        if domain == DOMAIN and issue.translation_key == "meter_prices_unavailable"
    ]


@pytest.fixture
async def at_start(freezer: Any) -> None:
    freezer.move_to(START)


@pytest.mark.usefixtures("at_start")
@pytest.mark.parametrize(("fault", "status"), [("not_found", 404), ("auth_error", 401)])
async def test_a_refused_gas_product_leaves_the_electricity_meters_working_until_it_returns(
    hass: HomeAssistant,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    advance: Advance,
    caplog: pytest.LogCaptureFixture,
    fault: str,
    status: int,
) -> None:
    """Refused even with the customer's key (retired: 404, or 401): never a re-authentication."""
    octopus_simulator.faults.inject(fault, count=10_000, path_contains=GAS_PRODUCT)

    await setup_entry(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert _state(hass, IMPORT_RATE) not in ("unavailable", "unknown")
    assert _state(hass, EXPORT_RATE) not in ("unavailable", "unknown")
    assert _state(hass, GAS_RATE) == "unavailable"
    assert _state(hass, GAS_STANDING) == "unavailable"
    # Consumption needs no price: the gas meter's kWh show, its cost waits for the prices.
    assert float(_state(hass, GAS_USED)) > 0
    assert _state(hass, GAS_COST) == "unknown"
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)  # no reauth
    [issue] = _price_issues(hass)
    assert issue.translation_placeholders == {
        "meter": "Gas meter",
        "reason": f"HTTP {status}",
        "since": START.strftime("%Y-%m-%d %H:%M UTC"),
    }
    assert "SILVER" not in issue.issue_id
    assert mock_config_entry.data["gas_meters"][0]["mprn"] not in issue.issue_id

    # Still refused an hour later: asked again about hourly, without a new log line.
    octopus_simulator.reset_log()
    await advance(START + timedelta(hours=2, minutes=30))
    asked = octopus_simulator.count(path_contains=GAS_PRODUCT + "gas-tariffs/")
    assert 1 <= asked <= 8  # about hourly (rates and standing charges), not every minute
    assert _state(hass, GAS_RATE) == "unavailable"

    octopus_simulator.faults.clear()
    await advance(START + timedelta(hours=4))

    assert _state(hass, GAS_RATE) not in ("unavailable", "unknown")
    assert _state(hass, GAS_STANDING) not in ("unavailable", "unknown")
    assert not _price_issues(hass)
    assert _errors(caplog) == []
    warnings = _our_records(caplog, logging.WARNING)
    assert [r.getMessage() for r in warnings] == [
        f"No prices for the gas meter yet (HTTP {status}); its price entities stay unavailable and "
        "the integration asks again on its own"
    ]


@pytest.mark.usefixtures("at_start")
async def test_a_gas_product_failing_with_server_errors_at_start_recovers_within_minutes(
    hass: HomeAssistant,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    advance: Advance,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The client tries four times (one try and three retries) before the refresh fails.
    octopus_simulator.faults.inject("server_error", count=4, path_contains=GAS_PRODUCT)

    await setup_entry(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert _state(hass, IMPORT_RATE) not in ("unavailable", "unknown")
    assert _state(hass, GAS_RATE) == "unavailable"
    assert not _price_issues(hass)  # a server outage is not worth a repair issue at once

    await advance(START + timedelta(minutes=5))

    assert _state(hass, GAS_RATE) not in ("unavailable", "unknown")
    assert _state(hass, IMPORT_RATE) not in ("unavailable", "unknown")
    assert _errors(caplog) == []
    assert len(_our_records(caplog, logging.WARNING)) == 1


@pytest.mark.usefixtures("at_start")
async def test_a_meter_failing_for_six_hours_raises_a_repair_issue_that_clears_with_its_prices(
    hass: HomeAssistant,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    advance: Advance,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = account_entry(
        entry_data, {CONF_IMPORT_STATISTICS: False, CONF_BACKFILL_DAYS: 1, CONF_HOME_MINI: False}
    )
    octopus_simulator.faults.inject("server_error", count=10_000, path_contains=GAS_PRODUCT)
    await setup_entry(hass, entry)

    await advance(START + timedelta(hours=5, minutes=30))
    assert not _price_issues(hass)  # an outage of a few hours is only a warning
    await advance(START + timedelta(hours=7))
    [issue] = _price_issues(hass)
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["reason"] == "HTTP 503"
    assert _state(hass, GAS_RATE) == "unavailable"
    assert _state(hass, IMPORT_RATE) not in ("unavailable", "unknown")

    octopus_simulator.faults.clear()
    await advance(START + timedelta(hours=8))
    assert not _price_issues(hass)
    assert _state(hass, GAS_RATE) not in ("unavailable", "unknown")
    assert _errors(caplog) == []
    assert len(_our_records(caplog, logging.WARNING)) == 1


@pytest.mark.usefixtures("at_start")
async def test_prices_out_of_reach_for_every_meter_make_home_assistant_retry_the_set_up(
    hass: HomeAssistant, octopus_simulator: Any, mock_config_entry: MockConfigEntry
) -> None:
    """The account answers but no product does: nothing to show, so the entry is not ready."""
    octopus_simulator.faults.inject("server_error", count=10_000, path_contains="/v1/products/")

    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
