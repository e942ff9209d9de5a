"""Rate requests of a compared tariff per day: at most two, Economy 7's two registers included.

A day's prices are final once the day has begun (every tariff publishes them before): a fetch
runs to the end of today, so the next day's comparison finds its prices already kept. Economy 7
fetches its two registers on one day and its standing charge on the next. Expected costs come
from the simulator's biller.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from octopus_simulator.biller import bill_day
from octopus_simulator.scenario import AGILE_IMPORT_MPAN
from octopus_simulator.timeutil import local_date

from .test_comparison import START, TOLERANCE, comparison, day_of, gbp, make_entry, set_up, until

DAYS = 3


@pytest.mark.parametrize(
    ("product", "tariff"),
    [
        ("VAR-22-11-01", "E-2R-VAR-22-11-01-C"),  # Economy 7: day and night registers
        ("GO-VAR-22-10-14", "E-1R-GO-VAR-22-10-14-C"),
    ],
)
async def test_a_compared_tariff_costs_at_most_two_rate_requests_a_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    product: str,
    tariff: str,
) -> None:
    await set_up(
        hass, freezer, make_entry(entry_data), comparison("Other", "import", product, tariff)
    )
    previous = "sensor.other_previous_day_on_compared_tariff"
    octopus_simulator.reset_log()
    for n in range(1, DAYS + 1):
        # A jump to the same time the next day: every timer due by then fires once (the
        # consumption poll among them); no need to stop at each SmartFlex poll on the way.
        freezer.move_to(START + timedelta(days=n))
        async_fire_time_changed(hass)
        day = date(2026, 10, 19) + timedelta(days=n)
        await until(hass, lambda d=day: day_of(hass, previous) == d.isoformat())
        bill = bill_day(octopus_simulator.state, AGILE_IMPORT_MPAN, day, tariff_code=tariff)
        assert abs(gbp(hass, previous) - bill.exact / 100) < TOLERANCE, day
    per_day = Counter(local_date(r.at) for r in octopus_simulator.request_log if product in r.path)
    print(tariff, dict(sorted(per_day.items())))
    assert sum(per_day.values()) <= 2 * DAYS
    assert max(per_day.values()) <= 2, per_day
