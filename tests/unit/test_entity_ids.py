"""The object-id table agrees with the entity names users see."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.util import slugify

from custom_components.octopus_kraken.entity_ids import (
    OBJECT_ID_SUFFIXES,
    account_object_prefix,
    meter_object_prefix,
)
from custom_components.octopus_kraken.meters import Fuel, MeterConfig
from tests.ids import account, electricity, gas

TRANSLATIONS = (
    Path(__file__).resolve().parents[2] / "custom_components/octopus_kraken/translations/en.json"
)


def test_each_object_id_tail_is_the_english_name_in_snake_case() -> None:
    names = {
        key: entity["name"]
        for platform in json.loads(TRANSLATIONS.read_text())["entity"].values()
        for key, entity in platform.items()
        if "name" in entity
    }
    assert {key: slugify(names[key]) for key in OBJECT_ID_SUFFIXES} == OBJECT_ID_SUFFIXES


def test_ids_follow_the_readme_rule_and_name_no_meter_number_serial_or_account() -> None:
    serial, mpan, export_mpan, mprn = "22L4381234", "1200012345679", "1200098765433", "8879876503"
    meters = {
        meter_object_prefix(MeterConfig(Fuel.ELECTRICITY, mpan, serial)): electricity(serial, mpan),
        meter_object_prefix(MeterConfig(Fuel.ELECTRICITY, export_mpan, serial, is_export=True)): (
            electricity(serial, export_mpan, export=True)
        ),
        meter_object_prefix(MeterConfig(Fuel.GAS, mprn, "E6S12345678924")): (
            gas("E6S12345678924", mprn)
        ),
        account_object_prefix("A-1234ABCD"): account("A-1234ABCD"),
    }
    assert list(meters) == list(meters.values())
    assert len(set(meters)) == 4
    for prefix in meters:
        for personal in (serial, mpan, export_mpan, mprn, "e6s12345678924", "a1234abcd"):
            assert personal.lower() not in prefix
