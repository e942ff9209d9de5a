"""Sensors a user sees: balance, tariff, gas conversion and the Home Mini."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.octopus_kraken.api import Fuel
from custom_components.octopus_kraken.meters import MeterConfig
from octopus_simulator import telemetry
from octopus_simulator.faults import FaultKind
from octopus_simulator.scenario import (
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    ESME_DEVICE_ID,
    GAS_MPRN,
)

from ..conftest import Advance, settle, setup_entry
from .helpers import make_entry

IMPORT = MeterConfig(Fuel.ELECTRICITY, AGILE_IMPORT_MPAN, AGILE_METER_SERIAL)


def _state(hass: HomeAssistant, unique_id: str) -> Any:
    entity_id = er.async_get(hass).async_get_entity_id("sensor", "octopus_kraken", unique_id)
    assert entity_id is not None, unique_id
    return hass.states.get(entity_id)


async def test_balance_is_in_pounds_and_positive_in_credit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_simulator: Any, entry_data: Any
) -> None:
    freezer.move_to("2025-01-08T10:13:00+00:00")
    entry = make_entry(entry_data)
    await setup_entry(hass, entry)
    state = _state(hass, f"{entry.unique_id}_account_balance")
    assert float(state.state) == 45.23
    assert state.attributes["unit_of_measurement"] == "GBP"
    assert state.attributes["device_class"] == "monetary"


async def test_tariff_sensor_names_the_agreement_in_force(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_simulator: Any, entry_data: Any
) -> None:
    freezer.move_to("2025-01-08T10:13:00+00:00")
    entry = make_entry(entry_data)
    await setup_entry(hass, entry)
    state = _state(hass, f"{entry.unique_id}_{IMPORT.key}_tariff")
    assert state.state == "E-1R-AGILE-24-10-01-C"


async def test_smets2_gas_is_converted_to_kwh_and_says_so(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_simulator: Any, entry_data: Any
) -> None:
    freezer.move_to("2025-01-08T10:13:00+00:00")
    entry = make_entry(entry_data, calorific_value=40.0)
    await setup_entry(hass, entry)
    gas = entry.runtime_data.consumption[
        f"gas_import_{GAS_MPRN}_{entry_data['gas_meters'][0]['serial_number']}"
    ]
    state = _state(hass, f"{entry.unique_id}_{gas.meter.key}_previous_day_consumption")
    assert state.attributes["unit_reported"] == "m³"
    assert state.attributes["converted_to_kwh"] is True
    assert state.attributes["calorific_value"] == 40.0
    day = gas.data.previous_day
    raw = sum(u.raw for u in day.half_hours)
    assert float(state.state) == pytest.approx(float(raw) * 1.02264 * 40.0 / 3.6, abs=0.002)


async def test_home_mini_reports_demand_and_today_then_backs_off_when_quiet(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: Any,
    advance: Advance,
) -> None:
    freezer.move_to("2025-01-08T10:13:00+00:00")
    entry = make_entry(entry_data, home_mini=True)
    await setup_entry(hass, entry)
    prefix = f"{entry.unique_id}_home_mini_{ESME_DEVICE_ID}"
    demand = _state(hass, f"{prefix}_home_mini_demand")
    today = _state(hass, f"{prefix}_home_mini_consumption_today")
    cost = _state(hass, f"{prefix}_home_mini_cost_today")
    assert float(demand.state) > 0
    assert demand.attributes["unit_of_measurement"] == "W"
    assert float(today.state) > 0
    assert today.attributes["state_class"] == "total_increasing"
    assert float(cost.state) > 0
    first = float(today.state)

    # A minute or two later, today's consumption has grown.
    await advance(datetime.fromisoformat("2025-01-08T10:20:00+00:00"))
    assert float(_state(hass, f"{prefix}_home_mini_consumption_today").state) > first

    # The Home Mini goes quiet: no demand shown, and only a few requests an hour.
    octopus_simulator.state.telemetry_unavailable.add(ESME_DEVICE_ID)
    await advance(datetime.fromisoformat("2025-01-08T10:28:00+00:00"))
    assert _state(hass, f"{prefix}_home_mini_demand").state == STATE_UNKNOWN
    octopus_simulator.reset_log()
    await advance(datetime.fromisoformat("2025-01-08T11:58:00+00:00"))
    assert octopus_simulator.count(operation="SmartMeterTelemetry") <= 4


async def test_home_mini_today_after_a_restart_mid_half_hour_is_the_register_since_midnight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: Any,
    advance: Advance,
) -> None:
    """Today's consumption is what the meter's register counted since midnight, restarts or not.

    The half-hourly history's row of the half-hour in progress must not be counted on top of
    the live readings of that half-hour (the soak's "today" stayed wrong until midnight).
    """
    freezer.move_to("2025-01-08T10:13:00+00:00")
    entry = make_entry(entry_data, home_mini=True)
    await setup_entry(hass, entry)
    await advance(datetime.fromisoformat("2025-01-08T10:20:00+00:00"))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await settle(hass)  # the Home Mini starts as a background task
    # Independent of the integration: the simulator's own register since UK midnight.
    sim = octopus_simulator.simulator
    point = octopus_simulator.state.electricity_point(AGILE_IMPORT_MPAN)[2]
    midnight = datetime.fromisoformat("2025-01-08T00:00:00+00:00")
    first = telemetry.readings(sim, point, None, midnight, midnight + timedelta(minutes=30), 1800)
    at_midnight = Decimal(first[0]["consumption"]) - Decimal(first[0]["consumptionDelta"])
    now = Decimal(telemetry.latest(sim, point, None)[0]["consumption"])
    expected = (now - at_midnight) / 1000
    prefix = f"{entry.unique_id}_home_mini_{ESME_DEVICE_ID}"
    state = _state(hass, f"{prefix}_home_mini_consumption_today").state
    today = Decimal(state)
    assert abs(today - expected) < Decimal("0.001"), (today, expected)


async def test_home_mini_half_hours_missed_in_an_outage_keep_their_own_energy(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: Any,
    advance: Advance,
) -> None:
    """After polls failed across half-hours, each half-hour of today has what the meter counted.

    Crediting the whole gap to the half-hour of the next reading priced an outage's energy at
    the wrong half-hour's rate for the rest of the day (the soak's cost today stayed wrong).
    """
    freezer.move_to("2025-01-08T10:13:00+00:00")
    entry = make_entry(entry_data, home_mini=True)
    await setup_entry(hass, entry)
    await advance(datetime.fromisoformat("2025-01-08T10:20:00+00:00"))
    octopus_simulator.faults.inject(FaultKind.SERVER_ERROR, 10**6)
    await advance(datetime.fromisoformat("2025-01-08T11:40:00+00:00"))
    octopus_simulator.faults.clear()
    await advance(datetime.fromisoformat("2025-01-08T12:10:00+00:00"))
    data = entry.runtime_data.telemetry[ESME_DEVICE_ID].data
    assert data is not None
    assert data.read_at is not None
    # Independent of the integration: the simulator's half-hourly telemetry.
    sim = octopus_simulator.simulator
    point = octopus_simulator.state.electricity_point(AGILE_IMPORT_MPAN)[2]
    midnight = datetime.fromisoformat("2025-01-08T00:00:00+00:00")
    current = datetime.fromisoformat("2025-01-08T12:00:00+00:00")
    rows = telemetry.readings(sim, point, None, midnight, current, 1800)
    expected = {
        datetime.fromisoformat(row["readAt"]): Decimal(row["consumptionDelta"]) / 1000
        for row in rows
    }
    completed = {slot: kwh for slot, kwh in data.by_half_hour.items() if slot < current}
    assert completed == expected
