"""The short soak: one day, two homes, 15% of requests failing, an outage across 16:00, restarts.

Seeded, so every run serves the same faults. Expected costs come from the simulator's biller.
``benchmarks/soak.py`` runs the same for seven days next to a fault-free week.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.meters import MeterConfig
from octopus_simulator.timeutil import LONDON

from ..billing.harness import bills, hour_mismatches
from .harness import describe, errors_per_outage, run_soak

START = datetime.fromisoformat("2025-01-08T10:13:00+00:00")


@pytest.fixture
def home_mini_interval() -> int:
    """Read the Home Mini every 3 minutes, not every minute: its reads were about 40% of the
    day's requests and a fifth of the test's time, and the random faults, the outages and
    the restarts still meet it (a week at the default interval is ``benchmarks/soak.py``'s)."""
    return 180


async def test_a_day_of_faults_loses_nothing_and_respects_every_cool_down(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    homes: list[MockConfigEntry],
    soak_meters: dict[str, MeterConfig],
) -> None:
    figures = await run_soak(
        hass, freezer, octopus_simulator, homes, soak_meters, start=START, days=1, faults=True
    )
    print("\n".join(describe(figures)))

    assert sum(figures.faults.values()) > 100  # the faults really happened
    assert figures.requests_in_cool_down == 0
    assert figures.reauth_flows == 0
    assert figures.restarts_mid_backfill == 1
    assert figures.unload_waits == 0
    # Only the outages show as errors, once per outage for each coordinator, and each says
    # what the user can do (check the connection); never a rate limit, a cut-off answer, a
    # token hiccup, a query over the allowance or a traceback.
    # (Outside the two outages, four failed tries in a row at 15% faults are a short outage of
    # their own, and say so the same way.)
    # A restart during an outage starts a new log: each coordinator still failing says it
    # once more then, and only once (the night outage has a restart in its middle).
    per_outage = errors_per_outage(figures)
    assert all(
        count == 1
        for which, lines in per_outage.items()
        if which is not None
        for count in lines.values()
    ), per_outage
    night_begin, night_end = figures.outages[1]
    assert any(night_begin < r < night_end for r in figures.restarts)
    assert per_outage.get((1, 1)), per_outage  # logged again after that restart
    assert per_outage.get((1, 0)), per_outage
    assert all(
        "The Octopus API cannot be reached (OctopusUnavailableError)" in line
        and "internet connection" in line
        for line in figures.error_lines
    ), figures.error_lines
    # Once every poll had its chance without faults, every entity shows what a fresh,
    # fault-free set-up shows at the same instant (event data, Home Mini half-hours included).
    assert figures.final_differences == []
    assert not figures.final_half_hours_differ
    # Nothing lost, nothing doubled: every hour of the complete days equals the biller's.
    first = (START - timedelta(days=2)).astimezone(LONDON).date()
    last = (START + timedelta(days=1)).astimezone(LONDON).date() - timedelta(days=2)
    for mpxn, hours in figures.money.items():
        assert hour_mismatches(hours, bills(octopus_simulator.state, mpxn, first, last)) == [], mpxn
