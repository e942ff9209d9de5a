"""The week that ``economy.py`` simulates: one account with a meter on each tariff.

Not collected by the test suite (``testpaths = tests``); run through ``benchmarks/economy.py``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta
import logging
import os
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.api import OctopusClient
from custom_components.octopus_kraken.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_BACKFILL_DAYS,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    CONF_URL,
    DOMAIN,
)
from custom_components.octopus_kraken.coordinators import rates as rates_module
from custom_components.octopus_kraken.discovery import discover_meters
from octopus_simulator.scenario import Agreement, ElectricityMeter, ElectricityMeterPoint, make_mpan
from tests.ids import AGILE_IMPORT
from tests.integration.conftest import advance_time

# The harness turns SQL echo on for every recorder query; it would bury the figures.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

LONDON = ZoneInfo("Europe/London")
DAYS = int(os.environ.get("OCTOPUS_BENCH_DAYS", "7"))
START = datetime(2026, 10, 19, 9, 7, tzinfo=UTC)  # Monday; the week crosses 25 October (BST->GMT)
# Extra homes (meters on the first account); Agile, Agile Outgoing and Tracker gas are the
# default scenario's own meters.
EXTRA = {
    "go": "E-1R-GO-VAR-22-10-14-C",
    "intelligent_go": "E-1R-INTELLI-VAR-24-10-29-C",
    "tracker": "E-1R-SILVER-24-12-31-C",
    "economy7": "E-2R-VAR-22-11-01-C",
    "fixed": "E-1R-OE-FIX-12M-24-11-01-C",
}
HOMES = {
    "agile": "E-1R-AGILE-24-10-01-C",
    "agile_outgoing": "E-1R-AGILE-OUTGOING-19-05-13-C",
    "gas_tracker": "G-1R-SILVER-24-12-31-C",
    **EXTRA,
}


class Counting:
    """Wraps the client of each rates coordinator to count its own calls by endpoint."""

    calls: Counter[tuple[str, str]] = Counter()

    def __init__(self, client: OctopusClient) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def async_get_unit_rates(self, product: str, tariff: str, **kwargs: Any) -> Any:
        kind = str(kwargs.get("rate_type") or "standard-unit-rates")
        Counting.calls[tariff, kind.split(".")[-1].lower()] += 1
        return await self._client.async_get_unit_rates(product, tariff, **kwargs)

    async def async_get_standing_charges(self, product: str, tariff: str, **kwargs: Any) -> Any:
        Counting.calls[tariff, "standing-charges"] += 1
        return await self._client.async_get_standing_charges(product, tariff, **kwargs)


async def _entry(hass: HomeAssistant, sim: Any) -> MockConfigEntry:
    account = sim.state.accounts[0]
    prop = account.properties[0]
    for i, code in enumerate(EXTRA.values()):
        prop.electricity_meter_points.append(
            ElectricityMeterPoint(
                make_mpan(f"1300000000{i:02d}"),
                "_C",
                [ElectricityMeter(f"BENCH{i}")],
                [Agreement(7000 + i, code, datetime(2025, 1, 1, tzinfo=UTC))],
            )
        )
    account.devices.clear()  # SmartFlex traffic is not what this benchmark measures
    client = OctopusClient(async_get_clientsession(hass), sim.api_key, base_url=sim.url)
    number = (await client.async_get_account_numbers())[0]
    found = discover_meters(await client.async_get_account(number), ())
    return MockConfigEntry(
        domain=DOMAIN,
        unique_id=number,
        data={
            CONF_API_KEY: sim.api_key,
            CONF_URL: sim.url,
            CONF_ACCOUNT_NUMBER: number,
            CONF_ELECTRICITY_METERS: list(found.electricity),
            CONF_GAS_METERS: list(found.gas),
            CONF_DEVICES: [],
        },
        options={CONF_IMPORT_STATISTICS: False, CONF_HOME_MINI: False, CONF_BACKFILL_DAYS: 1},
    )


def _state_shows_tomorrow(hass: HomeAssistant) -> bool:
    state = hass.states.get(f"sensor.{AGILE_IMPORT}_next_day_rates")
    return state is not None and state.state not in ("0", "unknown", "unavailable")


async def test_rates_economy_over_a_simulated_week(
    hass: HomeAssistant, octopus_simulator: Any, freezer: FrozenDateTimeFactory
) -> None:
    """Prints the figures; asserts only that the week ran."""
    original_init = rates_module.RatesCoordinator.__init__

    def counting_init(
        self: Any, hass_: Any, entry_: Any, client: Any, *args: Any, **kwargs: Any
    ) -> None:
        original_init(self, hass_, entry_, Counting(client), *args, **kwargs)

    rates_module.RatesCoordinator.__init__ = counting_init  # type: ignore[method-assign]
    try:
        entry = await _entry(hass, octopus_simulator)
        freezer.move_to(START)
        octopus_simulator.reset_log()
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        setup_calls = Counter(Counting.calls)
        Counting.calls.clear()
        octopus_simulator.reset_log()

        latencies: list[float] = []
        end = START + timedelta(days=DAYS)
        first = START.astimezone(LONDON).date()
        publications = [
            at
            for i in range(DAYS + 1)
            if START < (at := datetime.combine(first + timedelta(days=i), time(16), LONDON)) < end
        ]
        pending: list[datetime] = []
        reached: set[datetime] = set()  # a timer due at a publication stops there twice

        def observe(now: datetime) -> None:
            if now in publications and now not in reached:
                reached.add(now)
                pending.append(now)
            if pending and _state_shows_tomorrow(hass):
                latencies.extend((now - t).total_seconds() / 60 for t in pending)
                pending.clear()

        # From one timer to the next, each fired at its own instant (no fixed steps that would
        # fire polls late and lose some); a stop at each publication starts its latency.
        for target in [*publications, end]:
            await advance_time(hass, freezer, target, observe)
    finally:
        rates_module.RatesCoordinator.__init__ = original_init  # type: ignore[method-assign]

    by_tariff: dict[str, Counter[str]] = defaultdict(Counter)
    for (tariff, kind), count in Counting.calls.items():
        by_tariff[tariff][kind] += count
    # Every feature's rate requests (rates coordinator and consumption cost alike), by path.
    whole: dict[str, Counter[str]] = defaultdict(Counter)
    steady: Counter[str] = Counter()  # after the first simulated day (consumption back-fill)
    for request in octopus_simulator.request_log:
        for tariff in HOMES.values():
            if f"/{tariff}/" in request.path:
                whole[tariff][request.path.rstrip("/").rsplit("/", 1)[-1]] += 1
                if request.at >= START + timedelta(days=1):
                    steady[tariff] += 1
    steady_days = max(DAYS - 1, 1)
    print()
    print(f"simulated_days: {DAYS}")
    for home, tariff in HOMES.items():
        counts = by_tariff.get(tariff, Counter())
        for kind in sorted(counts):
            print(f"{home}.rates_coordinator.{kind}_per_day: {counts[kind] / DAYS:.2f}")
        print(f"{home}.rates_coordinator.total_per_day: {sum(counts.values()) / DAYS:.2f}")
        at_setup = sum(v for (t, _), v in setup_calls.items() if t == tariff)
        whole_per_day = sum(whole[tariff].values()) / DAYS
        print(f"{home}.rates_coordinator.setup_requests: {at_setup}")
        print(f"{home}.whole_integration.rate_endpoints_per_day: {whole_per_day:.2f}")
        for kind in sorted(whole[tariff]):
            print(f"{home}.whole_integration.{kind}_per_day: {whole[tariff][kind] / DAYS:.2f}")
        others_per_day = whole_per_day - sum(counts.values()) / DAYS
        print(f"{home}.other_features.rate_endpoints_per_day: {others_per_day:.2f}")
        print(
            f"{home}.whole_integration.rate_endpoints_per_day_after_day_1: "
            f"{steady[tariff] / steady_days:.2f}"
        )
    print(
        "all_tariffs.whole_integration.max_rate_endpoints_per_day_after_day_1: "
        f"{max(steady[t] for t in HOMES.values()) / steady_days:.2f}"
    )
    if latencies:
        print(f"agile.publication_to_entities_minutes_max: {max(latencies):.1f}")
        print(f"agile.publication_to_entities_minutes_mean: {sum(latencies) / len(latencies):.1f}")
        print(f"agile.publications_seen: {len(latencies)}")
    others = Counter(
        r.operation_name or r.path.split("?")[0]
        for r in octopus_simulator.request_log
        if not any(f"/{t}/" in r.path for t in HOMES.values())
    )
    for name, count in sorted(others.items()):
        print(f"other_requests_per_day.{name}: {count / DAYS:.2f}")
    assert latencies
