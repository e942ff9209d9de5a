"""Fixtures of the economy runs: the simulator's first account, made into one of four homes."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from octopus_simulator.scenario import Scenario, default_scenario

from .harness import START, Home, home_entry, make_home


@pytest.fixture
def octopus_simulator_scenario(home: Home) -> Scenario:
    """The default world with its first account made into ``home`` (parametrise ``home``)."""
    scenario = default_scenario(seed=1)
    make_home(scenario, home, START)
    return scenario


@pytest.fixture
def economy_entry(entry_data: dict[str, Any], home: Home) -> MockConfigEntry:
    """The entry of ``home`` (not yet added)."""
    return home_entry(entry_data, home)
