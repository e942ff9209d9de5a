"""Statistic ids and metadata of the energy dashboard series (no recorder needed)."""

from __future__ import annotations

from homeassistant.components.recorder.models import StatisticMetaData

from custom_components.octopus_kraken.api import Fuel
from custom_components.octopus_kraken.runtime import MeterConfig
from custom_components.octopus_kraken.statistics import statistic_id, statistic_metadata

METER = MeterConfig(fuel=Fuel.ELECTRICITY, mpxn="1200000000014", serial="22L4381884")


def test_statistic_ids_are_lowercase_and_hide_the_meter_numbers() -> None:
    ident = statistic_id(METER, "consumption")
    assert ident.startswith("octopus_kraken:electricity_import_")
    assert ident.endswith("_consumption")
    assert METER.mpxn not in ident
    assert METER.serial.lower() not in ident
    assert ident == ident.lower()
    gas = MeterConfig(fuel=Fuel.GAS, mpxn="8879876503", serial="E6S12345678924")
    export = MeterConfig(Fuel.ELECTRICITY, "1200000000022", "22L4381884", is_export=True)
    assert statistic_id(gas, "cost").startswith("octopus_kraken:gas_")
    assert statistic_id(export, "income").startswith("octopus_kraken:electricity_export_")


def test_metadata_names_unit_class_only_where_the_recorder_knows_it() -> None:
    keys = StatisticMetaData.__required_keys__ | StatisticMetaData.__optional_keys__
    energy = statistic_metadata(METER, "consumption")
    money = statistic_metadata(METER, "cost")
    assert energy["unit_of_measurement"] == "kWh"
    assert money["unit_of_measurement"] == "GBP"
    assert energy["has_sum"] is True
    assert energy["source"] == "octopus_kraken"
    if "unit_class" in keys:
        assert energy.get("unit_class") == "energy"
        assert money.get("unit_class") is None
    else:
        assert "unit_class" not in energy
