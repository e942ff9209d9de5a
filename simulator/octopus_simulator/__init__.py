"""A local Octopus Energy API: REST + Kraken GraphQL with deterministic data, a settable clock,
fault injection and a request log. Used by the tests, the benchmarks and ``scripts/develop``.
"""

from __future__ import annotations

from octopus_simulator.app import Simulator, create_app
from octopus_simulator.clock import SimClock
from octopus_simulator.faults import FaultInjector, FaultKind
from octopus_simulator.requestlog import LoggedRequest, RequestLog
from octopus_simulator.scenario import Scenario, default_scenario
from octopus_simulator.server import SimulatorHandle, run_in_thread, start_simulator

__all__ = [
    "FaultInjector",
    "FaultKind",
    "LoggedRequest",
    "RequestLog",
    "Scenario",
    "SimClock",
    "Simulator",
    "SimulatorHandle",
    "create_app",
    "default_scenario",
    "run_in_thread",
    "start_simulator",
]
