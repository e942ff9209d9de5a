"""Every rates tool configuration the README gives, checked against the tool's contract.

The configurations are read from the README's own code blocks, and the states they point at are
serialised as Home Assistant's JSON encoder writes them (what other programs receive), then read
the way each tool reads them (consumers.md): Predbat, octopus-energy-rates-card, ApexCharts and
the Nord Pool-style tools.
"""

from __future__ import annotations

from datetime import UTC, datetime
import re

from homeassistant.core import HomeAssistant

from tests.ids import AGILE_IMPORT
from tests.readme import README, STRICT_ISO, readme_blocks, readme_yaml, served

from ..conftest import Advance
from .conftest import SetUpAt

AFTER_PUBLICATION = datetime(2026, 10, 20, 15, 20, tzinfo=UTC)  # 16:20 BST: tomorrow is known
START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)


async def settle_after_publication(set_up_at: SetUpAt, advance: Advance) -> None:
    await set_up_at(START)
    await advance(AFTER_PUBLICATION)


async def test_the_readmes_rates_card_colours_rows_by_the_cards_own_rule(
    hass: HomeAssistant, set_up_at: SetUpAt, advance: Advance
) -> None:
    """The card multiplies each value, then compares it with the limits: limits are in pence."""
    await settle_after_publication(set_up_at, advance)
    card = readme_yaml("custom:octopus-energy-rates-card")
    multiplier = card.get("multiplier", 100)
    low, medium, high = card["lowlimit"], card["mediumlimit"], card["highlimit"]
    assert low < medium < high
    shown: list[float] = []
    for key in ("currentEntity", "futureEntity"):
        rates = served(hass, card[key])["attributes"]["rates"]
        assert rates, key  # the card throws when the current entity has none
        for item in rates:
            assert datetime.fromisoformat(item["start"]).tzinfo is not None
            shown.append(item["value_inc_vat"] * multiplier)
    bands = {
        "red"
        if value > high
        else "orange"
        if value > medium
        else "green"
        if value > low
        else "blue"
        for value in shown
    }
    # An Agile day spans cheap nights and the evening peak: one colour for all is a unit mistake.
    assert len(bands) >= 2, bands


async def test_the_readmes_apexcharts_series_have_a_time_for_every_item(
    hass: HomeAssistant, set_up_at: SetUpAt, advance: Advance
) -> None:
    await settle_after_publication(set_up_at, advance)
    chart = readme_yaml("custom:apexcharts-card")
    for series in chart["series"]:
        assert "entity.attributes.rates" in series["data_generator"]
        rates = served(hass, series["entity"])["attributes"]["rates"]
        assert rates, series["entity"]
        for item in rates:
            # new Date(item.start).getTime() is a number for strict ISO 8601 with an offset.
            assert STRICT_ISO.match(item["start"]), item
            assert isinstance(item["value_inc_vat"], float)


async def test_the_readmes_predbat_lines_lead_predbat_to_rates_and_a_standing_charge(
    hass: HomeAssistant, set_up_at: SetUpAt, advance: Advance
) -> None:
    await settle_after_publication(set_up_at, advance)
    apps = readme_yaml("metric_octopus_import")
    for key, direction in (
        ("metric_octopus_import", "import"),
        ("metric_octopus_export", "export"),
    ):
        current = apps[key]
        assert "_current_rate" in current  # else Predbat takes the Nord Pool path
        assert served(hass, current)["attributes"]["tariff_code"].startswith("E-1R-")
        days = []
        for suffix in ("_previous_day_rates", "_current_day_rates", "_next_day_rates"):
            event_id = current.replace("_current_rate", suffix).replace("sensor.", "event.")
            rates = served(hass, event_id)["attributes"]["rates"]
            for item in rates:
                assert set(item) >= {"start", "end", "value_inc_vat"}
                assert STRICT_ISO.match(item["start"]), item
                assert STRICT_ISO.match(item["end"]), item
            days.append(len(rates))
        assert days == [48, 48, 46], key
        # Export tariffs are the OUTGOING products: the line must lead to the export meter.
        tariff = served(hass, current)["attributes"]["tariff_code"]
        assert ("OUTGOING" in tariff) is (direction == "export"), (key, tariff)
    standing = served(hass, apps["metric_standing_charge"])
    assert standing["attributes"]["unit_of_measurement"] == "GBP/day"
    assert 0.1 < float(standing["state"]) < 1.0  # GBP/day: Predbat's x100 gives pence


async def test_the_readmes_nord_pool_style_tools_find_raw_today_and_tomorrow(
    hass: HomeAssistant, set_up_at: SetUpAt, advance: Advance
) -> None:
    await settle_after_publication(set_up_at, advance)
    (macro,) = [block for block in readme_blocks("jinja") if "cheapest_energy_hours" in block]
    entity_id = re.search(r"'(sensor\.[a-z0-9_]+)'", macro)
    assert entity_id is not None
    attributes = served(hass, entity_id.group(1))["attributes"]
    time_key = re.search(r"time_key='(\w+)'", macro)
    value_key = re.search(r"value_key='(\w+)'", macro)
    assert time_key is not None
    assert value_key is not None
    for attribute in re.findall(r"attr_(?:today|tomorrow)='(\w+)'", macro):
        items = attributes[attribute]
        assert items, attribute
        for item in items:
            assert STRICT_ISO.match(item[time_key.group(1)]), item
            assert isinstance(item[value_key.group(1)], float)
    assert f"sensor.{AGILE_IMPORT}_current_rate" in README.read_text()
