"""The week of ``benchmarks/economy.py``: four homes, seven days each, printed as one table.

Not collected by the test suite (its name is not ``test_*``); the benchmark names it explicitly.
The table is printed after the last home selected has run.
"""

from __future__ import annotations

from collections.abc import Iterator
import logging
import os
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .harness import START, Home, HomeFigures, run_home, table

DAYS = int(os.environ.get("OCTOPUS_BENCH_DAYS", "7"))
RUNS: dict[Home, HomeFigures] = {}
QUIET = ("asyncio", "aiohttp.access", "homeassistant", "octopus_simulator", "custom_components")


@pytest.fixture(autouse=True)
def _quiet_logs(hass: HomeAssistant) -> Iterator[None]:
    """Keep the table readable: the harness logs every request and slow loop step."""
    levels = {name: logging.getLogger(name).level for name in QUIET}
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.ERROR)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("home", list(Home), ids=[h.value for h in Home])
async def test_home_week(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    economy_entry: MockConfigEntry,
    home: Home,
    request: pytest.FixtureRequest,
) -> None:
    RUNS[home] = await run_home(
        hass, freezer, octopus_simulator, economy_entry, home, start=START, days=DAYS
    )
    assert RUNS[home].overdue == 0  # every timer fired at its own instant
    selected = sum(1 for item in request.session.items if item.name.startswith("test_home_week"))
    if len(RUNS) == selected:
        print(f"\n--- {DAYS} simulated days from {START:%Y-%m-%d %H:%M} UTC, per home ---")
        print("\n".join(table([RUNS[h] for h in Home if h in RUNS])))
