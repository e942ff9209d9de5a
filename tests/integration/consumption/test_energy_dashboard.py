"""Consumption over several simulated days: statistics hour by hour, sensors, restarts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.api import Fuel
from custom_components.octopus_kraken.meters import MeterConfig
from custom_components.octopus_kraken.statistics import statistic_id
from octopus_simulator.scenario import AGILE_IMPORT_MPAN, AGILE_METER_SERIAL

from ..conftest import Advance, setup_entry
from .conftest import hourly_rows
from .helpers import days, expected_hourly, make_entry, running

IMPORT = MeterConfig(Fuel.ELECTRICITY, AGILE_IMPORT_MPAN, AGILE_METER_SERIAL)
CONSUMPTION = statistic_id(IMPORT, "consumption")
COST = statistic_id(IMPORT, "cost")
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def _state(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> Any:
    registry = er.async_get(hass)
    unique_id = f"{entry.unique_id}_{IMPORT.key}_{key}"
    entity_id = registry.async_get_entity_id("sensor", "octopus_kraken", unique_id)
    assert entity_id is not None, unique_id
    return hass.states.get(entity_id)


async def test_statistics_follow_late_missing_and_corrected_data(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    advance: Advance,
) -> None:
    scenario = octopus_simulator.state
    scenario.consumption.missing_days.add((AGILE_IMPORT_MPAN, date(2025, 1, 6)))
    freezer.move_to("2025-01-08T10:13:00+00:00")
    entry = make_entry(entry_data)
    await setup_entry(hass, entry)

    # Back-fill from the UK midnight three days back; 6 January has not arrived yet.
    rows = await hourly_rows(hass, CONSUMPTION, EPOCH)
    assert rows == running(
        expected_hourly(scenario, AGILE_IMPORT_MPAN, [date(2025, 1, 5), date(2025, 1, 7)])
    )
    # The previous complete day is yesterday, with its half-hours.
    state = _state(hass, entry, "previous_day_consumption")
    day = expected_hourly(scenario, AGILE_IMPORT_MPAN, [date(2025, 1, 7)])
    assert float(state.state) == round(sum(day.values()), 3)
    assert state.attributes["date"] == "2025-01-07"
    assert len(state.attributes["half_hours"]) == 48
    assert state.attributes["device_class"] == "energy"
    assert state.attributes["state_class"] == "total"
    latest = _state(hass, entry, "latest_reading")
    assert latest.state == "2025-01-08T00:00:00+00:00"

    # The next day: the missing day turns up and a half-hour of the 7th is corrected.
    scenario.consumption.missing_days.clear()
    corrected_slot = datetime(2025, 1, 7, 18, 30, tzinfo=UTC)
    scenario.consumption.corrections[(AGILE_IMPORT_MPAN, corrected_slot)] = Decimal("4.321")
    await advance(datetime.fromisoformat("2025-01-09T10:40:00+00:00"))

    rows = await hourly_rows(hass, CONSUMPTION, EPOCH)
    everything = expected_hourly(
        scenario, AGILE_IMPORT_MPAN, days(date(2025, 1, 5), date(2025, 1, 8))
    )
    assert rows == running(everything)
    assert len(rows) == 4 * 24

    # Costs: one row per hour too, a running sum that adds up, standing charge at UK midnight.
    cost_rows = await hourly_rows(hass, COST, EPOCH)
    assert [r[0] for r in cost_rows] == [r[0] for r in rows]
    total = 0.0
    for _, amount, running_sum in cost_rows:
        total += amount
        assert abs(running_sum - total) < 1e-5
    cost_state = _state(hass, entry, "previous_day_cost")
    assert cost_state.attributes["unit_of_measurement"] == "GBP"
    day_cost = sum(r[1] for r in cost_rows if datetime(2025, 1, 8, tzinfo=UTC) <= r[0])
    assert abs(float(cost_state.state) - day_cost) < 0.01


async def test_a_restart_costs_no_request_and_duplicates_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    advance: Advance,
) -> None:
    freezer.move_to("2025-01-08T10:13:00+00:00")
    entry = make_entry(entry_data)
    await setup_entry(hass, entry)
    before = await hourly_rows(hass, CONSUMPTION, EPOCH)
    cost_before = await hourly_rows(hass, COST, EPOCH)
    assert len(before) == 72

    octopus_simulator.reset_log()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert octopus_simulator.count("consumption") == 0
    assert await hourly_rows(hass, CONSUMPTION, EPOCH) == before
    assert await hourly_rows(hass, COST, EPOCH) == cost_before

    # The next poll re-reads the last days: still no duplicate, same sums.
    await advance(datetime.fromisoformat("2025-01-08T13:45:00+00:00"))
    assert octopus_simulator.count("consumption") >= 1
    assert await hourly_rows(hass, CONSUMPTION, EPOCH) == before


@pytest.mark.parametrize(
    ("now", "first", "last", "hours", "half_hours"),
    [
        ("2024-10-28T09:20:00+00:00", date(2024, 10, 25), date(2024, 10, 27), 24 + 24 + 25, 50),
        ("2025-03-31T09:20:00+01:00", date(2025, 3, 28), date(2025, 3, 30), 24 + 24 + 23, 46),
    ],
    ids=["autumn", "spring"],
)
async def test_clock_change_days_have_25_or_23_hourly_rows(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    now: str,
    first: date,
    last: date,
    hours: int,
    half_hours: int,
) -> None:
    scenario = octopus_simulator.state
    freezer.move_to(now)
    entry = make_entry(entry_data)
    await setup_entry(hass, entry)
    expected = expected_hourly(scenario, AGILE_IMPORT_MPAN, days(first, last))
    assert len(expected) == hours
    assert await hourly_rows(hass, CONSUMPTION, EPOCH) == running(expected)
    state = _state(hass, entry, "previous_day_consumption")
    assert state.attributes["date"] == last.isoformat()
    assert len(state.attributes["half_hours"]) == half_hours
