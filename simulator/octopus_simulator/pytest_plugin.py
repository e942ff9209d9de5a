"""pytest plugin: the ``octopus_simulator`` fixture (load with ``pytest_plugins``).

Override ``octopus_simulator_scenario`` in a test module or conftest to serve another world.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib

import pytest

from octopus_simulator.app import Simulator
from octopus_simulator.faults import FaultInjector
from octopus_simulator.scenario import Scenario, default_scenario
from octopus_simulator.server import SimulatorHandle, start_simulator

__all__ = ["octopus_simulator", "octopus_simulator_scenario"]


@pytest.fixture
def octopus_simulator_scenario() -> Scenario:
    """The world the simulator serves (the default scenario, seed 1)."""
    return default_scenario(seed=1)


@pytest.fixture
async def octopus_simulator(
    request: pytest.FixtureRequest, octopus_simulator_scenario: Scenario
) -> AsyncIterator[SimulatorHandle]:
    """A running simulator on 127.0.0.1 (a free port) on the test's event loop."""
    # Home Assistant's harness blocks socket creation (pytest-socket) and allows connections to
    # 127.0.0.1 only; a listening server needs sockets back for the test's duration.
    with contextlib.suppress(pytest.FixtureLookupError):  # without pytest-socket: nothing to do
        request.getfixturevalue("socket_enabled")
    # Tests should not wait a minute for a timeout fault: clients in tests use short timeouts.
    simulator = Simulator(octopus_simulator_scenario, faults=FaultInjector(timeout_seconds=5.0))
    # No access log: tests read the request log; a formatted line per request cost ~1% of the suite.
    async with start_simulator(simulator, host="127.0.0.1", port=0, access_log=False) as handle:
        yield handle
