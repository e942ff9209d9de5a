"""How many requests, and how long, the API client needs for a year of data.

Starts the simulator in-process (its own thread and event loop), then fetches one year of
half-hourly consumption and one year of Agile unit rates through ``OctopusClient``, as a fresh
installation's first refresh would. Prints ``name: value`` lines.

    .venv/bin/python benchmarks/api_fetch.py
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
import sys
import time
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "simulator")]

import aiohttp  # noqa: E402

from custom_components.octopus_kraken.api import Fuel, OctopusClient  # noqa: E402
from octopus_simulator.app import Simulator  # noqa: E402
from octopus_simulator.scenario import (  # noqa: E402
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    default_scenario,
)
from octopus_simulator.server import run_in_thread  # noqa: E402

YEAR_START = datetime(2024, 11, 1, tzinfo=UTC)
YEAR_END = datetime(2025, 11, 1, tzinfo=UTC)
NOW = datetime(2025, 11, 2, 12, tzinfo=UTC)
RUNS = 3


async def _measure(
    client: OctopusClient, fetch: Callable[[], Awaitable[list[Any]]]
) -> tuple[int, int, float]:
    """(items, requests, best wall seconds) over ``RUNS`` runs."""
    best = float("inf")
    items = requests = 0
    for _ in range(RUNS):
        client.reset_stats()
        started = time.perf_counter()
        result = await fetch()
        best = min(best, time.perf_counter() - started)
        items, requests = len(result), client.stats.total
    return items, requests, best


async def main() -> None:
    """Run the benchmark and print its figures."""
    simulator = Simulator(default_scenario(seed=1))
    simulator.clock.set(NOW)
    handle, stop = run_in_thread(simulator)
    try:
        async with aiohttp.ClientSession() as session:
            client = OctopusClient(session, handle.api_key, base_url=handle.url)
            consumption = await _measure(
                client,
                lambda: client.async_get_consumption(
                    Fuel.ELECTRICITY,
                    AGILE_IMPORT_MPAN,
                    AGILE_METER_SERIAL,
                    period_from=YEAR_START,
                    period_to=YEAR_END,
                ),
            )
            rates = await _measure(
                client,
                lambda: client.async_get_unit_rates(
                    "AGILE-24-10-01",
                    "E-1R-AGILE-24-10-01-C",
                    fuel=Fuel.ELECTRICITY,
                    period_from=YEAR_START,
                    period_to=YEAR_END,
                ),
            )
    finally:
        stop.set()
    for name, (items, requests, seconds) in (
        ("consumption_year", consumption),
        ("agile_rates_year", rates),
    ):
        print(f"{name}_items: {items}")
        print(f"{name}_requests: {requests}")
        print(f"{name}_wall_seconds: {seconds:.3f}")


if __name__ == "__main__":
    asyncio.run(main())
