"""The object-id table agrees with the entity names users see."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.util import slugify

from custom_components.octopus_kraken.entity_ids import OBJECT_ID_SUFFIXES, id_token

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


def test_a_part_of_an_id_is_one_token_of_letters_and_digits() -> None:
    assert id_token("22L4 381-234") == "22l4381234"
    assert id_token("A-1234ABCD") == "a1234abcd"
    assert id_token("--") == "unknown"
