"""No silent zeros: unpriced half-hours are not costed, then re-priced; every day has its charge."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from octopus_simulator.scenario import AGILE_IMPORT_MPAN, AGILE_METER_SERIAL

from .harness import (
    advance,
    bills,
    compare_days,
    electricity,
    hour_mismatches,
    make_entry,
    money_hours,
    set_up,
)

PENNY_FRACTION = Decimal("0.001")
IMPORT = electricity(AGILE_IMPORT_MPAN, AGILE_METER_SERIAL)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_half_hours_without_a_price_are_costed_once_the_price_is_published(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    scenario = octopus_simulator.state
    # Near-real-time meter data, and Agile's prices for 9 January (from 23:00 on the 8th)
    # published 20 hours late, at noon on the 9th.
    scenario.consumption.delay = timedelta(hours=1)
    scenario.publication.agile_delay = timedelta(hours=20)
    now = _utc("2025-01-09T10:13:00+00:00")
    await set_up(hass, freezer, make_entry(entry_data, 2), now)

    hours = await money_hours(hass, IMPORT)
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, date(2025, 1, 7), date(2025, 1, 9))
    unpriced = [_utc("2025-01-08T23:00:00+00:00") + timedelta(hours=i) for i in range(10)]
    # Not costed at all (no row), except the day's first hour, which holds its standing charge.
    assert [h for h in unpriced[2:] if h in hours] == []
    assert hours.get(unpriced[0]) is None
    assert abs(hours[unpriced[1]] - (day_bills[2].standing_charge or 0)) < PENNY_FRACTION
    # Everything priced matches the bill.
    assert compare_days(hours, day_bills[:1])[0].difference.copy_abs() < PENNY_FRACTION

    await advance(hass, freezer, _utc("2025-01-10T10:13:00+00:00"))
    hours = await money_hours(hass, IMPORT)
    assert hour_mismatches(hours, day_bills) == []
    for day in compare_days(hours, day_bills):
        assert abs(day.difference) < PENNY_FRACTION, day


async def test_a_day_without_meter_data_still_has_its_standing_charge(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    scenario = octopus_simulator.state
    scenario.consumption.missing_days.add((AGILE_IMPORT_MPAN, date(2025, 1, 7)))
    now = _utc("2025-01-09T10:13:00+00:00")
    await set_up(hass, freezer, make_entry(entry_data, 3), now)
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, date(2025, 1, 6), date(2025, 1, 8))
    hours = await money_hours(hass, IMPORT)
    days = compare_days(hours, day_bills)
    assert abs(days[0].difference) < PENNY_FRACTION
    assert abs(days[1].integration - (day_bills[1].standing_charge or 0)) < PENNY_FRACTION
    assert abs(days[2].difference) < PENNY_FRACTION

    # The day's readings turn up later: it is costed in full, the sums after it shifted.
    scenario.consumption.missing_days.clear()
    await advance(hass, freezer, _utc("2025-01-10T10:13:00+00:00"))
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, date(2025, 1, 6), date(2025, 1, 9))
    hours = await money_hours(hass, IMPORT)
    assert hour_mismatches(hours, day_bills) == []
    for day in compare_days(hours, day_bills):
        assert abs(day.difference) < PENNY_FRACTION, day
