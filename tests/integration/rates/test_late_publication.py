"""Tariffs whose tomorrow is listed late: asked again with bounded backoff until it appears."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
import pytest

from octopus_simulator.price_rules import Ahead
from octopus_simulator.switches import SWITCHES, apply_switches

from ..conftest import Advance
from .conftest import IMPORT, RateCall, SetUpAt, price, set_import_tariff

START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)  # Tuesday 12:07 BST
MIDNIGHT = datetime(2026, 10, 20, 23, 0, tzinfo=UTC)  # 00:00 BST on Wednesday
TARIFFS = {  # one time-of-use and one single-rate family (the schedule treats all alike)
    "go": "E-1R-GO-VAR-22-10-14-C",
    "fixed": "E-1R-OE-FIX-12M-24-11-01-C",
}


def _tomorrow(hass: HomeAssistant) -> list[Any]:
    return list(hass.states.get(f"{IMPORT}_next_day_rates").attributes["rates"])


@pytest.mark.parametrize("mode", [m for m in SWITCHES["ahead"] if m != Ahead.OPEN_ENDED])
@pytest.mark.parametrize("family", list(TARIFFS))
async def test_tomorrow_shows_within_the_hour_it_is_listed_at_a_bounded_cost(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    rate_calls: list[RateCall],
    family: str,
    mode: str,
) -> None:
    set_import_tariff(octopus_simulator, TARIFFS[family])
    apply_switches(octopus_simulator.state, {"ahead": {family: mode}, "ahead_time": "16:00"})
    await set_up_at(START)
    listed_at = {
        "through_tomorrow": START,
        "today_then_tomorrow": datetime(2026, 10, 20, 15, 0, tzinfo=UTC),  # 16:00 BST
        "today_only": MIDNIGHT,  # never ahead: tomorrow is listed only when it is today
    }[mode]
    if mode == "through_tomorrow":
        assert _tomorrow(hass)
    else:
        assert _tomorrow(hass) == []
        await advance(listed_at - timedelta(minutes=5))
        assert _tomorrow(hass) == []
    await advance(listed_at + timedelta(hours=1, minutes=5))
    if mode != "today_only":
        assert _tomorrow(hass)  # within an hour of appearing, not at midnight
    assert price(hass, f"{IMPORT}_current_rate") is not None
    calls = [c for c in rate_calls if c.tariff_code == TARIFFS[family]]
    hours = (listed_at + timedelta(hours=1, minutes=5) - START).total_seconds() / 3600
    assert len(calls) <= 3 + hours * 2  # never more than a couple of requests an hour
