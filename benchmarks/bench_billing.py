"""The month that ``billing.py`` simulates: one account with a meter on each tariff, billed.

Not collected by the test suite (``testpaths = tests``); run through ``benchmarks/billing.py``.
Home Assistant runs day after day against the simulator (back-fill first, then its own polls)
and imports its cost statistics; afterwards every complete UK day of every meter is compared
with the simulator's independent biller.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
import logging
import os
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.octopus_kraken.api import OctopusClient
from custom_components.octopus_kraken.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_URL,
)
from custom_components.octopus_kraken.discovery import discover_meters
from octopus_simulator.scenario import (
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    GAS_METER_SERIAL,
    GAS_MPRN,
    Agreement,
    Boost,
    Device,
    ElectricityMeter,
    ElectricityMeterPoint,
    make_mpan,
)
from octopus_simulator.timeutil import LONDON, local_at
from tests.integration.billing.harness import (
    bills,
    compare_days,
    electricity,
    gas,
    hour_mismatches,
    make_entry,
    money_hours,
)

logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

DAYS = int(os.environ.get("OCTOPUS_BENCH_DAYS", "30"))
BACKFILL_DAYS = 3
STEP = timedelta(hours=3)
SINCE = datetime(2024, 11, 1, tzinfo=UTC)
AGILE, FIXED = "E-1R-AGILE-24-10-01-C", "E-1R-OE-FIX-12M-24-11-01-C"
WINDOWS = {
    # 30 days from each start cross a clock change (26 October 2025, 30 March 2025).
    "autumn": datetime(2025, 10, 12, 9, 13, tzinfo=UTC),
    "spring": datetime(2025, 3, 16, 9, 13, tzinfo=UTC),
}


def _homes(sim: Any, start: datetime) -> dict[str, tuple[str, str, bool]]:
    """Add a meter per tariff to the first account; name -> (MPAN/MPRN, serial, export)."""
    account = sim.state.accounts[0]
    prop = account.properties[0]
    midnight = local_at(start.astimezone(LONDON).date() + timedelta(days=DAYS // 3))
    backfilled = local_at(start.astimezone(LONDON).date() - timedelta(days=BACKFILL_DAYS - 1))
    extra: dict[str, list[Agreement]] = {
        "go": [Agreement(7001, "E-1R-GO-VAR-22-10-14-C", SINCE)],
        "intelligent_go": [Agreement(7002, "E-1R-INTELLI-VAR-24-10-29-C", SINCE)],
        "tracker": [Agreement(7003, "E-1R-SILVER-24-12-31-C", SINCE)],
        "economy7": [Agreement(7004, "E-2R-VAR-22-11-01-C", SINCE)],
        "fixed": [Agreement(7005, FIXED, SINCE)],
        "switch_at_midnight": [
            Agreement(7006, FIXED, SINCE, midnight),
            Agreement(7007, AGILE, midnight),
        ],
        "switch_inside_backfill": [
            Agreement(7008, AGILE, SINCE, backfilled),
            Agreement(7009, FIXED, backfilled),
        ],
    }
    homes = {
        "agile": (AGILE_IMPORT_MPAN, AGILE_METER_SERIAL, False),
        "agile_outgoing_income": (AGILE_EXPORT_MPAN, AGILE_METER_SERIAL, True),
        "gas_tracker_m3": (GAS_MPRN, GAS_METER_SERIAL, False),
    }
    for i, (name, agreements) in enumerate(extra.items()):
        mpan = make_mpan(f"1300000000{i:02d}")
        prop.electricity_meter_points.append(
            ElectricityMeterPoint(mpan, "_C", [ElectricityMeter(f"BILL{i}")], agreements)
        )
        homes[name] = (mpan, f"BILL{i}", False)
    # Boosts every third evening, and a slow car plugged in all the time so the cap bites.
    charger = account.devices[0]
    for day in range(-BACKFILL_DAYS, DAYS, 3):
        evening = local_at(start.astimezone(LONDON).date() + timedelta(days=day)) + timedelta(
            hours=19
        )
        charger.boosts.append(Boost(evening, evening + timedelta(hours=1), Decimal(7)))
    account.devices.append(
        Device(
            "00000000-0002-4000-803c-0000000a1002",
            "Slow car",
            "SmartFlexVehicle",
            "ELECTRIC_VEHICLES",
            "TESLA",
            "Tesla",
            "Model Y",
            prop.id,
            integration_device_id="tesla-a1002",
            connected=True,
            charge_power_kw=Decimal("1.0"),
        )  # fmt: skip
    )
    return homes


async def _settle(hass: HomeAssistant) -> None:
    for _ in range(500):
        await hass.async_block_till_done()
        if all(task.done() for task in hass._background_tasks):
            return
        await asyncio.sleep(0)


@pytest.mark.parametrize("window", list(WINDOWS))
async def test_billing_over_a_simulated_month(
    hass: HomeAssistant, octopus_simulator: Any, freezer: FrozenDateTimeFactory, window: str
) -> None:
    """Prints the largest daily difference per scenario; asserts only that the month ran."""
    start = WINDOWS[window]
    homes = _homes(octopus_simulator, start)
    client = OctopusClient(
        async_get_clientsession(hass), octopus_simulator.api_key, base_url=octopus_simulator.url
    )
    number = (await client.async_get_account_numbers())[0]
    found = discover_meters(
        await client.async_get_account(number), tuple(await client.async_get_devices(number))
    )
    entry = make_entry(
        {
            CONF_API_KEY: octopus_simulator.api_key,
            CONF_URL: octopus_simulator.url,
            CONF_ACCOUNT_NUMBER: number,
            CONF_ELECTRICITY_METERS: list(found.electricity),
            CONF_GAS_METERS: list(found.gas),
            CONF_DEVICES: list(found.devices),
            "title": "Billing benchmark",
        },
        BACKFILL_DAYS,
    )
    freezer.move_to(start)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await _settle(hass)
    now, end = start, start + timedelta(days=DAYS)
    # Run on half a day past the last compared day: Octopus lists completed dispatches 12 hours
    # late, and until then an Intelligent Go day's dispatch half-hours are (rightly) at peak.
    while now < end + timedelta(hours=12):
        now = now + STEP
        freezer.move_to(now)
        async_fire_time_changed(hass, now)
        await _settle(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    first = (start - timedelta(days=BACKFILL_DAYS)).astimezone(LONDON).date()
    last = end.astimezone(LONDON).date() - timedelta(days=1)
    print()
    print(f"window: {window} ({first} to {last}, {(last - first).days + 1} UK days)")
    worst_all = Decimal(0)
    for name, (meter, serial, export) in homes.items():
        config = (
            gas(meter, serial) if meter == GAS_MPRN else electricity(meter, serial, export=export)
        )
        hours = await money_hours(hass, config)
        days = compare_days(hours, bills(octopus_simulator.state, meter, first, last))
        worst = max((abs(d.difference) for d in days), default=Decimal(0))
        # The bill rounds each line to the penny; Home Assistant keeps fractions of a penny.
        rounded = max(
            (abs(d.integration.quantize(Decimal(1)) - d.bill_total) for d in days),
            default=Decimal(0),
        )
        worst_all = max(worst_all, worst)
        for day in days:
            if abs(day.difference) >= Decimal("0.5"):
                got, want = day.integration, day.bill_exact
                print(f"  {name} {day.day}: integration {got:.4f}p, bill {want:.4f}p")
        if worst >= Decimal("0.5"):
            day_bills = bills(octopus_simulator.state, meter, first, last)
            for hour, got, want in hour_mismatches(hours, day_bills)[:12]:
                print(f"    {hour.isoformat()}: integration {got}, bill {want:.4f}")
        print(
            f"{window}.{name}.max_daily_difference_gbp: {worst / 100:.2f} "
            f"(exact: {worst:.4f}p; vs the bill's rounded lines: {rounded:.0f}p)"
        )
    print(f"{window}.all.max_daily_difference_gbp: {worst_all / 100:.2f}")
