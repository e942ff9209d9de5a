"""The client is asyncio all the way down: every call is a coroutine and calls overlap."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from custom_components.octopus_kraken.api import OctopusClient
from octopus_simulator.server import SimulatorHandle

from ..meta.test_imports import MODULES, PACKAGE, imported_names

BLOCKING = ("requests", "urllib3", "http.client", "urllib.request", "httpx", "socket")


async def test_every_client_call_is_a_coroutine_and_they_run_concurrently(
    client: OctopusClient, octopus_simulator: SimulatorHandle
) -> None:
    """async-dependency: awaitable calls on aiohttp, overlapping on one event loop."""
    calls = [
        name
        for name, member in inspect.getmembers(OctopusClient, inspect.isfunction)
        if name.startswith("async_")
    ]
    assert len(calls) > 10
    assert [name for name in calls if not inspect.iscoroutinefunction(getattr(client, name))] == []

    # Three requests in flight at once: each stalls in the simulator until all have arrived.
    simulator = octopus_simulator.simulator
    apply = simulator.apply_http_fault
    in_flight = 0
    most = 0

    async def counted(*args: Any) -> Any:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            return await apply(*args)
        finally:
            in_flight -= 1

    simulator.apply_http_fault = counted  # type: ignore[method-assign]
    octopus_simulator.faults.inject("timeout", count=3, delay=0.2)
    numbers, products, trackers = await asyncio.gather(
        client.async_get_account_numbers(),
        client.async_get_products(),
        client.async_get_products(is_tracker=True),
    )
    assert numbers
    assert products
    assert trackers
    assert most == 3

    # And nothing under api/ imports a blocking HTTP or socket library.
    api = [name for name in MODULES if name.startswith(f"{PACKAGE}.api")]
    assert (
        sorted(
            f"{module}: {name}"
            for module in api
            for name in imported_names(module)
            if name.split(".")[0] in BLOCKING or name in BLOCKING
        )
        == []
    )
