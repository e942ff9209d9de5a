"""The week-long soak of ``benchmarks/soak.py``: a fault-free week, then the same week with faults.

Not collected by the test suite (its name is not ``test_*``); the benchmark names it explicitly.
The second run prints the comparison with the first.
"""

from __future__ import annotations

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
    print("\n".join(describe(RUNS[faults], RUNS.get(False) if faults else None)))
