"""Every kind of tariff: Economy 7, Intelligent Go, Go, fixed, Tracker gas, Agile export,
clock-change days and a tariff switch at midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.api import RateType

from ..conftest import Advance
from .conftest import (
    EXPORT,
    GAS,
    IMPORT,
    RateCall,
    SetUpAt,
    api_timeline,
    price,
    set_import_tariff,
)

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)  # Tuesday 12:07 BST
GO = "E-1R-GO-VAR-22-10-14-C"
INTELLIGENT = "E-1R-INTELLI-VAR-24-10-29-C"
ECONOMY7 = "E-2R-VAR-22-11-01-C"
FIXED = "E-1R-OE-FIX-12M-24-11-01-C"


def gbp(pence: Decimal) -> float:
    return float(pence / 100)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


@pytest.mark.parametrize("import_tariff", [ECONOMY7])
async def test_economy7_uses_the_night_register_in_the_night_window(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    import_tariff: str,
    rate_calls: list[RateCall],
) -> None:
    """Night rate from 00:30 to 07:30 UTC (01:30-08:30 BST), day rate otherwise."""
    await set_up_at(START)
    day = await api_timeline(
        hass, octopus_simulator, ECONOMY7, START, START + timedelta(days=2), RateType.DAY
    )
    night = await api_timeline(
        hass, octopus_simulator, ECONOMY7, START, START + timedelta(days=2), RateType.NIGHT
    )
    assert price(hass, f"{IMPORT}_current_rate") == gbp(day.rate_at(START).value_inc_vat)
    night_start = datetime(2026, 10, 21, 0, 30, tzinfo=UTC)
    assert hass.states.get(f"{IMPORT}_next_price_change").state == "2026-10-21T00:30:00+00:00"
    await advance(night_start + timedelta(seconds=1))
    assert price(hass, f"{IMPORT}_current_rate") == gbp(night.rate_at(night_start).value_inc_vat)
    await advance(datetime(2026, 10, 21, 7, 30, 1, tzinfo=UTC))
    assert price(hass, f"{IMPORT}_current_rate") == gbp(day.rate_at(START).value_inc_vat)
    # Set-up (day, night, standing) and the check after midnight.
    assert len([c for c in rate_calls if c.tariff_code == ECONOMY7]) <= 3 * 2


@pytest.mark.parametrize("import_tariff", [INTELLIGENT])
async def test_intelligent_go_prices_dispatch_half_hours_off_peak_without_a_request(
    hass: HomeAssistant,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    set_up_at: SetUpAt,
    advance: Advance,
    import_tariff: str,
    rate_calls: list[RateCall],
) -> None:
    """23:30-05:30 is off-peak; a dispatch at 14:00 makes 14:00-15:00 off-peak too."""
    await set_up_at(START)
    rates = await api_timeline(
        hass, octopus_simulator, INTELLIGENT, START, START + timedelta(days=1)
    )
    peak = rates.rate_at(START).value_inc_vat
    off_peak = rates.rate_at(local(date(2026, 10, 21), 0)).value_inc_vat
    assert off_peak < peak
    assert price(hass, f"{IMPORT}_current_rate") == gbp(peak)
    coordinator = next(
        c
        for c in mock_config_entry.runtime_data.rates.values()
        if c.meter.kind == "electricity_import"
    )
    rate_calls.clear()
    coordinator.async_set_dispatch_off_peak(
        [(local(date(2026, 10, 20), 14), local(date(2026, 10, 20), 15))]
    )
    await hass.async_block_till_done()
    # The peak row 05:30-23:30 is split: the next price is the dispatch's off-peak at 14:00.
    assert price(hass, f"{IMPORT}_next_rate") == gbp(off_peak)
    assert hass.states.get(f"{IMPORT}_next_price_change").state == "2026-10-20T13:00:00+00:00"
    await advance(local(date(2026, 10, 20), 14, 1))
    assert price(hass, f"{IMPORT}_current_rate") == gbp(off_peak)
    await advance(local(date(2026, 10, 20), 15, 1))
    assert price(hass, f"{IMPORT}_current_rate") == gbp(peak)
    await advance(local(date(2026, 10, 20), 23, 31))
    assert price(hass, f"{IMPORT}_current_rate") == gbp(off_peak)
    assert [c for c in rate_calls if c.tariff_code == INTELLIGENT] == []


@pytest.mark.parametrize("import_tariff", [FIXED])
async def test_a_fixed_open_ended_rate_has_no_next_change_and_is_checked_once_a_day(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    import_tariff: str,
    rate_calls: list[RateCall],
) -> None:
    """One price for ever: no next rate, no next change; a daily check costs two requests."""
    await set_up_at(START)
    rates = await api_timeline(hass, octopus_simulator, FIXED, START, START + timedelta(days=1))
    assert price(hass, f"{IMPORT}_current_rate") == gbp(rates.rate_at(START).value_inc_vat)
    assert hass.states.get(f"{IMPORT}_next_rate").state == "unknown"
    assert hass.states.get(f"{IMPORT}_next_price_change").state == "unknown"
    assert len(hass.states.get(f"{IMPORT}_next_day_rates").attributes["rates"]) == 48
    rate_calls.clear()
    await advance(START + timedelta(days=3))
    assert len([c for c in rate_calls if c.tariff_code == FIXED]) <= 2 * 3
    assert price(hass, f"{IMPORT}_current_rate") == gbp(rates.rate_at(START).value_inc_vat)


async def test_gas_tracker_and_agile_export_show_their_own_prices(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
) -> None:
    """The gas meter shows the Tracker day price, the export meter what export is paid."""
    await set_up_at(START)
    gas = await api_timeline(
        hass, octopus_simulator, "G-1R-SILVER-24-12-31-C", START, START + timedelta(hours=1)
    )
    export = await api_timeline(
        hass, octopus_simulator, "E-1R-AGILE-OUTGOING-19-05-13-C", START, START + timedelta(hours=1)
    )
    assert price(hass, f"{GAS}_current_rate") == gbp(gas.rate_at(START).value_inc_vat)
    assert price(hass, f"{EXPORT}_current_rate") == gbp(export.rate_at(START).value_inc_vat)
    assert (
        hass.states.get(f"{GAS}_current_standing_charge").attributes["unit_of_measurement"]
        == "GBP/day"
    )
    assert price(hass, f"{GAS}_current_standing_charge") > 0
    # Tracker publishes tomorrow's price in the morning: already known at noon.
    assert price(hass, f"{GAS}_average_rate_tomorrow") is not None
    assert hass.states.get(
        f"{IMPORT}_negative_price".replace("sensor.", "binary_sensor.")
    ).state in ("on", "off")


@pytest.mark.parametrize("import_tariff", [GO])
@pytest.mark.parametrize(("day", "slots"), [(date(2026, 10, 25), 50), (date(2026, 3, 29), 46)])
async def test_clock_change_days_keep_every_half_hour_right(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    day: date,
    slots: int,
    import_tariff: str,
    rate_calls: list[RateCall],
) -> None:
    """A 25-hour and a 23-hour day: every half-hour's price, the day's slot count."""
    start = local(day, 0) + timedelta(minutes=7)
    await set_up_at(start)
    day_start, day_end = local(day, 0), local(day + timedelta(days=1), 0)
    expected = await api_timeline(hass, octopus_simulator, GO, day_start, day_end)
    assert int(hass.states.get(f"{IMPORT}_current_day_rates").state) == slots
    boundary = day_start + timedelta(minutes=30)
    while boundary < day_end:
        for instant in (boundary - timedelta(seconds=1), boundary + timedelta(seconds=1)):
            await advance(instant)
            assert price(hass, f"{IMPORT}_current_rate") == gbp(
                expected.rate_at(instant).value_inc_vat
            ), instant
        boundary += timedelta(minutes=30)


async def test_a_tariff_switch_at_midnight_is_followed_without_a_restart(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    import_tariff: str,
    rate_calls: list[RateCall],
) -> None:
    """Agile until midnight, Go after: the new agreement appears at midnight and is followed."""
    await set_up_at(START)
    assert (
        hass.states.get(f"{IMPORT}_current_rate").attributes["tariff_code"]
        == "E-1R-AGILE-24-10-01-C"
    )
    midnight = local(date(2026, 10, 21), 0)
    await advance(midnight)
    set_import_tariff(octopus_simulator, GO, since=midnight)
    await advance(midnight + timedelta(minutes=20))
    go = await api_timeline(hass, octopus_simulator, GO, midnight, midnight + timedelta(days=1))
    state = hass.states.get(f"{IMPORT}_current_rate")
    assert state.attributes["tariff_code"] == GO
    assert float(state.state) == gbp(go.rate_at(dt_now()).value_inc_vat)
    assert int(hass.states.get(f"{IMPORT}_current_day_rates").state) == 48
    assert price(hass, f"{IMPORT}_average_rate_tomorrow") is not None  # Go is known ahead


def dt_now() -> datetime:
    from homeassistant.util import dt as dt_util

    return dt_util.utcnow()
