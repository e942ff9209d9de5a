"""Which energy sensor states a cost tracker can read, and in which unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from homeassistant.core import State
import pytest

from custom_components.octopus_kraken.cost_tracker_model import energy_reading

INCREASING = {"state_class": "total_increasing"}


@pytest.mark.parametrize(
    ("value", "attributes", "expected"),
    [
        ("1500", {**INCREASING, "unit_of_measurement": "Wh"}, (Decimal("1.5"), True, None)),
        ("2.5", {**INCREASING, "unit_of_measurement": "kWh"}, (Decimal("2.5"), True, None)),
        ("0.001", {**INCREASING, "unit_of_measurement": "MWh"}, (Decimal("1"), True, None)),
        (
            "3",
            {"state_class": "total", "unit_of_measurement": "kWh", "last_reset": "2026-01-01"},
            (Decimal(3), False, "2026-01-01"),
        ),
        ("unavailable", {**INCREASING, "unit_of_measurement": "kWh"}, None),
        ("nan", {**INCREASING, "unit_of_measurement": "kWh"}, None),
        ("5", {"state_class": "measurement", "unit_of_measurement": "kWh"}, None),
        ("5", {**INCREASING, "unit_of_measurement": "W"}, None),
    ],
)
def test_energy_readings_in_any_energy_unit_with_a_total_state_class(
    value: str, attributes: dict[str, Any], expected: Any
) -> None:
    reading = energy_reading(State("sensor.meter", value, attributes))
    assert reading is None if expected is None else reading == expected


def test_a_missing_sensor_has_no_reading() -> None:
    assert energy_reading(None) is None
