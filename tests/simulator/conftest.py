"""Fixtures for the simulator's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from octopus_simulator.pytest_plugin import (  # noqa: F401 - fixtures re-exported for pytest
    octopus_simulator,
    octopus_simulator_scenario,
)
from octopus_simulator.server import SimulatorHandle


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain client session."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def auth(octopus_simulator: SimulatorHandle) -> aiohttp.BasicAuth:  # noqa: F811
    """Basic auth with the default API key."""
    return aiohttp.BasicAuth(octopus_simulator.api_key, "")
