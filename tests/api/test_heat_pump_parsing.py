"""``heatPumpStatus`` parsing: ``isConnected`` strictly, the guessed fields leniently."""

from __future__ import annotations

from decimal import Decimal

import pytest

from custom_components.octopus_kraken.api.exceptions import OctopusResponseError
from custom_components.octopus_kraken.api.parsing.heat_pump import parse_heat_pump_status


def test_a_full_status_is_read() -> None:
    status = parse_heat_pump_status(
        {
            "isConnected": True,
            "climateControlStatus": {
                "climateControlEnabled": True,
                "targetClimateControlTemperature": 21,
                "currentClimateControlTemperature": "19.5",
            },
            "waterTemperatureStatus": {
                "waterTemperatureEnabled": False,
                "currentWaterTemperature": 48.25,
            },
        }
    )
    assert status is not None
    assert status.is_connected is True
    assert status.climate_control_enabled is True
    assert status.climate_target_temperature == Decimal(21)
    assert status.climate_current_temperature == Decimal("19.5")
    assert status.water_heating_enabled is False
    assert status.water_current_temperature == Decimal("48.25")


def test_missing_or_odd_zone_fields_read_as_unknown_and_fail_nothing() -> None:
    status = parse_heat_pump_status(
        {
            "isConnected": False,
            "climateControlStatus": {
                "climateControlEnabled": "yes",
                "targetClimateControlTemperature": "warm",
            },
            "waterTemperatureStatus": None,
        }
    )
    assert status is not None
    assert status.is_connected is False
    assert status.climate_control_enabled is None
    assert status.climate_target_temperature is None
    assert status.water_current_temperature is None


def test_no_heat_pump_reads_as_none_and_a_bad_connection_flag_is_an_error() -> None:
    assert parse_heat_pump_status(None) is None
    with pytest.raises(OctopusResponseError):
        parse_heat_pump_status({"isConnected": "true"})
