"""Economy 7 with a night window in UK clock time (23:00-06:00), set as the meter's option.

The simulator's meter switches registers at 23:00 and 06:00 UK time; the integration is told
so through the options. Rate entities, a cheapest window and the cost statistics must all
follow that window, on clock-change days too. Expected figures come from the simulator's
biller; without the option the integration keeps 00:30-07:30 UTC, and what the user then sees
(costs off at the window's edges) is shown too.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from custom_components.octopus_kraken.const import CONF_NIGHT_WINDOWS, DOMAIN
from octopus_simulator.choices import UK, NightWindow
from octopus_simulator.scenario import AGILE_IMPORT_MPAN, Agreement
from octopus_simulator.timeutil import LONDON
from tests.ids import AGILE_IMPORT

from .harness import (
    IMPORT,
    assert_costs_match,
    billed_days,
    bills,
    hour_mismatches,
    make_entry,
    money_hours,
    set_up,
)

ECONOMY7 = "E-2R-VAR-22-11-01-C"
SINCE = datetime.fromisoformat("2024-11-01T00:00:00+00:00")
RATES = f"sensor.{AGILE_IMPORT}"


def _world(scenario: Any) -> None:
    scenario.electricity_point(AGILE_IMPORT_MPAN)[2].agreements = [Agreement(1, ECONOMY7, SINCE)]
    scenario.choices.economy7_night_by_mpan[AGILE_IMPORT_MPAN] = NightWindow(time(23), time(6), UK)


@pytest.mark.parametrize(
    "now",
    ["2025-03-31T10:13:00+01:00", "2025-10-27T10:13:00+00:00"],
    ids=["spring_clock_change", "autumn_clock_change"],
)
async def test_a_uk_time_night_window_option_prices_rates_windows_and_costs_as_billed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    now: str,
) -> None:
    scenario = octopus_simulator.state
    _world(scenario)
    when = datetime.fromisoformat(now)
    first, last = billed_days(when, 3)
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, first, last)
    uk_night = {IMPORT.key: {"start": "23:00", "end": "06:00", "uk_time": True}}
    entry = make_entry(entry_data, 3, **{CONF_NIGHT_WINDOWS: uk_night})

    await set_up(hass, freezer, entry, when)

    # Costs: every hour and day of the back-fill, the clock-change day included, as billed.
    hours = await money_hours(hass, IMPORT)
    assert_costs_match(hours, day_bills)

    # Rates: yesterday (the clock-change day) half-hour by half-hour, as the bill priced it.
    yesterday = next(b for b in day_bills if b.day == last)
    shown = hass.states.get(f"{RATES}_previous_day_rates").attributes["rates"]
    assert len(shown) == len(yesterday.half_hours) in (46, 50)
    for item, half in zip(shown, yesterday.half_hours, strict=True):
        assert datetime.fromisoformat(item["start"]) == half.start
        assert half.price is not None
        assert Decimal(str(item["value_inc_vat"])) * 100 == half.price, item

    # A cheapest hour between 20:00 and 10:00: the night rate starts at 23:00 UK time.
    answer = await hass.services.async_call(
        DOMAIN,
        "find_cheapest_window",
        {
            "config_entry_id": entry.entry_id,
            "meter": "import",
            "start": "20:00:00",
            "end": "10:00:00",
            "duration": 1,
        },
        blocking=True,
        return_response=True,
    )
    assert answer is not None
    chosen = datetime.fromisoformat(str(answer["slots"][0]["start"]))  # type: ignore[index]
    assert chosen.astimezone(LONDON).time() == time(23)
    assert chosen.astimezone(LONDON).date() == when.astimezone(LONDON).date()


async def test_without_the_option_costs_are_off_at_the_night_window_edges(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    """The meter's night is 23:00-06:00 UK time; left at 00:30-07:30 UTC, the integration
    prices 23:00-00:30 at the day rate and 06:00-07:30 at the night rate (GMT here): the
    hours 23, 00, 06 and 07 differ from the bill, every other hour matches."""
    scenario = octopus_simulator.state
    _world(scenario)
    when = datetime.fromisoformat("2025-01-09T10:13:00+00:00")
    first, last = billed_days(when, 3)
    day_bills = bills(scenario, AGILE_IMPORT_MPAN, first, last)

    await set_up(hass, freezer, make_entry(entry_data, 3), when)

    hours = await money_hours(hass, IMPORT)
    wrong = {hour for hour, _, _ in hour_mismatches(hours, day_bills)}
    day = first + timedelta(days=1)
    expected = {datetime.combine(day, time(h), LONDON).astimezone(LONDON) for h in (0, 6, 7, 23)}
    assert expected <= wrong
    assert {hour.hour for hour in wrong} == {0, 6, 7, 23}
