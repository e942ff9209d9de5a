"""No silent zeros: unpriced half-hours are not costed, then re-priced; every day has its charge."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from octopus_simulator.scenario import AGILE_IMPORT_MPAN, Agreement

from ..conftest import advance_time
from .harness import (
    AGILE,
    FIXED,
    IMPORT,
    PENNY_FRACTION,
    assert_costs_match,
    bills,
    compare_days,
    make_entry,
    money_hours,
    set_up,
    utc,
)


async def test_half_hours_without_a_price_are_costed_once_their_tariff_is_known(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    scenario = octopus_simulator.state
    point = scenario.electricity_point(AGILE_IMPORT_MPAN)[2]
    # The account shows no agreement for 8 January yet (a switch back-dated a day later): those
    # half-hours have no price.
    switch, next_day = utc("2025-01-08T00:00:00+00:00"), utc("2025-01-09T00:00:00+00:00")
    fixed = Agreement(2, FIXED, next_day)
    point.agreements = [Agreement(1, AGILE, utc("2024-11-01T00:00:00+00:00"), switch), fixed]
    now = utc("2025-01-09T10:13:00+00:00")
    await set_up(hass, freezer, make_entry(entry_data, 2), now)

    hours = await money_hours(hass, IMPORT)
    assert not bills(scenario, AGILE_IMPORT_MPAN, date(2025, 1, 8), date(2025, 1, 8))[0].complete
    # Not costed at all: no row for the unpriced day (no zero), the priced day matches the bill.
    assert [h for h in hours if switch <= h < next_day] == []
    first = bills(scenario, AGILE_IMPORT_MPAN, date(2025, 1, 7), date(2025, 1, 7))
    assert abs(compare_days(hours, first)[0].difference) < PENNY_FRACTION

    # The agreement is back-dated: the day is priced, the later sums shifted.
    fixed.valid_from = switch
    for later in (6, 12, 24):
        await advance_time(hass, freezer, now + timedelta(hours=later))
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, date(2025, 1, 7), date(2025, 1, 9))
    hours = await money_hours(hass, IMPORT)
    assert_costs_match(hours, day_bills)


async def test_a_day_without_meter_data_still_has_its_standing_charge(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    scenario = octopus_simulator.state
    scenario.consumption.missing_days.add((AGILE_IMPORT_MPAN, date(2025, 1, 7)))
    now = utc("2025-01-09T10:13:00+00:00")
    await set_up(hass, freezer, make_entry(entry_data, 3), now)
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, date(2025, 1, 6), date(2025, 1, 8))
    hours = await money_hours(hass, IMPORT)
    days = compare_days(hours, day_bills)
    assert abs(days[0].difference) < PENNY_FRACTION
    assert abs(days[1].integration - (day_bills[1].standing_charge or 0)) < PENNY_FRACTION
    assert abs(days[2].difference) < PENNY_FRACTION

    # The day's readings turn up later: it is costed in full, the sums after it shifted.
    scenario.consumption.missing_days.clear()
    await advance_time(hass, freezer, utc("2025-01-10T10:13:00+00:00"))
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, date(2025, 1, 6), date(2025, 1, 9))
    hours = await money_hours(hass, IMPORT)
    assert_costs_match(hours, day_bills)
