"""An Agile home over a simulated week: prices at every boundary, publication, economy, cache."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from ..conftest import Advance
from .conftest import IMPORT, RateCall, SetUpAt, api_timeline, price

LONDON = ZoneInfo("Europe/London")
AGILE = "E-1R-AGILE-24-10-01-C"
# Tuesday 20 October 2026, 12:07 BST.
START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)
# Saturday 24 October 2026, 12:07 BST; the clocks go back early on Sunday.
CLOCKS_GO_BACK_WEEKEND = datetime(2026, 10, 24, 11, 7, tzinfo=UTC)


def gbp(pence: Decimal) -> float:
    return float(pence / 100)


async def test_current_previous_and_next_rate_move_at_every_half_hour(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
) -> None:
    """Around each boundary (a second before, at, a second after) the three rates are right."""
    await set_up_at(START)
    expected = await api_timeline(
        hass, octopus_simulator, AGILE, START - timedelta(days=1), START + timedelta(days=1)
    )
    boundary = datetime(2026, 10, 20, 11, 30, tzinfo=UTC)
    for _ in range(6):
        for instant in (boundary - timedelta(seconds=1), boundary, boundary + timedelta(seconds=1)):
            await advance(instant)
            current = expected.rate_at(instant)
            assert price(hass, f"{IMPORT}_current_rate") == gbp(current.value_inc_vat)
            assert price(hass, f"{IMPORT}_previous_rate") == gbp(
                expected.previous_rate(instant).value_inc_vat
            )
            assert price(hass, f"{IMPORT}_next_rate") == gbp(
                expected.next_rate(instant).value_inc_vat
            )
            state = hass.states.get(f"{IMPORT}_current_rate")
            assert state.attributes["tariff_code"] == AGILE
            assert state.attributes["value_exc_vat"] == gbp(current.value_exc_vat)
            assert state.attributes["unit_of_measurement"] == "GBP/kWh"
        boundary += timedelta(minutes=30)


async def test_tomorrow_is_unknown_until_published_at_four_and_shown_within_ten_minutes(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
) -> None:
    """Before 16:00 tomorrow's statistics are unknown; by 16:10 they and next-day rates exist."""
    await set_up_at(START)
    assert price(hass, f"{IMPORT}_highest_rate_tomorrow") is None
    assert hass.states.get(f"{IMPORT}_next_day_rates").attributes["rates"] == []
    assert hass.states.get(f"{IMPORT}_current_rate").attributes["raw_tomorrow"] == []
    await advance(datetime(2026, 10, 20, 14, 59, tzinfo=UTC))
    assert price(hass, f"{IMPORT}_highest_rate_tomorrow") is None
    await advance(datetime(2026, 10, 20, 15, 10, tzinfo=UTC))
    assert price(hass, f"{IMPORT}_highest_rate_tomorrow") is not None
    rates = hass.states.get(f"{IMPORT}_next_day_rates").attributes["rates"]
    assert len(rates) == 46  # 00:00-23:00: the market day ends at 23:00
    assert rates[0]["start"] == "2026-10-21T00:00:00+01:00"
    assert set(rates[0]) == {"start", "end", "value_inc_vat", "value_exc_vat"}
    raw = hass.states.get(f"{IMPORT}_current_rate").attributes["raw_tomorrow"]
    assert len(raw) == 46
    assert set(raw[0]) == {"start", "end", "value"}


async def test_late_publication_is_picked_up_by_retries_that_slow_down(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    rate_calls: list[RateCall],
) -> None:
    """Prices two hours late: polled at a growing interval, shown within 30 minutes of release."""
    octopus_simulator.state.publication.agile_delay = timedelta(hours=2)
    await set_up_at(START)
    rate_calls.clear()
    await advance(datetime(2026, 10, 20, 17, 0, tzinfo=UTC))
    assert price(hass, f"{IMPORT}_highest_rate_tomorrow") is None
    tries = [c.at for c in rate_calls if c.tariff_code == AGILE and "unit-rates" in c.endpoint]
    # 16:0x, then 5, 10, 15, 20, 25, 30, 30 ... minutes later.
    assert 5 <= len(tries) <= 9
    gaps = [later - earlier for earlier, later in pairwise(tries)]
    assert gaps == sorted(gaps)
    assert max(gaps) <= timedelta(minutes=31)
    await advance(datetime(2026, 10, 20, 17, 31, tzinfo=UTC))
    assert price(hass, f"{IMPORT}_highest_rate_tomorrow") is not None


async def test_an_outage_at_four_delays_but_does_not_lose_tomorrows_prices(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
) -> None:
    """Server errors at 16:00: current prices stay available; tomorrow's appear after recovery."""
    await set_up_at(START)
    octopus_simulator.faults.inject("server_error", count=4, path_contains="unit-rates")
    await advance(datetime(2026, 10, 20, 15, 10, tzinfo=UTC))
    assert hass.states.get(f"{IMPORT}_current_rate").state not in ("unavailable", "unknown")
    await advance(datetime(2026, 10, 20, 16, 0, tzinfo=UTC))
    assert price(hass, f"{IMPORT}_highest_rate_tomorrow") is not None


async def test_days_across_the_clocks_going_back_cost_at_most_three_rate_requests_a_day_per_meter(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    rate_calls: list[RateCall],
) -> None:
    """Agile import, Agile Outgoing export and Tracker gas from Saturday to Tuesday.

    The claim is per day, and the days without a clock change repeat one schedule: a set-up
    day, the 25-hour Sunday and two ordinary days show it (a week showed nothing more).
    """
    await set_up_at(CLOCKS_GO_BACK_WEEKEND)
    rate_calls.clear()
    days = 3
    await advance(CLOCKS_GO_BACK_WEEKEND + timedelta(days=days))
    for tariff in (AGILE, "E-1R-AGILE-OUTGOING-19-05-13-C", "G-1R-SILVER-24-12-31-C"):
        mine = [call for call in rate_calls if call.tariff_code == tariff]
        assert mine, tariff
        per_day = Counter(call.at.astimezone(LONDON).date() for call in mine)
        assert max(per_day.values()) <= 3, (tariff, per_day)
    assert not [c for c in rate_calls if c.at.minute in (0, 30) and c.at.second == 0]
    # Prices kept moving through the 25-hour Sunday without extra requests.
    assert price(hass, f"{IMPORT}_current_rate") is not None


async def test_a_restart_with_a_warm_cache_makes_no_rate_request(
    hass: HomeAssistant,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    set_up_at: SetUpAt,
    rate_calls: list[RateCall],
) -> None:
    """Reloading the entry shows the same prices from the cache without asking the API."""
    await set_up_at(START)
    before = hass.states.get(f"{IMPORT}_current_rate").state
    octopus_simulator.reset_log()
    rate_calls.clear()
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert rate_calls == []
    assert [r for r in octopus_simulator.request_log if "unit-rates" in r.path] == []
    assert hass.states.get(f"{IMPORT}_current_rate").state == before


async def test_day_rate_entities_are_found_the_way_predbat_derives_them(
    hass: HomeAssistant,
    set_up_at: SetUpAt,
    entity_registry: er.EntityRegistry,
) -> None:
    """Replacing ``_current_rate`` finds the previous/current/next-day rates entities."""
    await set_up_at(START)
    current = f"{IMPORT}_current_rate"
    assert entity_registry.async_get(current) is not None
    for suffix, count in (
        ("_previous_day_rates", 48),
        ("_current_day_rates", 46),
        ("_next_day_rates", 0),
    ):
        state = hass.states.get(current.replace("_current_rate", suffix))
        assert state is not None, suffix
        assert len(state.attributes["rates"]) == count
        assert int(state.state) == count
    # Today (before 16:00) is known until 23:00 only.
    stats = hass.states.get(f"{IMPORT}_lowest_rate_today")
    assert float(stats.state) <= price(hass, f"{IMPORT}_current_rate")


async def test_todays_statistics_match_the_day_rates_and_are_rounded_like_the_api(
    hass: HomeAssistant,
    set_up_at: SetUpAt,
) -> None:
    """Lowest, highest and average rate today agree with the day's rates, to 6 places in GBP."""
    await set_up_at(START)
    rates = hass.states.get(f"{IMPORT}_current_day_rates").attributes["rates"]
    values = [Decimal(str(rate["value_inc_vat"])) for rate in rates]
    lowest = hass.states.get(f"{IMPORT}_lowest_rate_today").state
    highest = hass.states.get(f"{IMPORT}_highest_rate_today").state
    average = hass.states.get(f"{IMPORT}_average_rate_today").state
    assert Decimal(lowest) == min(values)
    assert Decimal(highest) == max(values)
    # Every Agile slot is half an hour, so the time-weighted mean is the plain mean.
    expected = (sum(values) / len(values)).quantize(Decimal("0.000001"))
    assert Decimal(average) == expected
    assert len(average.split(".")[1]) <= 6
