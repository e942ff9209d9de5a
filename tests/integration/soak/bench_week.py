"""The week-long soak of ``benchmarks/soak.py``: a fault-free week, then the same week with faults.

Not collected by the test suite (its name is not ``test_*``); the benchmark names it explicitly.
The second run prints the comparison with the first.
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

from custom_components.octopus_kraken.meters import MeterConfig

from .harness import SoakFigures, describe, run_soak
from .test_soak import START

DAYS = int(os.environ.get("OCTOPUS_SOAK_DAYS", "7"))
RUNS: dict[bool, SoakFigures] = {}


@pytest.fixture(autouse=True)
def quiet_console() -> Iterator[None]:
    """Print the figures only: the harness echoes every INFO line (each request) to stderr.

    The soak counts ERROR lines itself and prints them with its figures.
    """
    console = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    levels = [h.level for h in console]
    for handler in console:
        handler.setLevel(logging.CRITICAL + 1)
    yield
    for handler, level in zip(console, levels, strict=True):
        handler.setLevel(level)


@pytest.mark.parametrize("faults", [False, True], ids=["fault-free", "faults"])
async def test_week(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    homes: list[MockConfigEntry],
    soak_meters: dict[str, MeterConfig],
    faults: bool,
) -> None:
    RUNS[faults] = await run_soak(
        hass, freezer, octopus_simulator, homes, soak_meters, start=START, days=DAYS, faults=faults
    )
    title = f"--- {DAYS} simulated days, {'15% faults' if faults else 'no faults'} ---"
    print("\n" + title)
    print("\n".join(describe(RUNS[faults], RUNS.get(False) if faults else None, soak_meters)))
