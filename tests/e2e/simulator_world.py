"""The simulator's default world for a customer who joined Octopus a week ago.

``python -m tests.e2e.simulator_world --port P --joined 2026-11-30T00:00:00+00:00``

Every agreement starts no earlier than ``--joined``, so the integration's first statistics import
(which never reaches before the first agreement) covers a week, not a year: the recorder of a
real Home Assistant writes it within the end-to-end test's time budget.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import datetime

from octopus_simulator.app import Simulator
from octopus_simulator.clock import SimClock
from octopus_simulator.scenario import Agreement, Scenario, default_scenario
from octopus_simulator.server import start_simulator


def joined_at(scenario: Scenario, joined: datetime) -> Scenario:
    """Cut every meter point's agreements (and data) to start at ``joined``."""

    def cut(agreements: list[Agreement]) -> list[Agreement]:
        kept = [a for a in agreements if a.valid_to is None or a.valid_to > joined]
        for agreement in kept:
            agreement.valid_from = max(agreement.valid_from, joined)
        return kept

    for account in scenario.accounts:
        for point in account.electricity_meter_points():
            point.agreements = cut(point.agreements)
            point.data_from = max(point.data_from, joined)
        for gas in account.gas_meter_points():
            gas.agreements = cut(gas.agreements)
            gas.data_from = max(gas.data_from, joined)
    return scenario


async def serve(port: int, joined: datetime) -> None:
    """Serve the cut world on loopback until stopped; the clock follows the (fake) system."""
    simulator = Simulator(joined_at(default_scenario(1), joined), clock=SimClock())
    async with start_simulator(simulator, host="127.0.0.1", port=port) as handle:
        print(f"Octopus simulator on {handle.url}, customers joined {joined}", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--joined", type=datetime.fromisoformat, required=True)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.joined))


if __name__ == "__main__":
    main()
