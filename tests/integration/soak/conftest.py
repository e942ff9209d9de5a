"""Fixtures of the soak: the two homes, their entries and the meters whose costs are compared."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_HOME_MINI,
    CONF_TELEMETRY_INTERVAL,
    DEFAULT_TELEMETRY_INTERVAL,
    DOMAIN,
)
from custom_components.octopus_kraken.meters import MeterConfig
from octopus_simulator.scenario import (
    ACCOUNT_INTELLIGENT,
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    GAS_METER_SERIAL,
    GAS_MPRN,
    INTELLIGENT_METER_SERIAL,
    INTELLIGENT_MPAN,
    VEHICLE_DEVICE_ID,
    Scenario,
    default_scenario,
)

from ..billing.harness import electricity, gas, make_entry
from ..conftest import intelligent_go_entry


@pytest.fixture
def octopus_simulator_scenario() -> Scenario:
    """The default world with the Intelligent Go car plugged in every evening."""
    scenario = default_scenario(seed=1)
    account = next(a for a in scenario.accounts if a.number == ACCOUNT_INTELLIGENT)
    next(d for d in account.devices if d.id == VEHICLE_DEVICE_ID).connected = True
    return scenario


@pytest.fixture
def home_mini_interval() -> int:
    """Seconds between Home Mini reads (the option's default; the short soak reads less often)."""
    return DEFAULT_TELEMETRY_INTERVAL


@pytest.fixture
def homes(
    entry_data: dict[str, Any], octopus_simulator: Any, home_mini_interval: int
) -> list[MockConfigEntry]:
    """Agile + export + gas (with its Home Mini), and Intelligent Octopus Go with its car."""
    base = make_entry(entry_data, 2)
    agile = MockConfigEntry(
        domain=DOMAIN,
        title=base.title,
        unique_id=base.unique_id,
        data=base.data,
        options={
            **base.options,
            CONF_HOME_MINI: True,
            CONF_TELEMETRY_INTERVAL: home_mini_interval,
        },
        version=1,
        minor_version=1,
    )
    intelligent = intelligent_go_entry(octopus_simulator, {**base.options, CONF_HOME_MINI: False})
    return [agile, intelligent]


@pytest.fixture
def soak_meters() -> dict[str, MeterConfig]:
    """The meters whose hourly cost statistics the soak compares."""
    return {
        AGILE_IMPORT_MPAN: electricity(AGILE_IMPORT_MPAN, AGILE_METER_SERIAL),
        AGILE_EXPORT_MPAN: electricity(AGILE_EXPORT_MPAN, AGILE_METER_SERIAL, export=True),
        GAS_MPRN: gas(GAS_MPRN, GAS_METER_SERIAL),
        INTELLIGENT_MPAN: electricity(INTELLIGENT_MPAN, INTELLIGENT_METER_SERIAL),
    }


@pytest.fixture
def uses_statistics() -> bool:
    """The soak compares cost statistics: the harness's recorder runs."""
    return True
