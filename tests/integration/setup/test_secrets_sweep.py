"""No secret and nothing personal in any log line, diagnostics dump, repair issue or notification.

One pass through everything the integration does, at DEBUG: the config flow, set-up, the options,
reconfigure, reauth and cheapest-window flows, every action, a day of polling with faults of
every kind (so error paths log too), diagnostics. Then every captured log record, the diagnostics,
the repair issues and the persistent notifications are searched for the API key, every Kraken
token and refresh token the simulator issued, account numbers, MPANs, MPRNs, meter serials,
device ids, addresses and the user's and devices' names.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.const import ATTR_ENTITY_ID, CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest

from custom_components.octopus_kraken import options as entry_options
from custom_components.octopus_kraken.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_BACKFILL_DAYS,
    CONF_CALORIFIC_VALUE,
    CONF_DISPATCH_INTERVAL,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    CONF_TELEMETRY_INTERVAL,
    CONF_URL,
    DOMAIN,
)
from custom_components.octopus_kraken.diagnostics import async_get_config_entry_diagnostics
from octopus_simulator.scenario import ACCOUNT_AGILE
from octopus_simulator.tokens import TokenStore

from ..conftest import advance_time
from ..personal import personal_strings

START = datetime(2025, 1, 8, 11, 0, tzinfo=UTC)
OUR_LOGGERS = ("custom_components.octopus_kraken",)


@pytest.fixture
def uses_statistics() -> bool:
    """The sweep imports statistics too: the harness's recorder runs."""
    return True


@pytest.fixture
def issued_tokens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every access and refresh token the simulator hands out."""
    tokens: list[str] = []
    original = TokenStore.issue

    def issue(self: TokenStore, *args: Any, **kwargs: Any) -> dict[str, Any]:
        result = original(self, *args, **kwargs)
        tokens.extend([result["token"], result["refreshToken"]])
        return result

    monkeypatch.setattr(TokenStore, "issue", issue)
    return tokens


async def _walk_the_flows(hass: HomeAssistant, simulator: Any) -> Any:
    """Config flow to a new entry, then options, cheapest window, reconfigure and reauth."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: "sk_live_wrong_key", CONF_URL: simulator.url}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: simulator.api_key, CONF_URL: simulator.url}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT_NUMBER: ACCOUNT_AGILE}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    await hass.async_block_till_done()

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_IMPORT_STATISTICS: True,
            CONF_HOME_MINI: True,
            CONF_TELEMETRY_INTERVAL: 1800,  # polls enough to fail; every minute costs
            CONF_BACKFILL_DAYS: 3,
            CONF_CALORIFIC_VALUE: 39.0,
            CONF_DISPATCH_INTERVAL: 300,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "cheapest_window"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Dishwasher", "meter": "import", "window_type": "fixed"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "start": "22:00:00",
            "end": "07:00:00",
            "duration": 2,
            "mode": "continuous",
            "target": "cheapest",
            "prefer_latest": False,
            "start_offset": 0,
            "allow_partial": False,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: simulator.url}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    await hass.async_block_till_done()

    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_REAUTH, "entry_id": entry.entry_id},
        data=dict(entry.data),
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: simulator.api_key}
    )
    assert result["type"] is FlowResultType.ABORT
    await hass.async_block_till_done()
    return entry


async def _run_every_action(hass: HomeAssistant, entry: Any) -> None:
    now = dt_util.now()
    await hass.services.async_call(
        DOMAIN,
        "get_rates",
        {
            "config_entry_id": entry.entry_id,
            "start": (now - timedelta(days=2)).isoformat(),
            "end": now.isoformat(),
        },
        blocking=True,
        return_response=True,
    )
    await hass.services.async_call(
        DOMAIN,
        "find_cheapest_window",
        {"config_entry_id": entry.entry_id, "duration": 2, "hours": 12},
        blocking=True,
        return_response=True,
    )
    for domain, service, data in (
        ("switch", "turn_on", {}),
        ("switch", "turn_off", {}),
        ("number", "set_value", {"value": 80}),
        ("time", "set_value", {"time": "07:30"}),
    ):
        for state in hass.states.async_all(domain):
            try:
                await hass.services.async_call(
                    domain, service, {ATTR_ENTITY_ID: state.entity_id, **data}, blocking=True
                )
            except Exception:
                logging.getLogger(__name__).debug("refused: %s", state.entity_id)
    await hass.async_block_till_done()


async def _poll_a_day_with_faults(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Any
) -> None:
    faults = (
        # No "timeout": the simulator's stall waits on the loop's clock, which the frozen
        # clock holds still, so waiting for it would wait forever.
        "server_error",
        "rate_limit",
        "graphql_rate_limit",
        "malformed_json",
        "expired_token",
        "auth_error",
    )
    now = dt_util.utcnow()
    for step in range(12):  # two failing requests of the next kind every two hours
        simulator.faults.inject(faults[step % len(faults)], 2)
        now += timedelta(hours=2)
        await advance_time(hass, freezer, now)


async def test_nothing_personal_leaves_through_logs_diagnostics_issues_or_notifications(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    issued_tokens: list[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The recorder's own DEBUG lines are SQL plumbing, megabytes of it, never our data. (Set
    # first: ``set_level`` also sets the capturing handler's level, so DEBUG must come last.)
    caplog.set_level(logging.INFO, logger="homeassistant.components.recorder")
    caplog.set_level(logging.DEBUG, logger="custom_components.octopus_kraken")
    caplog.set_level(logging.DEBUG)
    # A year of back-fill under the recorder costs minutes and shows nothing a few days do not.
    monkeypatch.setitem(entry_options.OPTIONS_DEFAULTS, CONF_BACKFILL_DAYS, 3)
    freezer.move_to(START)
    entry = await _walk_the_flows(hass, octopus_simulator)
    await _run_every_action(hass, entry)
    await _poll_a_day_with_faults(hass, freezer, octopus_simulator)
    # A reauth the auth_error fault may have started is answered like a user would.
    for flow in hass.config_entries.flow.async_progress():
        if flow["context"].get("source") == "reauth":
            await hass.config_entries.flow.async_configure(
                flow["flow_id"], {CONF_API_KEY: octopus_simulator.api_key}
            )
    await hass.async_block_till_done()
    # Called directly: the web client's access token has long expired a simulated day later.
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)

    secrets, names = personal_strings(octopus_simulator.state)
    secrets.update(issued_tokens)
    assert len(issued_tokens) >= 4
    assert len(secrets) > 30
    assert names

    # Not Home Assistant's: the simulator's own server log (the Octopus side) and the test
    # harness's mock storage, which logs every cache it hands out.
    foreign = ("aiohttp.access", "pytest_homeassistant_custom_component")
    records = [r for r in caplog.records if not r.name.startswith(foreign)]
    every_line = [f"{r.name}: {r.getMessage()} {r.exc_text or ''}" for r in records]
    our_lines = [
        line
        for r, line in zip(records, every_line, strict=True)
        if r.name.startswith(OUR_LOGGERS) or r.levelno >= logging.WARNING
    ]
    outputs = {
        "diagnostics": json.dumps(diagnostics, default=str),
        "repair issues": json.dumps(
            [issue.to_json() for issue in ir.async_get(hass).issues.values()], default=str
        ),
        "notifications": json.dumps(
            persistent_notification._async_get_or_create_notifications(hass), default=str
        ),
    }
    assert sum(1 for r in caplog.records if r.name.startswith(OUR_LOGGERS)) > 100

    leaks = [
        (where, secret)
        for where, text in [("log", "\n".join(every_line)), *outputs.items()]
        for secret in secrets
        if secret in text
    ]
    leaks += [
        (where, name)
        for where, text in [("our log lines", "\n".join(our_lines)), *outputs.items()]
        for name in names
        if name in text
    ]
    where_leaked = sorted(
        {line[:200] for line in every_line for _, secret in leaks if secret in line}
    )
    assert leaks == [], where_leaked[:10]
