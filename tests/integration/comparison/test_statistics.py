"""A tariff comparison's statistics: both tariffs' money per hour, as the biller bills the days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from octopus_simulator.biller import bill_day
from octopus_simulator.scenario import AGILE_IMPORT_MPAN
from octopus_simulator.timeutil import local_at

from ..conftest import settle
from ..consumption.conftest import hourly_rows
from .test_comparison import GO, comparison, make_entry, set_up

# Early in the month: a comparison's statistics cover the month so far, and the recorder's
# import of three weeks of hours would be most of these tests' time.
EARLY = datetime(2026, 10, 6, 11, 7, tzinfo=UTC)  # Tuesday 12:07 BST


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
        start=EARLY,
    )
    (subentry,) = entry.subentries.values()
    day = date(2026, 10, 5)
    start, end = local_at(day), local_at(date(2026, 10, 6))
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


async def test_removing_a_comparison_removes_its_entities_device_caches_and_statistics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    hass_storage: dict[str, Any],
) -> None:
    entry = await set_up(
        hass,
        freezer,
        make_entry(entry_data, statistics=True),
        comparison("Go check", "import", "GO-VAR-22-10-14", GO),
        comparison("Cosy check", "import", "COSY-22-12-08", "E-1R-COSY-22-12-08-C"),
        start=EARLY,
    )
    go, cosy = entry.subentries.values()
    prefix = f"octopus_kraken.{entry.entry_id}.comparison_"
    start = local_at(date(2026, 10, 4))
    stats = [
        f"octopus_kraken:comparison_{go.subentry_id.lower()}_{s}" for s in ("current", "compared")
    ]
    for stat in stats:
        assert await hourly_rows(hass, stat, start)

    assert hass.config_entries.async_remove_subentry(entry, go.subentry_id)
    await settle(hass)
    await async_wait_recording_done(hass)

    registry = er.async_get(hass)
    left = {
        e.config_subentry_id for e in er.async_entries_for_config_entry(registry, entry.entry_id)
    }
    assert go.subentry_id not in left
    assert cosy.subentry_id in left
    assert hass.states.get("sensor.go_check_month_on_compared_tariff") is None
    devices = dr.async_get(hass)
    assert devices.async_get_device({("octopus_kraken", f"comparison_{go.subentry_id}")}) is None
    assert devices.async_get_device({("octopus_kraken", f"comparison_{cosy.subentry_id}")})
    # The reload wrote the other comparison's caches; the removed one's are gone.
    assert {key for key in hass_storage if key.startswith(prefix)} == {
        f"{prefix}{cosy.subentry_id}{suffix}" for suffix in ("", "_prices")
    }
    for stat in stats:
        assert await hourly_rows(hass, stat, start) == []
    assert await hourly_rows(
        hass, f"octopus_kraken:comparison_{cosy.subentry_id.lower()}_compared", start
    )
