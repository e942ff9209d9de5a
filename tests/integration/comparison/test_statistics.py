"""A tariff comparison's statistics: both tariffs' money per hour, as the biller bills the days."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from octopus_simulator.biller import bill_day
from octopus_simulator.scenario import AGILE_IMPORT_MPAN
from octopus_simulator.timeutil import local_at

from ..consumption.conftest import hourly_rows
from .test_comparison import GO, comparison, make_entry, set_up


@pytest.fixture
def uses_statistics() -> bool:
    """These tests read the recorder's statistics."""
    return True


async def test_both_tariffs_are_written_as_hourly_money_statistics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    entry = await set_up(
        hass,
        freezer,
        make_entry(entry_data, statistics=True),
        comparison("Go check", "import", "GO-VAR-22-10-14", GO),
    )
    (subentry,) = entry.subentries.values()
    day = date(2026, 10, 19)
    start, end = local_at(day), local_at(date(2026, 10, 20))
    for series, tariff in (("compared", GO), ("current", None)):
        stat = f"octopus_kraken:comparison_{subentry.subentry_id.lower()}_{series}"
        # Read from a day earlier: a query starting on a London-zoned instant finds nothing on
        # newer cores, and the rows of the day are picked out below anyway.
        rows = await hourly_rows(hass, stat, start - timedelta(days=1))
        in_day = [row for row in rows if start <= row[0] < end]
        assert len(in_day) == 24
        bill = bill_day(octopus_simulator.state, AGILE_IMPORT_MPAN, day, tariff_code=tariff)
        hourly = bill.hourly()
        for hour, state, _sum in in_day:
            assert abs(Decimal(str(state)) - hourly[hour] / 100) < Decimal("0.000002"), hour
