"""One simulated day of homes (a) and (c) keeps within the economy benchmark's targets.

``benchmarks/economy.py`` runs seven days of all four homes and prints the table; this is its
short form, so a polling regression fails the suite. Targets are per day, the day here is one.
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .harness import (
    START,
    TARGETS,
    TOKEN_OPERATION,
    TOKENS_AROUND_THE_CLOCK,
    Home,
    run_home,
)

DAYS = 1


@pytest.mark.parametrize("home", [Home.AGILE, Home.INTELLIGENT], ids=["a", "c"])
async def test_a_day_keeps_requests_tokens_and_freshness_within_the_targets(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    economy_entry: MockConfigEntry,
    home: Home,
) -> None:
    figures = await run_home(
        hass, freezer, octopus_simulator, economy_entry, home, start=START, days=DAYS
    )
    targets = TARGETS[home]
    assert figures.overdue == 0
    assert figures.worst_day() <= targets.requests * DAYS, figures.by_day
    tokens = figures.worst_day(TOKEN_OPERATION)
    if home.agile:
        assert tokens <= (targets.tokens or 0) * DAYS
    else:
        # Polled around the clock (see the benchmark's note): each token serves its hour.
        assert tokens <= TOKENS_AROUND_THE_CLOCK * DAYS
        assert figures.per_day("FlexState") > 0
    if home.agile:
        assert len(figures.price_minutes) == DAYS
        assert max(figures.price_minutes) <= (targets.price_minutes or 0)
    else:
        revisions = figures.plan_minutes(plug_in=False)
        assert revisions
        assert max(revisions) <= (targets.plan_minutes or 0)
