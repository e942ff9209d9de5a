"""Agile import, Agile Outgoing export and Tracker gas (m³) against the biller, to the penny."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from octopus_simulator.scenario import (
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    GAS_METER_SERIAL,
    GAS_MPRN,
)

from .harness import (
    assert_costs_match,
    billed_days,
    bills,
    electricity,
    gas,
    make_entry,
    money_hours,
    set_up,
)


async def test_agile_export_and_gas_costs_equal_the_bill(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    now = datetime.fromisoformat("2025-01-09T10:13:00+00:00")
    await set_up(hass, freezer, make_entry(entry_data, 3), now)
    first, last = billed_days(now, 3)
    scenario = octopus_simulator.state
    for meter, config in (
        (AGILE_IMPORT_MPAN, electricity(AGILE_IMPORT_MPAN, AGILE_METER_SERIAL)),
        (AGILE_EXPORT_MPAN, electricity(AGILE_EXPORT_MPAN, AGILE_METER_SERIAL, export=True)),
        (GAS_MPRN, gas(GAS_MPRN, GAS_METER_SERIAL)),
    ):
        hours = await money_hours(hass, config)
        day_bills = bills(scenario, meter, first, last)
        assert_costs_match(hours, day_bills, meter)
