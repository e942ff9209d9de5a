"""The import meter's off-peak binary sensor on every time-of-use tariff, against the simulator.

Expected windows are the hours each product publishes in its description (the simulator's
catalogue), checked to be the day's cheapest in the prices the API serves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.ids import AGILE_IMPORT

from ..conftest import Advance
from .conftest import RateCall, SetUpAt, api_timeline

LONDON = ZoneInfo("Europe/London")
OFF_PEAK = f"binary_sensor.{AGILE_IMPORT}_off_peak"
START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)  # Tuesday 12:07 BST
DAY = date(2026, 10, 20)
NEXT = date(2026, 10, 21)
GO = "E-1R-GO-VAR-22-10-14-C"
INTELLIGENT = "E-1R-INTELLI-VAR-24-10-29-C"
COSY = "E-1R-COSY-22-12-08-C"
FLUX = "E-1R-INTELLI-FLUX-IMPORT-23-07-14-C"
ECONOMY7 = "E-2R-VAR-22-11-01-C"
FIXED = "E-1R-OE-FIX-12M-24-11-01-C"


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


def attr(hass: HomeAssistant, name: str) -> datetime | None:
    value = hass.states.get(OFF_PEAK).attributes[name]
    return None if value is None else dt_util.as_utc(value)


async def assert_cheapest(
    hass: HomeAssistant, sim: Any, tariff: str, windows: list[tuple[datetime, datetime]]
) -> None:
    """The windows' prices are the lowest the API publishes for the day, the rest dearer."""
    api = await api_timeline(hass, sim, tariff, local(DAY, 0), local(NEXT, 0))
    inside = {api.rate_at(a + timedelta(minutes=1)).value_inc_vat for a, _ in windows}
    assert len(inside) == 1
    outside = {
        r.value_inc_vat for r in api.rates if not any(a <= r.valid_from < b for a, b in windows)
    }
    assert min(outside) > next(iter(inside))


@pytest.mark.parametrize(
    ("import_tariff", "windows"),
    [
        (GO, [(local(NEXT, 0, 30), local(NEXT, 4, 30))]),
        (FLUX, [(local(NEXT, 2), local(NEXT, 5))]),
        (
            ECONOMY7,
            [
                (
                    datetime(2026, 10, 21, 0, 30, tzinfo=UTC),
                    datetime(2026, 10, 21, 7, 30, tzinfo=UTC),
                )
            ],
        ),
    ],
)
async def test_a_nightly_window_turns_on_and_off_at_its_published_times(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    import_tariff: str,
    windows: list[tuple[datetime, datetime]],
    rate_calls: list[RateCall],
) -> None:
    """Off at noon with the next start shown; on through the window with its bounds; off after."""
    await set_up_at(START)
    (start, end) = windows[0]
    state = hass.states.get(OFF_PEAK)
    assert state.state == "off"
    assert attr(hass, "current_start") is None
    assert attr(hass, "next_start") == start
    rate_calls.clear()
    await advance(start + timedelta(seconds=1))
    assert hass.states.get(OFF_PEAK).state == "on"
    assert (attr(hass, "current_start"), attr(hass, "current_end")) == (start, end)
    assert attr(hass, "next_start") == start + timedelta(days=1)
    await advance(end - timedelta(seconds=1))
    assert hass.states.get(OFF_PEAK).state == "on"
    await advance(end + timedelta(seconds=1))
    assert hass.states.get(OFF_PEAK).state == "off"
    # Only the rates' own check after midnight asked the API (two requests per register).
    assert len([c for c in rate_calls if c.tariff_code == import_tariff]) <= 3
    if import_tariff != ECONOMY7:  # the API's day and night registers are separate lists
        await assert_cheapest(
            hass,
            octopus_simulator,
            import_tariff,
            [(a - timedelta(days=1), b - timedelta(days=1)) for a, b in windows],
        )


@pytest.mark.parametrize("import_tariff", [COSY])
async def test_cosy_has_three_windows_and_its_standard_rate_is_not_off_peak(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    import_tariff: str,
) -> None:
    """04:00-07:00, 13:00-16:00 and 22:00-00:00 are off-peak; 16:00-19:00 peak and the rest not."""
    windows = [
        (local(DAY, 4), local(DAY, 7)),
        (local(DAY, 13), local(DAY, 16)),
        (local(DAY, 22), local(NEXT, 0)),
    ]
    await assert_cheapest(hass, octopus_simulator, COSY, windows)
    await set_up_at(START)  # 12:07
    assert hass.states.get(OFF_PEAK).state == "off"
    assert attr(hass, "next_start") == local(DAY, 13)
    await advance(local(DAY, 13, 1))
    assert hass.states.get(OFF_PEAK).state == "on"
    assert (attr(hass, "current_start"), attr(hass, "current_end")) == windows[1]
    assert attr(hass, "next_start") == local(DAY, 22)
    await advance(local(DAY, 17))
    assert hass.states.get(OFF_PEAK).state == "off"
    await advance(local(DAY, 20))
    assert hass.states.get(OFF_PEAK).state == "off"
    await advance(local(DAY, 22, 1))
    assert hass.states.get(OFF_PEAK).state == "on"
    assert (attr(hass, "current_start"), attr(hass, "current_end")) == windows[2]
    assert attr(hass, "next_start") == local(NEXT, 4)


@pytest.mark.parametrize("import_tariff", [INTELLIGENT])
async def test_intelligent_go_dispatch_half_hours_extend_the_off_peak(
    hass: HomeAssistant,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    set_up_at: SetUpAt,
    advance: Advance,
    import_tariff: str,
    rate_calls: list[RateCall],
) -> None:
    """23:30-05:30 each night, plus a dispatch's 14:00-15:00, with no request for the latter.

    The charger stays unplugged so only the dispatch handed over here counts (the SmartFlex
    tests run a real evening of the simulator's dispatches).
    """
    for device in octopus_simulator.state.accounts[0].devices:
        device.connected = False
    await set_up_at(START)
    assert hass.states.get(OFF_PEAK).state == "off"
    assert attr(hass, "next_start") == local(DAY, 23, 30)
    coordinator = next(
        c
        for c in mock_config_entry.runtime_data.rates.values()
        if c.meter.kind == "electricity_import"
    )
    rate_calls.clear()
    coordinator.async_set_dispatch_off_peak([(local(DAY, 14), local(DAY, 15))])
    await hass.async_block_till_done()
    assert attr(hass, "next_start") == local(DAY, 14)
    await advance(local(DAY, 14, 1))
    assert hass.states.get(OFF_PEAK).state == "on"
    assert (attr(hass, "current_start"), attr(hass, "current_end")) == (
        local(DAY, 14),
        local(DAY, 15),
    )
    assert attr(hass, "next_start") == local(DAY, 23, 30)
    await advance(local(DAY, 15, 1))
    assert hass.states.get(OFF_PEAK).state == "off"
    await advance(local(NEXT, 1))
    assert hass.states.get(OFF_PEAK).state == "on"
    assert (attr(hass, "current_start"), attr(hass, "current_end")) == (
        local(DAY, 23, 30),
        local(NEXT, 5, 30),
    )
    # The dispatch's off-peak cost no request; the import tariff is only checked after midnight.
    assert [c for c in rate_calls if c.tariff_code == INTELLIGENT and c.at < local(NEXT, 0)] == []


@pytest.mark.parametrize("import_tariff", [None, FIXED])
async def test_single_rate_and_agile_meters_have_no_off_peak_sensor(
    hass: HomeAssistant, set_up_at: SetUpAt, import_tariff: str | None
) -> None:
    """Agile (the scenario's own), a fixed tariff, export and gas meters: no off-peak sensor."""
    await set_up_at(START)
    assert hass.states.get(f"binary_sensor.{AGILE_IMPORT}_negative_price") is not None
    assert [
        s.entity_id for s in hass.states.async_all("binary_sensor") if "off_peak" in s.entity_id
    ] == []


@pytest.mark.parametrize("import_tariff", [FLUX])
async def test_intelligent_flux_is_flux_not_intelligent_go(
    hass: HomeAssistant,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    set_up_at: SetUpAt,
    advance: Advance,
    import_tariff: str,
) -> None:
    """A dispatch does not make Intelligent Flux cheap, and the charger gets no off-peak sensor."""
    await set_up_at(START)
    assert hass.states.get("binary_sensor.driveway_charger_off_peak_now") is None
    coordinator = next(
        c
        for c in mock_config_entry.runtime_data.rates.values()
        if c.meter.kind == "electricity_import"
    )
    coordinator.async_set_dispatch_off_peak([(local(DAY, 14), local(DAY, 15))])
    await advance(local(DAY, 14, 10))
    api = await api_timeline(hass, octopus_simulator, FLUX, local(DAY, 14), local(DAY, 15))
    state = hass.states.get(f"sensor.{AGILE_IMPORT}_current_rate")
    assert float(state.state) == float(api.rate_at(local(DAY, 14, 10)).value_inc_vat / 100)
    assert hass.states.get(OFF_PEAK).state == "off"
    assert attr(hass, "next_start") == local(NEXT, 2)
