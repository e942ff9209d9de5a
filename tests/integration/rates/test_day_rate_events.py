"""Day-rates event entities, read the way Predbat reads them (consumers.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import re
from typing import Any

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers.json import JSONEncoder

from tests.ids import AGILE_EXPORT, AGILE_GAS, AGILE_IMPORT

from ..conftest import Advance
from .conftest import SetUpAt

START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)  # Tuesday 12:07 BST, Agile not yet published
STRICT_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
CURRENT_RATES = (
    f"sensor.{AGILE_IMPORT}_current_rate",
    f"sensor.{AGILE_EXPORT}_current_rate",
    f"sensor.{AGILE_GAS}_current_rate",
)
SUFFIXES = ("_previous_day_rates", "_current_day_rates", "_next_day_rates")


def predbat_ids(current_rate: str) -> list[str]:
    """Predbat's substitution: ``_current_rate`` -> day suffix, and the ``event.`` domain."""
    return [
        current_rate.replace("_current_rate", suffix).replace("sensor.", "event.")
        for suffix in SUFFIXES
    ]


def as_served(state: State | None) -> dict[str, Any]:
    """The state as ``/api/states`` and the websocket hand it to other programs."""
    assert state is not None
    served: dict[str, Any] = json.loads(json.dumps(state.as_dict(), cls=JSONEncoder))
    return served


async def test_predbats_ids_from_each_current_rate_land_on_event_entities_with_rates(
    hass: HomeAssistant, set_up_at: SetUpAt
) -> None:
    await set_up_at(START)
    for current in CURRENT_RATES:
        for event_id in predbat_ids(current):
            served = as_served(hass.states.get(event_id))
            sensor = as_served(hass.states.get(event_id.replace("event.", "sensor.")))
            rates = served["attributes"]["rates"]
            assert rates == sensor["attributes"]["rates"], event_id
            for item in rates:
                assert set(item) == {"start", "end", "value_inc_vat", "value_exc_vat"}
                assert STRICT_ISO.match(item["start"]), item
                assert STRICT_ISO.match(item["end"]), item
                assert isinstance(item["value_inc_vat"], float)
                # GBP/kWh: Predbat multiplies by 100 for pence; no UK price is £5/kWh.
                assert -5 < item["value_inc_vat"] < 5
    previous = as_served(hass.states.get(f"event.{AGILE_IMPORT}_previous_day_rates"))
    assert len(previous["attributes"]["rates"]) == 48
    assert previous["attributes"]["event_type"] == "rates_updated"


async def test_publication_fires_the_next_day_event_and_a_slot_boundary_does_not(
    hass: HomeAssistant, set_up_at: SetUpAt, advance: Advance
) -> None:
    await set_up_at(START)
    next_day = f"event.{AGILE_IMPORT}_next_day_rates"
    today = f"event.{AGILE_IMPORT}_current_day_rates"
    before = hass.states.get(next_day)
    assert before is not None
    assert before.attributes["rates"] == []
    today_before = hass.states.get(today)
    assert today_before is not None
    fired: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: fired.append(event.data["entity_id"])
        if event.data["entity_id"].startswith(f"event.{AGILE_IMPORT}")
        else None,
    )

    # Two slot boundaries and no new prices: nothing fires.
    await advance(START + timedelta(hours=1))
    assert fired == []
    assert hass.states.get(today) == today_before

    # Agile publishes at 16:00 UK time: the next-day event fires with tomorrow's 46 half-hours.
    await advance(datetime(2026, 10, 20, 15, 10, tzinfo=UTC))
    after = hass.states.get(next_day)
    assert after is not None
    assert after.state != before.state
    assert len(after.attributes["rates"]) == 46
    assert fired.count(next_day) == 1
