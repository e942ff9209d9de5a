"""Intelligent Octopus Go with smart dispatches, a boost and the daily cap, against the biller."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest

from octopus_simulator.biller import bill_day
from octopus_simulator.dispatches import completed_dispatches
from octopus_simulator.scenario import (
    AGILE_IMPORT_MPAN,
    CHARGER_DEVICE_ID,
    Agreement,
    Boost,
    Device,
)

from ..conftest import running, settle, settle_until
from .harness import (
    IMPORT,
    assert_costs_match,
    billed_days,
    bills,
    hour_mismatches,
    make_entry,
    money_hours,
    set_up,
    utc,
)

IOG = "E-1R-INTELLI-VAR-24-10-29-C"


@pytest.mark.parametrize("world", ["dispatches_and_a_boost", "the_daily_cap"])
async def test_intelligent_go_costs_equal_the_bill(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    world: str,
) -> None:
    scenario = octopus_simulator.state
    point = scenario.electricity_point(AGILE_IMPORT_MPAN)[2]
    point.agreements = [Agreement(1, IOG, utc("2024-11-01T00:00:00+00:00"))]
    charger = scenario.device(CHARGER_DEVICE_ID)[1]
    now = utc("2025-01-09T10:13:00+00:00")
    first, last = billed_days(now, 3)
    if world == "the_daily_cap":
        # Plugged in around the clock and charging slowly: plans run far past 05:30.
        charger.connected = True
        charger.charge_power_kw = Decimal("1.0")
    else:
        # A boost in the evening, billed at peak (smart dispatches of the night are off-peak).
        charger.boosts.append(
            Boost(utc("2025-01-07T19:00:00+00:00"), utc("2025-01-07T20:00:00+00:00"), Decimal(7))
        )
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, first, last)
    # The world really exercises the rules.
    rerated = [sum(h.register == "dispatch off-peak" for h in b.half_hours) for b in day_bills]
    if world == "the_daily_cap":
        assert max(rerated) == 12
        assert bill_day(scenario, AGILE_IMPORT_MPAN, first).half_hours[-1].price is not None
    else:
        assert 0 < max(rerated) < 12
        boost_day = bill_day(scenario, AGILE_IMPORT_MPAN, date(2025, 1, 7))
        boosted = [h for h in boost_day.half_hours if h.start.hour == 19]
        assert [h.register for h in boosted] == ["standard", "standard"]

    await set_up(hass, freezer, make_entry(entry_data, 3), now)
    hours = await money_hours(hass, IMPORT)
    assert_costs_match(hours, day_bills)


SLOW_CAR_ID = "00000000-0002-4000-803c-0000000a1002"


async def test_an_evening_dispatch_listed_a_day_late_counts_in_its_own_day_cap(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    """9 November 2025 (GMT): the 23:00 half-hour is the day's eleventh extended, so off-peak.

    A slow car plugged in around the clock starts charging at 23:00 and runs until the next
    afternoon; Octopus lists that dispatch only 12 hours after it ends, two days after the
    evening it began. Counted in the UK day of its start (23:00 UTC is 23:00 UK time in winter),
    it is within the 12-half-hour cap, so it is billed off-peak once the dispatch is known.
    """
    scenario = octopus_simulator.state
    point = scenario.electricity_point(AGILE_IMPORT_MPAN)[2]
    point.agreements = [Agreement(1, IOG, utc("2024-11-01T00:00:00+00:00"))]
    prop_id = scenario.device(CHARGER_DEVICE_ID)[1].property_id
    scenario.accounts[0].devices.append(
        Device(
            SLOW_CAR_ID,
            "Slow car",
            "SmartFlexVehicle",
            "ELECTRIC_VEHICLES",
            "TESLA",
            "Tesla",
            "Model Y",
            prop_id,
            integration_device_id="tesla-a1002",
            connected=True,
            charge_power_kw=Decimal("1.0"),
        )  # fmt: skip
    )
    now = utc("2025-11-11T10:13:00+00:00")
    first, last = billed_days(now, 3)
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, first, last)
    # The world really is the one described: the evening half-hour is dispatch off-peak on the
    # bill, within the cap, and its dispatch ended after noon of the next day.
    ninth = next(b for b in day_bills if b.day == date(2025, 11, 9))
    evening = next(h for h in ninth.half_hours if h.start == utc("2025-11-09T23:00:00+00:00"))
    assert evening.register == "dispatch off-peak"
    assert sum(h.register == "dispatch off-peak" for h in ninth.half_hours) < 12
    (late,) = [
        w
        for w in completed_dispatches(
            scenario.seed, scenario.accounts[0].devices, now, scenario.dispatch
        )
        if w.start == evening.start
    ]
    assert late.end > utc("2025-11-10T12:00:00+00:00")

    await set_up(hass, freezer, make_entry(entry_data, 3), now)
    hours = await money_hours(hass, IMPORT)
    assert_costs_match(hours, day_bills)


async def test_dispatches_listed_after_the_half_hours_were_priced_reprice_them_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    """Completed dispatches come hours after the meter data: the cost is fixed when they do.

    The consumption was priced (at peak) before any dispatch was listed; once SmartFlex sees
    them, the cost statistics equal the bill without waiting for the next consumption poll,
    which may be hours away (the soak's last statistics hour stayed at peak until then).
    """
    scenario = octopus_simulator.state
    point = scenario.electricity_point(AGILE_IMPORT_MPAN)[2]
    point.agreements = [Agreement(1, IOG, utc("2024-11-01T00:00:00+00:00"))]
    now = utc("2025-01-09T10:13:00+00:00")
    first, last = billed_days(now, 3)
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, first, last)
    listed_after = scenario.dispatch.completed_lag
    scenario.dispatch.completed_lag = timedelta(days=20)  # nothing listed yet
    entry = make_entry(entry_data, 3)
    await set_up(hass, freezer, entry, now)
    # The world really is the one described: without the dispatches the cost is not the bill's.
    assert hour_mismatches(await money_hours(hass, IMPORT), day_bills)

    scenario.dispatch.completed_lag = listed_after
    runtime = entry.runtime_data
    polls_at = runtime.consumption[IMPORT.key].next_fetch
    await runtime.smartflex.async_refresh_soon()
    await settle(hass)
    # The re-pricing writes through the recorder's thread: real time must pass for it.
    await settle_until(hass, lambda: not running(hass, "octopus_kraken re-price"), 60)
    assert runtime.smartflex.data is not None
    assert runtime.smartflex.data.completed
    assert polls_at is not None
    assert dt_util.utcnow() < polls_at  # not the meter's own poll
    assert_costs_match(await money_hours(hass, IMPORT), day_bills)
