"""The ``octopus_kraken.find_cheapest_window`` action: answers and translated refusals."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import DOMAIN

from .conftest import OpenWindow, priced, utc

SERVICE = "find_cheapest_window"


@pytest.fixture
async def entry(open_window: OpenWindow) -> MockConfigEntry:
    """A loaded entry at 21:00 on 15 January with import prices known until the 17th."""
    cheap = priced(
        utc(2026, 1, 15),
        utc(2026, 1, 17),
        {utc(2026, 1, 16, 2): 20, utc(2026, 1, 16, 2, 30): 21, utc(2026, 1, 16, 5): 19},
    )
    return await open_window(utc(2026, 1, 15, 21), prices=cheap)  # type: ignore[no-any-return]


async def find(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Call the action and hand back its response."""
    response = await hass.services.async_call(
        DOMAIN, SERVICE, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def test_a_nightly_window_by_times_answers_with_slots_and_prices(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """22:00 to 07:00, one hour in a row: 02:00-03:00 at 20.5p on average."""
    response = await find(
        hass, config_entry_id=entry.entry_id, start="22:00", end="07:00", duration=1
    )
    assert response == {
        "meter": "import",
        "window_start": "2026-01-15T22:00:00+00:00",
        "window_end": "2026-01-16T07:00:00+00:00",
        "slots": [
            {
                "start": "2026-01-16T02:00:00+00:00",
                "end": "2026-01-16T02:30:00+00:00",
                "value": 0.2,
            },
            {
                "start": "2026-01-16T02:30:00+00:00",
                "end": "2026-01-16T03:00:00+00:00",
                "value": 0.21,
            },
        ],
        "periods": [
            {
                "start": "2026-01-16T02:00:00+00:00",
                "end": "2026-01-16T03:00:00+00:00",
                "duration": 1.0,
                "min_price": 0.2,
                "max_price": 0.21,
                "average_price": 0.205,
            }
        ],
        "duration": 1.0,
        "total": 0.41,
        "min": 0.2,
        "max": 0.21,
        "average": 0.205,
        "current_start": None,
        "current_end": None,
        "current_duration": None,
        "current_min_price": None,
        "current_max_price": None,
        "current_average_price": None,
        "next_start": "2026-01-16T02:00:00+00:00",
        "next_end": "2026-01-16T03:00:00+00:00",
        "next_duration": 1.0,
        "next_min_price": 0.2,
        "next_max_price": 0.21,
        "next_average_price": 0.205,
        "complete": True,
        "reason": None,
    }


async def test_intermittent_search_between_datetimes_takes_the_cheapest_half_hours(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Any two half-hours: 05:00 (19p) and 02:00 (20p), in time order, offset 10 minutes early."""
    response = await find(
        hass,
        config_entry_id=entry.entry_id,
        start="2026-01-16T00:00:00+00:00",
        end="2026-01-16 07:00:00",
        duration=1,
        mode="intermittent",
        start_offset=-10,
    )
    assert [slot["start"] for slot in response["slots"]] == [
        "2026-01-16T02:00:00+00:00",
        "2026-01-16T05:00:00+00:00",
    ]
    assert response["periods"] == [
        {
            "start": "2026-01-16T01:50:00+00:00",
            "end": "2026-01-16T02:20:00+00:00",
            "duration": 0.5,
            "min_price": 0.2,
            "max_price": 0.2,
            "average_price": 0.2,
        },
        {
            "start": "2026-01-16T04:50:00+00:00",
            "end": "2026-01-16T05:20:00+00:00",
            "duration": 0.5,
            "min_price": 0.19,
            "max_price": 0.19,
            "average_price": 0.19,
        },
    ]
    assert response["total"] == 0.39
    assert (response["duration"], response["min"], response["max"]) == (1.0, 0.19, 0.2)
    assert response["next_start"] == "2026-01-16T01:50:00+00:00"
    assert response["next_average_price"] == 0.2
    assert response["current_start"] is None


async def test_a_rolling_search_respects_the_price_cap(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Twelve hours ahead, two hours wanted, nothing above 20p: only the 19p and 20p slots."""
    args = {"config_entry_id": entry.entry_id, "hours": 12, "duration": 2, "max_price": 0.2}
    exact = await find(hass, **args, mode="intermittent")
    assert exact["slots"] == []  # exactly two hours, or nothing
    assert exact["reason"] == "not_enough_slots"
    response = await find(hass, **args, mode="intermittent", duration_mode="at_most")
    assert response["window_start"] == "2026-01-15T21:00:00+00:00"
    assert response["window_end"] == "2026-01-16T09:00:00+00:00"
    assert [slot["value"] for slot in response["slots"]] == [0.2, 0.19]
    assert response["reason"] == "not_enough_slots"
    assert response["complete"] is True


async def test_a_window_beyond_the_known_prices_says_so(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Prices end on the 17th: a search into the 17th is incomplete, or partial when allowed."""
    args = {
        "config_entry_id": entry.entry_id,
        "start": "2026-01-16T20:00:00+00:00",
        "end": "2026-01-17T04:00:00+00:00",
        "duration": 1,
    }
    refused = await find(hass, **args)
    assert refused["slots"] == []
    assert refused["reason"] == "rates_unknown"
    partial = await find(hass, **args, allow_partial=True)
    assert partial["complete"] is False
    assert len(partial["slots"]) == 2


async def test_a_weighting_chooses_by_weighted_cost(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Weights 0,1 count only the second half-hour: 04:30-05:30 (19p second), not 02:00."""
    args = {
        "config_entry_id": entry.entry_id,
        "start": "2026-01-16T00:00:00+00:00",
        "end": "2026-01-16T07:00:00+00:00",
        "duration": 1,
    }
    plain = await find(hass, **args)
    weighted = await find(hass, **args, weighting="0,1")
    assert plain["periods"][0]["start"] == "2026-01-16T02:00:00+00:00"
    assert weighted["periods"][0]["start"] == "2026-01-16T04:30:00+00:00"


async def test_at_least_adds_every_half_hour_within_the_price_limit(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """At least half an hour (05:00, 19p), plus every half-hour at or under 20.5p (02:00)."""
    response = await find(
        hass,
        config_entry_id=entry.entry_id,
        start="2026-01-16T00:00:00+00:00",
        end="2026-01-16T07:00:00+00:00",
        duration=0.5,
        mode="intermittent",
        duration_mode="at_least",
        max_price=0.205,
    )
    assert [slot["start"] for slot in response["slots"]] == [
        "2026-01-16T02:00:00+00:00",
        "2026-01-16T05:00:00+00:00",
    ]


async def test_a_rolling_search_can_skip_a_nearly_finished_half_hour(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """At 21:00 a whole half-hour is left: with 30 minutes required it still counts."""
    response = await find(
        hass, config_entry_id=entry.entry_id, hours=2, duration=1, min_minutes_left=29
    )
    assert response["window_start"] == "2026-01-15T21:00:00+00:00"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"hours": 4, "weighting": "a"}, "weighting_invalid"),
        ({"hours": 4, "weighting": "1*", "mode": "intermittent"}, "weighting_needs_continuous"),
        ({"hours": 4, "weighting": "1,2,3"}, "weighting_length"),
        ({"hours": 4, "duration_mode": "at_least"}, "at_least_needs_price_limit"),
        ({"start": "2026-01-16T07:00:00", "end": "2026-01-16T01:00:00"}, "window_end_before_start"),
        ({"start": "2026-01-16T07:00:00", "end": "2026-01-16T07:00:00"}, "window_end_before_start"),
        ({"hours": 0}, "window_end_before_start"),
        ({"start": "22:00", "end": "23:00", "duration": 2}, "duration_longer_than_window"),
        ({"hours": 1, "duration": 1.5}, "duration_longer_than_window"),
        ({"hours": 4, "duration": 0.75}, "duration_not_half_hours"),
        ({"hours": 4, "duration": 0}, "duration_not_half_hours"),
        ({}, "window_missing"),
        ({"start": "22:00"}, "window_missing"),
        ({"start": "22:00", "end": "07:00", "hours": 4}, "window_conflict"),
        ({"start": "22:00", "end": "2026-01-16T07:00:00"}, "window_mixed"),
        ({"hours": 4, "min_price": 0.3, "max_price": 0.1}, "min_price_above_max_price"),
        ({"hours": 4, "meter": "gas"}, "meter_not_found"),
        ({"hours": 4, "meter": "export"}, "rates_not_loaded"),
    ],
)
async def test_bad_requests_are_refused_with_a_translated_reason(
    hass: HomeAssistant, entry: MockConfigEntry, data: dict[str, Any], key: str
) -> None:
    """Every mistake has its own message."""
    call = {"config_entry_id": entry.entry_id, "duration": 1, **data}
    with pytest.raises(ServiceValidationError) as raised:
        await find(hass, **call)
    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == key


async def test_an_unknown_entry_is_refused(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """A made-up entry id."""
    with pytest.raises(ServiceValidationError) as raised:
        await find(hass, config_entry_id="nope", hours=4, duration=1)
    assert raised.value.translation_key == "entry_not_found"
    assert raised.value.translation_placeholders == {"entry_id": "nope"}


async def test_an_entry_that_is_not_loaded_is_refused(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """An entry that failed to start (or was disabled) has no rates to search."""
    other = MockConfigEntry(domain=DOMAIN, title="Other account", data={})
    other.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as raised:
        await find(hass, config_entry_id=other.entry_id, hours=4, duration=1)
    assert raised.value.translation_key == "entry_not_loaded"
