"""A comparison added mid-month shows the whole month from the 1st, as the biller bills it.

The consumption coordinator keeps only a week of half-hours; the comparison asks for the older
days of the month itself, once: one consumption request, one range of the compared tariff's
prices. Expected figures come from the simulator's biller.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from octopus_simulator.biller import bill_day
from octopus_simulator.scenario import AGILE_IMPORT_MPAN

from ..conftest import settle
from .test_comparison import GO, START, comparison, make_entry, until

MONTH = "sensor.go_check_month_on_compared_tariff"
OWN_MONTH = "sensor.go_check_month_on_current_tariff"


def _consumption_requests(sim: Any) -> list[str]:
    return [
        r.path for r in sim.request_log if "/consumption/" in r.path and AGILE_IMPORT_MPAN in r.path
    ]


async def test_a_comparison_added_on_the_20th_shows_the_month_from_the_1st(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    freezer.move_to(START)
    entry = make_entry(entry_data)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    octopus_simulator.reset_log()

    # The user adds the comparison on Tuesday 20 October; the entry reloads.
    hass.config_entries.async_add_subentry(
        entry, comparison("Go check", "import", "GO-VAR-22-10-14", GO)
    )
    await until(hass, lambda: _first_day(hass) == "2026-10-01")

    days = [date(2026, 10, 1) + timedelta(days=i) for i in range(19)]
    month = hass.states.get(MONTH)
    assert [d["date"] for d in month.attributes["days"]] == [d.isoformat() for d in days]
    for entity, tariff in ((MONTH, GO), (OWN_MONTH, None)):
        bills = [
            bill_day(octopus_simulator.state, AGILE_IMPORT_MPAN, d, tariff_code=tariff)
            for d in days
        ]
        assert all(bill.complete for bill in bills)
        expected = sum((bill.exact for bill in bills), Decimal(0)) / 100
        assert abs(Decimal(hass.states.get(entity).state) - expected) < Decimal("0.00002"), entity
    # One consumption request for the older days, one range of Go's prices (rates, standing).
    assert len(_consumption_requests(octopus_simulator)) == 1
    go = [r.path for r in octopus_simulator.request_log if "GO-VAR" in r.path]
    assert len(go) == 2, go

    # A restart asks for none of it again.
    octopus_simulator.reset_log()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await settle(hass)
    assert _first_day(hass) == "2026-10-01"
    assert _consumption_requests(octopus_simulator) == []
    assert not [r for r in octopus_simulator.request_log if "GO-VAR" in r.path]


def _first_day(hass: HomeAssistant) -> str | None:
    state = hass.states.get(MONTH)
    return None if state is None else state.attributes.get("first_day")
