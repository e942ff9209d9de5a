"""Intelligent Octopus Go with smart dispatches, a boost and the daily cap, against the biller."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from octopus_simulator.biller import bill_day
from octopus_simulator.scenario import (
    AGILE_IMPORT_MPAN,
    CHARGER_DEVICE_ID,
    Agreement,
    Boost,
)

from .harness import (
    IMPORT,
    assert_costs_match,
    billed_days,
    bills,
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
