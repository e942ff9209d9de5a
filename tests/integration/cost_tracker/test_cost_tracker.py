"""Cost trackers against the simulator: a smart plug's energy priced at the Agile import rates.

Expected costs are worked out here from the kWh deltas and the simulator's own published price
of each half-hour (``octopus_simulator.prices``), not through the integration's pricing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import CONF_ELECTRICITY_METERS
from octopus_simulator.catalogue import RateKind, parse_tariff_code
from octopus_simulator.prices import rate_at

from ..conftest import advance_time

PLUG = "sensor.car_charger_energy"
START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)  # Tuesday 12:07 BST
AGILE = "E-1R-AGILE-24-10-01-C"
ENERGY = {"unit_of_measurement": "kWh", "device_class": "energy"}
INCREASING = {**ENERGY, "state_class": "total_increasing"}


def tracker(title: str, **data: Any) -> ConfigSubentry:
    settings = {"entity_id": PLUG, "week_start": "monday", "month_day": 1, **data}
    return ConfigSubentry(
        data=MappingProxyType(settings), subentry_type="cost_tracker", title=title, unique_id=None
    )


def sim_price(sim: Any, instant: datetime) -> Decimal:
    """The simulator's published Agile price (p/kWh inc VAT) of the half-hour at ``instant``."""
    row = rate_at(
        parse_tariff_code(AGILE),
        RateKind.STANDARD,
        instant,
        seed=sim.state.seed,
        rules=sim.state.publication,
    )
    assert row is not None
    return row.value_inc_vat


def expected_pence(sim: Any, start: datetime, end: datetime, kwh: Decimal) -> Decimal:
    """``kwh`` used evenly over ``[start, end)``, each part at its half-hour's price."""
    total = Decimal((end - start).total_seconds())
    pence = Decimal(0)
    cursor = start
    while cursor < end:
        boundary = cursor.replace(minute=30 if cursor.minute < 30 else 0, second=0)
        if cursor.minute >= 30:
            boundary += timedelta(hours=1)
        piece_end = min(boundary, end)
        share = kwh * Decimal((piece_end - cursor).total_seconds()) / total
        pence += share * sim_price(sim, cursor)
        cursor = piece_end
    return pence


def gbp(hass: HomeAssistant, entity_id: str) -> Decimal:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return Decimal(state.state)


async def read(hass: HomeAssistant, value: str, attributes: dict[str, Any] = INCREASING) -> None:
    hass.states.async_set(PLUG, value, attributes)
    await hass.async_block_till_done()


async def set_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    *subentries: ConfigSubentry,
) -> MockConfigEntry:
    freezer.move_to(START)
    hass.states.async_set(PLUG, "100.0", INCREASING)
    entry.add_to_hass(hass)
    for subentry in subentries:
        hass.config_entries.async_add_subentry(entry, subentry)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_energy_is_priced_per_half_hour_at_the_published_import_rates(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Readings inside and across half-hours, a meter reset, no request; today, week, month."""
    await set_up(hass, freezer, mock_config_entry, tracker("Car charger"))
    octopus_simulator.reset_log()
    readings = [
        (START + timedelta(minutes=10), "101.5"),  # 12:17, same half-hour
        (START + timedelta(minutes=50), "103.0"),  # 12:57, across 12:30
        (START + timedelta(hours=2, minutes=3), "106.6"),  # 14:10, across four half-hours
        (START + timedelta(hours=2, minutes=20), "0.4"),  # reset: counts 0.4 from zero
        (START + timedelta(hours=2, minutes=40), "1.2"),
    ]
    expected = Decimal(0)
    previous_at, previous = START, Decimal("100.0")
    for when, value in readings:
        await advance_time(hass, freezer, when)
        await read(hass, value)
        used = Decimal(value) - previous if Decimal(value) >= previous else Decimal(value)
        expected += expected_pence(octopus_simulator, previous_at, when, used)
        previous_at, previous = when, Decimal(value)
    for period in ("today", "this_week", "this_month"):
        entity = f"sensor.car_charger_cost_{period}"
        assert abs(gbp(hass, entity) - expected / 100) < Decimal("0.000001"), entity
    state = hass.states.get("sensor.car_charger_cost_today")
    assert state.attributes["unit_of_measurement"] == "GBP"
    assert state.attributes["energy_kwh"] == pytest.approx(1.5 + 1.5 + 3.6 + 0.4 + 0.8)
    assert state.attributes["unpriced_kwh"] == 0
    assert [r.path for r in octopus_simulator.request_log if "unit-rates" in r.path] == []


async def test_today_restarts_at_midnight_weeks_and_months_on_their_chosen_days(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Wednesday 21st: one tracker's week and month start then; the other's carry on."""
    await set_up(
        hass,
        freezer,
        mock_config_entry,
        tracker("Car charger"),
        tracker("Heat pump", week_start="wednesday", month_day=21),
    )
    evening = START + timedelta(hours=10)  # 22:07 BST
    await advance_time(hass, freezer, evening)
    await read(hass, "102.0")
    tuesday = expected_pence(octopus_simulator, START, evening, Decimal(2))
    midnight = datetime(2026, 10, 20, 23, 0, tzinfo=UTC)
    await advance_time(hass, freezer, midnight + timedelta(seconds=1))
    for name in ("car_charger", "heat_pump"):
        assert gbp(hass, f"sensor.{name}_cost_today") == 0
    assert abs(gbp(hass, "sensor.car_charger_cost_this_week") - tuesday / 100) < Decimal("1e-6")
    assert abs(gbp(hass, "sensor.car_charger_cost_this_month") - tuesday / 100) < Decimal("1e-6")
    assert gbp(hass, "sensor.heat_pump_cost_this_week") == 0
    assert gbp(hass, "sensor.heat_pump_cost_this_month") == 0
    later = midnight + timedelta(hours=1)
    await advance_time(hass, freezer, later)
    await read(hass, "103.0")
    # The kilowatt-hour was used evenly from 22:07 to 01:00: a share of it on each day.
    share = Decimal((later - midnight).total_seconds()) / Decimal((later - evening).total_seconds())
    wednesday = expected_pence(octopus_simulator, midnight, later, share)
    part = expected_pence(octopus_simulator, evening, midnight, 1 - share)
    assert abs(gbp(hass, "sensor.heat_pump_cost_today") - wednesday / 100) < Decimal("1e-6")
    assert abs(gbp(hass, "sensor.heat_pump_cost_this_week") - wednesday / 100) < Decimal("1e-6")
    assert abs(
        gbp(hass, "sensor.car_charger_cost_this_week") - (tuesday + part + wednesday) / 100
    ) < Decimal("1e-6")
    last_reset = hass.states.get("sensor.heat_pump_cost_this_week").attributes["last_reset"]
    assert last_reset == "2026-10-21T00:00:00+01:00"


async def test_a_total_meter_resets_with_its_last_reset_and_survives_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
) -> None:
    """``total`` sensors: a new ``last_reset`` counts from zero; totals come back after reload."""
    total = {**ENERGY, "state_class": "total", "last_reset": "2026-10-20T00:00:00+00:00"}
    freezer.move_to(START)
    hass.states.async_set(PLUG, "5.0", total)
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_add_subentry(mock_config_entry, tracker("Dishwasher"))
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    when = START + timedelta(minutes=15)
    await advance_time(hass, freezer, when)
    await read(hass, "0.5", {**total, "last_reset": "2026-10-20T11:20:00+00:00"})
    expected = expected_pence(octopus_simulator, START, when, Decimal("0.5"))
    assert abs(gbp(hass, "sensor.dishwasher_cost_today") - expected / 100) < Decimal("1e-6")
    await read(hass, "unavailable", {})
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert abs(gbp(hass, "sensor.dishwasher_cost_today") - expected / 100) < Decimal("1e-6")
    later = when + timedelta(minutes=5)
    await advance_time(hass, freezer, later)
    await read(hass, "1.5", {**total, "last_reset": "2026-10-20T11:20:00+00:00"})
    expected += expected_pence(octopus_simulator, when, later, Decimal(1))
    assert abs(gbp(hass, "sensor.dishwasher_cost_today") - expected / 100) < Decimal("1e-6")


async def test_adding_and_editing_a_tracker_from_the_ui(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A sensor that is not an energy total is refused; a valid one creates the tracker."""
    entry = await set_up(hass, freezer, mock_config_entry)
    hass.states.async_set("sensor.power", "300", {"unit_of_measurement": "W"})
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "cost_tracker"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    answers = {"name": "Car charger", "entity_id": "sensor.power", "week_start": "monday"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**answers, "month_day": 1}
    )
    assert result["errors"] == {"entity_id": "not_an_energy_total"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**answers, "entity_id": PLUG, "month_day": 15}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    (subentry,) = entry.subentries.values()
    assert dict(subentry.data) == {"entity_id": PLUG, "week_start": "monday", "month_day": 15}
    assert hass.states.get("sensor.car_charger_cost_this_month") is not None

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "cost_tracker"),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry.subentry_id},
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "EV", "entity_id": PLUG, "week_start": "sunday", "month_day": 3},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.subentries[subentry.subentry_id].data["week_start"] == "sunday"


async def test_an_account_without_an_import_meter_cannot_add_one(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Nothing could price the energy."""
    entry = MockConfigEntry(
        domain=mock_config_entry.domain,
        data={**mock_config_entry.data, CONF_ELECTRICITY_METERS: []},
        unique_id="other",
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "cost_tracker"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_import_meter"
