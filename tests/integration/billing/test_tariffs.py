"""Go, Tracker, Economy 7 and a fixed tariff, on ordinary and clock-change days, to the penny."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from octopus_simulator.scenario import AGILE_IMPORT_MPAN, Agreement

from .harness import (
    IMPORT,
    assert_costs_match,
    billed_days,
    bills,
    make_entry,
    money_hours,
    set_up,
)

SINCE = datetime.fromisoformat("2024-11-01T00:00:00+00:00")


@pytest.mark.parametrize(
    ("tariff", "now"),
    [
        ("E-1R-GO-VAR-22-10-14-C", "2025-01-09T10:13:00+00:00"),
        ("E-1R-SILVER-24-12-31-C", "2025-01-09T10:13:00+00:00"),
        ("E-2R-VAR-22-11-01-C", "2025-01-09T10:13:00+00:00"),
        ("E-2R-VAR-22-11-01-C", "2025-07-09T10:13:00+01:00"),
        ("E-1R-OE-FIX-12M-24-11-01-C", "2025-01-09T10:13:00+00:00"),
        ("E-1R-AGILE-24-10-01-C", "2025-03-31T09:20:00+01:00"),
        ("E-1R-AGILE-24-10-01-C", "2025-10-27T09:20:00+00:00"),
        ("E-2R-VAR-22-11-01-C", "2025-10-27T09:20:00+00:00"),
    ],
    ids=[
        "go",
        "tracker",
        "economy7_winter",
        "economy7_summer",
        "fixed",
        "agile_spring_clock_change",
        "agile_autumn_clock_change",
        "economy7_autumn_clock_change",
    ],
)
async def test_tariff_costs_equal_the_bill(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    tariff: str,
    now: str,
) -> None:
    scenario = octopus_simulator.state
    scenario.electricity_point(AGILE_IMPORT_MPAN)[2].agreements = [Agreement(1, tariff, SINCE)]
    when = datetime.fromisoformat(now)
    first, last = billed_days(when, 3)
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, first, last)
    assert all(b.complete for b in day_bills)

    await set_up(hass, freezer, make_entry(entry_data, 3), when)
    hours = await money_hours(hass, IMPORT)
    assert_costs_match(hours, day_bills)
