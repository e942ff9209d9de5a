"""The cheapest-window binary sensor, as a user sees it across a day, midnight and clock changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest

from custom_components.octopus_kraken import wakeup
from custom_components.octopus_kraken.const import DOMAIN
from custom_components.octopus_kraken.domain.timeline import RateTimeline

from ..conftest import Advance
from .conftest import (
    EXPORT_KEY,
    IMPORT_KEY,
    FakeRates,
    OpenWindow,
    half_hourly,
    priced,
    utc,
    window_subentry,
    with_prices,
)

ENTITY = "binary_sensor.dishwasher"


def state(hass: HomeAssistant) -> str:
    """The sensor's state."""
    current = hass.states.get(ENTITY)
    assert current is not None
    return current.state


def attrs(hass: HomeAssistant) -> dict[str, Any]:
    """The sensor's attributes."""
    current = hass.states.get(ENTITY)
    assert current is not None
    return dict(current.attributes)


def january_rates() -> RateTimeline:
    """Two winter days at 30p with 20p and 21p at 02:00 and 02:30 on 16 January."""
    return priced(
        utc(2026, 1, 15), utc(2026, 1, 17), {utc(2026, 1, 16, 2): 20, utc(2026, 1, 16, 2, 30): 21}
    )


async def test_sensor_is_on_exactly_during_the_cheapest_block(
    hass: HomeAssistant,
    advance: Advance,
    open_window: OpenWindow,
) -> None:
    """Off before, on from 02:00 to 03:00, off after; every edge without waiting for a poll."""
    await open_window(utc(2026, 1, 15, 21), window_subentry(), prices=january_rates())

    assert state(hass) == STATE_OFF
    shown = attrs(hass)
    assert shown["target_times"] == [
        {"start": "2026-01-16T02:00:00+00:00", "end": "2026-01-16T02:30:00+00:00", "value": 0.2},
        {"start": "2026-01-16T02:30:00+00:00", "end": "2026-01-16T03:00:00+00:00", "value": 0.21},
    ]
    assert shown["next_start"] == "2026-01-16T02:00:00+00:00"
    assert shown["next_end"] == "2026-01-16T03:00:00+00:00"
    assert shown["total_price"] == 0.41
    assert shown["average_price"] == 0.205
    assert shown["complete"] is True
    assert shown["reason"] is None
    assert shown["window_start"] == "2026-01-15T22:00:00+00:00"
    assert shown["window_end"] == "2026-01-16T07:00:00+00:00"
    assert shown["last_computed"] == "2026-01-15T21:00:00+00:00"

    await advance(utc(2026, 1, 16, 1, 59, 59))
    assert state(hass) == STATE_OFF
    await advance(utc(2026, 1, 16, 2))
    assert state(hass) == STATE_ON
    assert attrs(hass)["next_start"] is None
    await advance(utc(2026, 1, 16, 2, 30))
    assert state(hass) == STATE_ON
    await advance(utc(2026, 1, 16, 3))
    assert state(hass) == STATE_OFF


async def test_a_block_over_midnight_stays_on_through_midnight(
    hass: HomeAssistant,
    advance: Advance,
    open_window: OpenWindow,
) -> None:
    """23:30 to 00:30 is one block: the new day does not interrupt it."""
    cheap = priced(
        utc(2026, 1, 15), utc(2026, 1, 17), {utc(2026, 1, 15, 23, 30): 5, utc(2026, 1, 16, 0): 6}
    )
    await open_window(utc(2026, 1, 15, 20), window_subentry(), prices=cheap)

    await advance(utc(2026, 1, 15, 23, 30))
    assert state(hass) == STATE_ON
    await advance(utc(2026, 1, 16, 0))
    assert state(hass) == STATE_ON
    assert attrs(hass)["window_start"] == "2026-01-15T22:00:00+00:00"
    await advance(utc(2026, 1, 16, 0, 30))
    assert state(hass) == STATE_OFF
    # After 07:00 the sensor looks at the next night's window.
    await advance(utc(2026, 1, 16, 7))
    assert attrs(hass)["window_start"] == "2026-01-16T22:00:00+00:00"


async def test_spring_clock_change_night_is_an_hour_shorter_and_times_show_bst(
    hass: HomeAssistant,
    advance: Advance,
    open_window: OpenWindow,
) -> None:
    """On 29 March 2026 00:00-07:00 lasts six hours; 01:00 UTC is 02:00 BST."""
    cheap = priced(
        utc(2026, 3, 28), utc(2026, 3, 30), {utc(2026, 3, 29, 1): 3, utc(2026, 3, 29, 1, 30): 4}
    )
    night = window_subentry(start="00:00:00", end="07:00:00")
    await open_window(utc(2026, 3, 28, 20), night, prices=cheap)

    shown = attrs(hass)
    assert shown["window_start"] == "2026-03-29T00:00:00+00:00"
    assert shown["window_end"] == "2026-03-29T07:00:00+01:00"
    assert [slot["start"] for slot in shown["target_times"]] == [
        "2026-03-29T02:00:00+01:00",
        "2026-03-29T02:30:00+01:00",
    ]
    await advance(utc(2026, 3, 29, 0, 59))
    assert state(hass) == STATE_OFF
    await advance(utc(2026, 3, 29, 1))
    assert state(hass) == STATE_ON
    await advance(utc(2026, 3, 29, 2))
    assert state(hass) == STATE_OFF


async def test_autumn_clock_change_night_repeats_one_oclock(
    hass: HomeAssistant,
    advance: Advance,
    open_window: OpenWindow,
) -> None:
    """On 25 October 2026 the cheapest half-hours are both called 01:00, an hour apart."""
    cheap = priced(
        utc(2026, 10, 24), utc(2026, 10, 26), {utc(2026, 10, 25, 0): 2, utc(2026, 10, 25, 1): 2}
    )
    night = window_subentry(start="00:00:00", end="07:00:00", mode="intermittent")
    await open_window(utc(2026, 10, 24, 20), night, prices=cheap)

    shown = attrs(hass)
    assert shown["window_start"] == "2026-10-25T00:00:00+01:00"
    assert shown["window_end"] == "2026-10-25T07:00:00+00:00"
    assert [slot["start"] for slot in shown["target_times"]] == [
        "2026-10-25T01:00:00+01:00",
        "2026-10-25T01:00:00+00:00",
    ]
    await advance(utc(2026, 10, 25, 0))
    assert state(hass) == STATE_ON
    await advance(utc(2026, 10, 25, 0, 30))
    assert state(hass) == STATE_OFF
    await advance(utc(2026, 10, 25, 1))
    assert state(hass) == STATE_ON
    await advance(utc(2026, 10, 25, 1, 30))
    assert state(hass) == STATE_OFF


async def test_a_started_fixed_window_keeps_its_choice_when_prices_change(
    hass: HomeAssistant,
    advance: Advance,
    rates: dict[str, FakeRates],
    open_window: OpenWindow,
) -> None:
    """Before the window starts new prices move the choice; once it has started they do not."""
    await open_window(utc(2026, 1, 15, 21), window_subentry(), prices=january_rates())
    base = list(january_rates())

    # Before 22:00: a cheaper hour at 04:00 replaces 02:00.
    rates[IMPORT_KEY].publish(
        with_prices(base, {utc(2026, 1, 16, 4): 1, utc(2026, 1, 16, 4, 30): 1})
    )
    await hass.async_block_till_done()
    assert attrs(hass)["next_start"] == "2026-01-16T04:00:00+00:00"

    # After 22:00 an even cheaper hour at 05:00 changes nothing.
    await advance(utc(2026, 1, 15, 22, 30))
    rates[IMPORT_KEY].publish(
        with_prices(
            base,
            {
                utc(2026, 1, 16, 4): 1,
                utc(2026, 1, 16, 4, 30): 1,
                utc(2026, 1, 16, 5): 0,
                utc(2026, 1, 16, 5, 30): 0,
            },
        )
    )
    await hass.async_block_till_done()
    assert attrs(hass)["next_start"] == "2026-01-16T04:00:00+00:00"
    await advance(utc(2026, 1, 16, 4))
    assert state(hass) == STATE_ON
    await advance(utc(2026, 1, 16, 5))
    assert state(hass) == STATE_OFF


async def test_rolling_window_moves_as_later_slots_come_into_view(
    hass: HomeAssistant,
    advance: Advance,
    open_window: OpenWindow,
) -> None:
    """A 3-hour rolling window sees 14:00 only from 11:30 and then prefers it."""
    cheap = priced(
        utc(2026, 1, 15), utc(2026, 1, 16), {utc(2026, 1, 15, 12): 10, utc(2026, 1, 15, 14): 5}
    )
    rolling = window_subentry(window_type="rolling", hours=3, duration=0.5)
    await open_window(utc(2026, 1, 15, 10), rolling, prices=cheap)

    assert attrs(hass)["next_start"] == "2026-01-15T12:00:00+00:00"
    await advance(utc(2026, 1, 15, 11))
    assert attrs(hass)["window_start"] == "2026-01-15T11:00:00+00:00"
    assert attrs(hass)["next_start"] == "2026-01-15T12:00:00+00:00"
    await advance(utc(2026, 1, 15, 11, 30))
    assert attrs(hass)["window_end"] == "2026-01-15T14:30:00+00:00"
    assert attrs(hass)["next_start"] == "2026-01-15T14:00:00+00:00"
    await advance(utc(2026, 1, 15, 12))
    assert state(hass) == STATE_OFF
    await advance(utc(2026, 1, 15, 14))
    assert state(hass) == STATE_ON


async def test_tomorrows_agile_prices_at_16_00_fill_an_unknown_window(
    hass: HomeAssistant,
    advance: Advance,
    rates: dict[str, FakeRates],
    open_window: OpenWindow,
) -> None:
    """Off with reason ``rates_unknown`` until the prices appear, then the choice is made."""
    today = half_hourly(utc(2026, 1, 14, 23), utc(2026, 1, 15, 23))
    night = window_subentry(start="23:00:00", end="07:00:00")
    await open_window(utc(2026, 1, 15, 15), night, prices=RateTimeline(today))

    assert state(hass) == STATE_OFF
    assert attrs(hass)["reason"] == "rates_unknown"
    assert attrs(hass)["complete"] is False
    assert attrs(hass)["target_times"] == []

    await advance(utc(2026, 1, 15, 16, 5))
    tomorrow = half_hourly(utc(2026, 1, 15, 23), utc(2026, 1, 16, 23))
    rates[IMPORT_KEY].publish(
        with_prices([*today, *tomorrow], {utc(2026, 1, 16, 3): 7, utc(2026, 1, 16, 3, 30): 7})
    )
    await hass.async_block_till_done()
    shown = attrs(hass)
    assert shown["reason"] is None
    assert shown["complete"] is True
    assert shown["next_start"] == "2026-01-16T03:00:00+00:00"
    assert shown["last_computed"] == "2026-01-15T16:05:00+00:00"


async def test_sensor_is_off_not_unavailable_without_any_rates(
    hass: HomeAssistant,
    advance: Advance,
    open_window: OpenWindow,
) -> None:
    """Nothing fetched yet: off, saying why."""
    await open_window(utc(2026, 1, 15, 12), window_subentry())
    assert state(hass) == STATE_OFF
    assert attrs(hass)["reason"] == "rates_unknown"
    await advance(utc(2026, 1, 15, 23))
    assert state(hass) == STATE_OFF


async def test_start_offset_turns_on_early(
    hass: HomeAssistant,
    advance: Advance,
    open_window: OpenWindow,
) -> None:
    """With -15 minutes the sensor is on from 01:45 to 02:45."""
    early = window_subentry(start_offset=-15)
    await open_window(utc(2026, 1, 15, 21), early, prices=january_rates())

    assert attrs(hass)["next_start"] == "2026-01-16T01:45:00+00:00"
    await advance(utc(2026, 1, 16, 1, 45))
    assert state(hass) == STATE_ON
    await advance(utc(2026, 1, 16, 2, 45))
    assert state(hass) == STATE_OFF


async def test_export_window_finds_the_most_expensive_slots(
    hass: HomeAssistant,
    open_window: OpenWindow,
) -> None:
    """An export sensor aims for the best-paid evening half-hour."""
    evening = window_subentry(
        "Battery export",
        meter="export",
        target="most_expensive",
        start="16:00:00",
        end="20:00:00",
        duration=0.5,
    )
    await open_window(
        utc(2026, 1, 15, 12),
        evening,
        prices=priced(utc(2026, 1, 15), utc(2026, 1, 16), {utc(2026, 1, 15, 17): 40}, 15),
        meter=EXPORT_KEY,
    )
    current = hass.states.get("binary_sensor.battery_export")
    assert current is not None
    assert current.attributes["target_times"] == [
        {"start": "2026-01-15T17:00:00+00:00", "end": "2026-01-15T17:30:00+00:00", "value": 0.4}
    ]


async def test_each_window_has_its_own_device_under_its_subentry(
    hass: HomeAssistant,
    open_window: OpenWindow,
) -> None:
    """Two subentries: two devices, each entity tied to its own subentry."""
    entry = await open_window(
        utc(2026, 1, 15, 12), window_subentry("Dishwasher"), window_subentry("Hot water")
    )
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert sorted(e.entity_id for e in entities) == [
        "binary_sensor.dishwasher",
        "binary_sensor.hot_water",
    ]
    devices = dr.async_get(hass)
    for entity in entities:
        assert entity.config_subentry_id in entry.subentries
        device = devices.async_get(entity.device_id)
        assert device is not None
        assert device.name == entry.subentries[entity.config_subentry_id].title
        assert (DOMAIN, f"cheapest_window_{entity.config_subentry_id}") in device.identifiers
        meter = devices.async_get(device.via_device_id or "")
        assert meter is not None
        assert meter.name == "Electricity import meter"
    assert len({e.device_id for e in entities}) == 2


async def test_a_window_on_a_meter_the_account_no_longer_has_stays_off(
    hass: HomeAssistant,
    open_window: OpenWindow,
) -> None:
    """A gas window after the gas meter was deselected: off, saying the rates are unknown."""
    await open_window(utc(2026, 1, 15, 12), window_subentry(meter="gas"))
    assert state(hass) == STATE_OFF
    assert attrs(hass)["reason"] == "rates_unknown"


async def test_an_unloaded_window_stops_switching(
    hass: HomeAssistant,
    advance: Advance,
    rates: dict[str, FakeRates],
    open_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sensor's own boundary timer and rate listener go away with the entity."""
    live_timers: set[int] = set()
    original = wakeup.async_track_point_in_utc_time

    def tracked(*args: Any, **kwargs: Any) -> Callable[[], None]:
        cancel = original(*args, **kwargs)
        live_timers.add(id(cancel))

        def tracked_cancel() -> None:
            live_timers.discard(id(cancel))
            cancel()

        return tracked_cancel

    monkeypatch.setattr(wakeup, "async_track_point_in_utc_time", tracked)
    entry = await open_window(utc(2026, 1, 15, 21), window_subentry(), prices=january_rates())
    assert state(hass) == STATE_OFF
    assert rates[IMPORT_KEY]._listeners
    assert live_timers  # waiting for 02:00

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass) == "unavailable"
    assert rates[IMPORT_KEY]._listeners == []
    assert live_timers == set()

    # 02:00 would have switched it on; new prices would have made it recompute.
    rates[IMPORT_KEY].publish(january_rates())
    await advance(utc(2026, 1, 16, 2))
    assert state(hass) == "unavailable"
