"""Requests and wall time of consumption: the first year-long back-fill and a steady day.

Runs the real ``ConsumptionCoordinator`` fetch step (consumption, past prices, cost, hourly
statistics rows) against the simulator in its own thread, on a bare Home Assistant core with an
in-memory stand-in for the recorder's statistics table. Prints ``name: value`` lines.

    .venv/bin/python benchmarks/consumption.py
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
import sys
import tempfile
import time
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "simulator")]

import aiohttp  # noqa: E402
from homeassistant.core import HomeAssistant  # noqa: E402
from pytest_homeassistant_custom_component.common import MockConfigEntry  # noqa: E402

from custom_components.octopus_kraken import statistics as stats_module  # noqa: E402
from custom_components.octopus_kraken.api import Fuel, OctopusClient  # noqa: E402
from custom_components.octopus_kraken.const import CONF_BACKFILL_DAYS, DOMAIN  # noqa: E402
from custom_components.octopus_kraken.coordinators.consumption import (  # noqa: E402
    ConsumptionCoordinator,
)
from custom_components.octopus_kraken.meters import MeterConfig  # noqa: E402
from custom_components.octopus_kraken.options import OctopusOptions  # noqa: E402
from octopus_simulator.app import Simulator  # noqa: E402
from octopus_simulator.scenario import (  # noqa: E402
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    default_scenario,
)
from octopus_simulator.server import run_in_thread  # noqa: E402

NOW = datetime(2025, 11, 2, 9, 20, tzinfo=UTC)


class MemoryStatistics:
    """The statistics table, in memory: what the writer reads and writes."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[datetime, tuple[float, float]]] = {}
        self.writes = 0

    def during_period(
        self, _hass: Any, start: datetime, _end: Any, ids: set[str], *_args: Any
    ) -> dict[str, list[dict[str, Any]]]:
        (stat_id,) = ids
        table = self.rows.get(stat_id, {})
        return {
            stat_id: [
                {"start": hour.timestamp(), "state": row[0], "sum": row[1]}
                for hour, row in sorted(table.items())
                if hour >= start
            ]
        }

    def add(self, _hass: Any, metadata: Any, rows: list[Any]) -> None:
        table = self.rows.setdefault(metadata["statistic_id"], {})
        for row in rows:
            table[row["start"]] = (row["state"], row["sum"])
        self.writes += len(rows)


def _consumption_requests(client: OctopusClient) -> int:
    """Consumption requests the client made since its last stats reset."""
    return sum(n for op, n in client.stats.by_operation.items() if "consumption" in op)


async def main() -> None:
    """Run the two scenarios and print their figures."""
    memory = MemoryStatistics()
    stats_module.statistics_during_period = memory.during_period  # type: ignore[assignment]
    stats_module.async_add_external_statistics = memory.add  # type: ignore[assignment]

    class _Instance:
        async def async_add_executor_job(self, func: Any, *args: Any) -> Any:
            return func(*args)

    stats_module.get_instance = lambda _hass: _Instance()  # type: ignore[assignment]

    simulator = Simulator(default_scenario(seed=1))
    simulator.clock.set(NOW)
    handle, stop = run_in_thread(simulator)
    with tempfile.TemporaryDirectory() as config_dir:
        hass = HomeAssistant(config_dir)
        await hass.config.async_set_time_zone("Europe/London")
        hass.config.components.add("recorder")
        try:
            async with aiohttp.ClientSession() as session:
                client = OctopusClient(session, handle.api_key, base_url=handle.url)
                number = (await client.async_get_account_numbers())[0]
                account = SimpleNamespace(
                    data=SimpleNamespace(account=await client.async_get_account(number))
                )
                entry = MockConfigEntry(domain=DOMAIN, options={CONF_BACKFILL_DAYS: 365})
                meter = MeterConfig(Fuel.ELECTRICITY, AGILE_IMPORT_MPAN, AGILE_METER_SERIAL)
                coordinator = ConsumptionCoordinator(
                    hass,
                    entry,  # type: ignore[arg-type]
                    client,
                    account,  # type: ignore[arg-type]
                    meter,
                    OctopusOptions.from_mapping(entry.options),
                    rates=None,
                    smartflex=None,
                )

                client.reset_stats()
                started = time.perf_counter()
                result = await coordinator._async_fetch(None, NOW)
                backfill_seconds = time.perf_counter() - started
                print(f"backfill_year_requests: {client.stats.total}")
                print(f"backfill_year_consumption_requests: {_consumption_requests(client)}")
                print(f"backfill_year_wall_seconds: {backfill_seconds:.2f}")
                print(f"backfill_year_statistics_rows: {memory.writes}")

                # A steady day: poll whenever the coordinator says, for 24 simulated hours.
                client.reset_stats()
                memory.writes = 0
                data, now, polls = result.data, result.next_fetch, 0
                end = NOW + timedelta(days=1)
                started = time.perf_counter()
                while now < end:
                    simulator.clock.set(now)
                    step = await coordinator._async_fetch(data, now)
                    data, now, polls = step.data, step.next_fetch, polls + 1
                print(f"steady_day_polls: {polls}")
                print(f"steady_day_requests: {client.stats.total}")
                print(f"steady_day_consumption_requests: {_consumption_requests(client)}")
                print(f"steady_day_wall_seconds: {time.perf_counter() - started:.2f}")
                print(f"steady_day_statistics_rows: {memory.writes}")
        finally:
            stop()
            await hass.async_stop(force=True)


if __name__ == "__main__":
    asyncio.run(main())
