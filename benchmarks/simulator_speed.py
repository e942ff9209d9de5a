"""Wall time of the simulator's heaviest requests, each from cold caches.

Serves a fresh ``Simulator`` from a thread per measurement (every ``lru_cache`` of the simulator
cleared first) and times one request (or one full paging run). Prints ``name: value`` lines
(seconds).

    .venv/bin/python benchmarks/simulator_speed.py
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
import functools
import gc
from pathlib import Path
import sys
import time
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "simulator")]

import aiohttp  # noqa: E402

import octopus_simulator  # noqa: E402
from octopus_simulator.app import Simulator  # noqa: E402
from octopus_simulator.scenario import (  # noqa: E402
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    ESME_DEVICE_ID,
    default_scenario,
)
from octopus_simulator.server import SimulatorHandle, run_in_thread  # noqa: E402

NOW = datetime(2025, 11, 2, 9, 20, tzinfo=UTC)
AGILE = "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C/standard-unit-rates/"
CONSUMPTION = (
    f"/v1/electricity-meter-points/{AGILE_IMPORT_MPAN}/meters/{AGILE_METER_SERIAL}/consumption/"
)
TELEMETRY = """
query T($deviceId: String!, $start: DateTime, $end: DateTime, $grouping: TelemetryGrouping) {
  smartMeterTelemetry(deviceId: $deviceId, start: $start, end: $end, grouping: $grouping) {
    readAt consumption consumptionDelta demand export costDelta costDeltaWithTax
  }
}
"""
TOKEN = """
mutation T($input: ObtainJSONWebTokenInput!) { obtainKrakenToken(input: $input) { token } }
"""

Step = Callable[[aiohttp.ClientSession, SimulatorHandle], Awaitable[Any]]


def _clear_caches() -> None:
    for name, module in list(sys.modules.items()):
        if not name.startswith(octopus_simulator.__name__):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()
    gc.collect()


async def _get(session: aiohttp.ClientSession, url: str, **kwargs: Any) -> Any:
    async with session.get(url, **kwargs) as response:
        assert response.status == 200, (url, response.status, await response.text())
        return await response.json()


async def _agile_page(session: aiohttp.ClientSession, handle: SimulatorHandle) -> Any:
    return await _get(session, handle.url + AGILE, params={"page_size": "1500"})


async def _agile_year(session: aiohttp.ClientSession, handle: SimulatorHandle) -> Any:
    url: str | None = handle.url + AGILE
    params: dict[str, str] | None = {
        "period_from": "2024-11-01T00:00Z",
        "period_to": "2025-11-01T00:00Z",
        "page_size": "1500",
    }
    pages = 0
    while url:
        body = await _get(session, url, params=params)
        url, params, pages = body["next"], None, pages + 1
    return pages


async def _consumption_year(session: aiohttp.ClientSession, handle: SimulatorHandle) -> Any:
    return await _get(
        session,
        handle.url + CONSUMPTION,
        params={
            "period_from": "2024-11-01T00:00Z",
            "period_to": "2025-11-01T00:00Z",
            "page_size": "25000",
        },
        auth=aiohttp.BasicAuth(handle.api_key, ""),
    )


async def _telemetry(
    session: aiohttp.ClientSession, handle: SimulatorHandle, variables: dict[str, str]
) -> Any:
    url = f"{handle.url}/v1/graphql/"
    async with session.post(
        url, json={"query": TOKEN, "variables": {"input": {"APIKey": handle.api_key}}}
    ) as response:
        token = (await response.json())["data"]["obtainKrakenToken"]["token"]
    payload = {"query": TELEMETRY, "variables": {"deviceId": ESME_DEVICE_ID, **variables}}
    started = time.perf_counter()
    async with session.post(url, json=payload, headers={"Authorization": token}) as response:
        body = await response.json()
    assert body.get("data", {}).get("smartMeterTelemetry"), body
    return time.perf_counter() - started


async def _telemetry_latest(session: aiohttp.ClientSession, handle: SimulatorHandle) -> Any:
    return await _telemetry(session, handle, {})


async def _telemetry_day(session: aiohttp.ClientSession, handle: SimulatorHandle) -> Any:
    return await _telemetry(
        session,
        handle,
        {"start": "2025-11-01T00:00:00Z", "end": "2025-11-02T00:00:00Z", "grouping": "HALF_HOURLY"},
    )


async def _time(step: Step) -> float:
    _clear_caches()
    sim = Simulator(default_scenario())
    sim.clock.set(NOW)
    handle, stop = run_in_thread(sim)
    try:
        async with aiohttp.ClientSession() as session:
            started = time.perf_counter()
            result = await step(session, handle)
            elapsed = time.perf_counter() - started
    finally:
        stop()
    # Telemetry steps time only the query (not the token mutation before it).
    return result if isinstance(result, float) else elapsed


async def main() -> None:
    steps: dict[str, Step] = {
        "agile_page_no_period_from_s": _agile_page,
        "agile_year_fully_paged_s": _agile_year,
        "consumption_year_one_page_s": _consumption_year,
        "telemetry_latest_s": _telemetry_latest,
        "telemetry_day_half_hourly_s": _telemetry_day,
    }
    for name, step in steps.items():
        print(f"{name}: {await _time(step):.3f}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
