"""Tariff switches: one inside the back-fill, one at a midnight the integration lives through."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from octopus_simulator.scenario import AGILE_IMPORT_MPAN, Agreement

from ..conftest import advance_time
from .harness import (
    AGILE,
    FIXED,
    IMPORT,
    assert_costs_match,
    billed_days,
    bills,
    make_entry,
    money_hours,
    set_up,
    utc,
)


async def test_a_switch_inside_the_backfill_charges_each_tariff_its_own_standing_charge(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    switch = utc("2025-03-18T00:00:00+00:00")  # UK midnight, older than the held prices
    octopus_simulator.state.electricity_point(AGILE_IMPORT_MPAN)[2].agreements = [
        Agreement(1, AGILE, utc("2024-11-01T00:00:00+00:00"), switch),
        Agreement(2, FIXED, switch),
    ]
    now = utc("2025-03-23T10:13:00+00:00")
    first, last = billed_days(now, 6)
    day_bills = bills(octopus_simulator.state, AGILE_IMPORT_MPAN, first, last)
    assert len({b.standing_charge for b in day_bills}) == 2

    await set_up(hass, freezer, make_entry(entry_data, 6), now)
    hours = await money_hours(hass, IMPORT)
    assert_costs_match(hours, day_bills)


async def test_a_switch_at_midnight_while_running_is_costed_from_that_midnight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    switch = utc("2025-01-10T00:00:00+00:00")  # UK midnight, after set-up
    octopus_simulator.state.electricity_point(AGILE_IMPORT_MPAN)[2].agreements = [
        Agreement(1, FIXED, utc("2024-11-01T00:00:00+00:00"), switch),
        Agreement(2, AGILE, switch),
    ]
    now = utc("2025-01-09T10:13:00+00:00")
    await set_up(hass, freezer, make_entry(entry_data, 2), now)
    for hours_later in (14, 24, 38, 48):
        await advance_time(hass, freezer, now + timedelta(hours=hours_later))
    first, _ = billed_days(now, 2)
    _, last = billed_days(now + timedelta(hours=48), 2)
    day_bills = bills(octopus_simulator.state, AGILE_IMPORT_MPAN, first, last)
    assert len({b.standing_charge for b in day_bills}) == 2
    hours = await money_hours(hass, IMPORT)
    assert_costs_match(hours, day_bills)
