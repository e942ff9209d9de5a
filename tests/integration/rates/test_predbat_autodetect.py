"""Predbat's shipped auto-configuration patterns, applied to the states Home Assistant lists.

The patterns are those of Predbat's `apps.yaml` templates (consumers.md, Predbat v8.51.1); Predbat
anchors each (``^…$``), walks the states in the order Home Assistant lists them and takes the
first match. The states are those every program receives from ``/api/states``.
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import JSONEncoder
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    CONF_IS_EXPORT,
    CONF_MPAN,
    CONF_SERIAL,
)
from octopus_simulator.scenario import ElectricityMeter, ElectricityMeterPoint, make_mpan
from tests.ids import AGILE_EXPORT, AGILE_GAS, AGILE_IMPORT, INTELLIGENT_IMPORT, electricity
from tests.readme import readme_yaml

from ..conftest import intelligent_go_entry, settle

_METER = r"sensor.(octopus_energy_|)electricity_[0-9a-z]+_[0-9a-z]+"
PREDBAT_PATTERNS = {  # written as consumers.md quotes them, split only for line length
    "metric_octopus_import": "(" + _METER + r"_current_rate)",
    "metric_octopus_export": "(" + _METER + r"_export_current_rate)",
    "metric_standing_charge": "(" + _METER + r"_current_standing_charge)",
}
AT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
OPTIONS = {CONF_IMPORT_STATISTICS: False, CONF_HOME_MINI: False, CONF_BACKFILL_DAYS: 1}
# A second import meter at the Agile home (a second supply, e.g. a heat pump's own MPAN).
SECOND_SERIAL = "23P0077001"
SECOND_MPAN = make_mpan("120005550001")
SECOND_IMPORT = electricity(SECOND_SERIAL, SECOND_MPAN)


def listed_states(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Every state as ``/api/states`` serialises it, in Home Assistant's order."""
    return [
        json.loads(json.dumps(state.as_dict(), cls=JSONEncoder))
        for state in hass.states.async_all()
    ]


def candidates(pattern: str, states: list[dict[str, Any]]) -> list[str]:
    """Every entity id the anchored pattern matches, in listing order (Predbat takes the first)."""
    anchored = re.compile(f"^{pattern}$")
    found = []
    for state in states:
        match = anchored.search(state["entity_id"])
        if match:
            found.append(match.group(1))
    return found


def events_after_substitution(current: str) -> list[str]:
    """The three ids Predbat derives from a current-rate id (``fetch_octopus_rates``)."""
    return [
        current.replace("_current_rate", suffix).replace("sensor.", "event.")
        for suffix in ("_previous_day_rates", "_current_day_rates", "_next_day_rates")
    ]


async def set_up(hass: HomeAssistant, entries: list[MockConfigEntry]) -> list[dict[str, Any]]:
    for entry in entries:
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    return listed_states(hass)


def agile_entry(entry_data: dict[str, Any], *more_meters: dict[str, Any]) -> MockConfigEntry:
    data = dict(entry_data)
    title = data.pop("title")
    data[CONF_DEVICES] = []
    data[CONF_ELECTRICITY_METERS] = [*data[CONF_ELECTRICITY_METERS], *more_meters]
    return MockConfigEntry(
        domain="octopus_kraken",
        title=title,
        unique_id=data["account_number"],
        data=data,
        options=OPTIONS,
        version=1,
        minor_version=2,
    )


async def test_predbat_finds_the_import_the_export_and_the_standing_charge_of_one_home(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry_data: dict[str, Any]
) -> None:
    """Import, export and gas on one account: each pattern finds exactly its meter, unaided."""
    freezer.move_to(AT)
    states = await set_up(hass, [agile_entry(entry_data)])
    found = {key: candidates(pattern, states) for key, pattern in PREDBAT_PATTERNS.items()}

    assert found == {
        "metric_octopus_import": [f"sensor.{AGILE_IMPORT}_current_rate"],
        "metric_octopus_export": [f"sensor.{AGILE_EXPORT}_current_rate"],
        "metric_standing_charge": [f"sensor.{AGILE_IMPORT}_current_standing_charge"],
    }
    # The README says its written-out lines are what the patterns resolve to.
    apps = readme_yaml("metric_octopus_import")
    assert {key: [apps[key]] for key in PREDBAT_PATTERNS} == found
    by_id = {state["entity_id"]: state for state in states}
    for key, tariff in (
        ("metric_octopus_import", "AGILE-24"),
        ("metric_octopus_export", "OUTGOING"),
    ):
        (current,) = found[key]
        assert tariff in by_id[current]["attributes"]["tariff_code"]
        for event_id in events_after_substitution(current):
            assert "rates" in by_id[event_id]["attributes"], event_id
    (standing,) = found["metric_standing_charge"]
    assert by_id[standing]["attributes"]["unit_of_measurement"] == "GBP/day"
    # Gas never passes for electricity.
    assert not any(AGILE_GAS in entity for ids in found.values() for entity in ids)


async def test_two_import_meters_and_two_accounts_never_share_or_cross_an_entity_id(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry_data: dict[str, Any],
    octopus_simulator: Any,
) -> None:
    """Two import meters in one account plus a second account: no ``_2``, no export as import.

    With more than one import meter Predbat's import pattern matches each of them and takes the
    first listed: which home Predbat plans is the user's choice (the README says to write the
    line then), but the pattern never lands on an export or gas meter.
    """
    freezer.move_to(AT)
    home = octopus_simulator.state.accounts[0].properties[0]
    first = home.electricity_meter_points[0]
    home.electricity_meter_points.append(
        ElectricityMeterPoint(
            SECOND_MPAN, "_C", [ElectricityMeter(SECOND_SERIAL)], list(first.agreements)
        )
    )
    second = {CONF_MPAN: SECOND_MPAN, CONF_SERIAL: SECOND_SERIAL, CONF_IS_EXPORT: False}
    states = await set_up(
        hass,
        [agile_entry(entry_data, second), intelligent_go_entry(octopus_simulator, OPTIONS)],
    )

    ids = [state["entity_id"] for state in states]
    assert len(ids) == len(set(ids))
    assert not [entity for entity in ids if re.search(r"_\d$", entity) and "rate" in entity]
    imports = {AGILE_IMPORT, SECOND_IMPORT, INTELLIGENT_IMPORT}
    found = {key: candidates(pattern, states) for key, pattern in PREDBAT_PATTERNS.items()}
    assert sorted(found["metric_octopus_import"]) == sorted(
        f"sensor.{prefix}_current_rate" for prefix in imports
    )
    assert sorted(found["metric_standing_charge"]) == sorted(
        f"sensor.{prefix}_current_standing_charge" for prefix in imports
    )
    assert found["metric_octopus_export"] == [f"sensor.{AGILE_EXPORT}_current_rate"]
    # Whichever import Predbat takes, its substitution lands on that meter's own events.
    by_id = {state["entity_id"]: state for state in states}
    for current in found["metric_octopus_import"]:
        prefix = current.removeprefix("sensor.").removesuffix("_current_rate")
        for event_id in events_after_substitution(current):
            assert event_id.startswith(f"event.{prefix}_")
            assert "rates" in by_id[event_id]["attributes"], event_id
