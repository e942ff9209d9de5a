"""Rate requests of the whole integration: consumption cost reuses the prices the rates hold."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
)

from ..conftest import Advance, setup_entry

LONDON = ZoneInfo("Europe/London")
# Friday 23 October 2026, 12:07 BST; the days simulated cross the clocks going back (Sunday).
# The claim is per day: a full ordinary day and the 25-hour Sunday show it.
START = datetime(2026, 10, 23, 11, 7, tzinfo=UTC)
DAYS = 3
RATE_ENDPOINTS = ("standard-unit-rates", "day-unit-rates", "night-unit-rates", "standing-charges")


@pytest.fixture
def uses_statistics() -> bool:
    """These tests import statistics, as a home with the default options does."""
    return True


def rate_requests_by_tariff_and_day(log: Any, since: datetime) -> Counter[tuple[str, Any]]:
    """Unit-rate and standing-charge requests (any feature) per tariff and UK day."""
    found: Counter[tuple[str, Any]] = Counter()
    for request in log:
        parts = request.path.strip("/").split("/")
        if request.at < since or parts[-1] not in RATE_ENDPOINTS:
            continue
        found[parts[-2], request.at.astimezone(LONDON).date()] += 1
    return found


@pytest.mark.parametrize("import_tariff", [None, "E-2R-VAR-22-11-01-C"], ids=["agile", "e7"])
async def test_consumption_cost_keeps_every_tariff_within_three_rate_requests_a_day(
    hass: HomeAssistant,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    advance: Advance,
    import_tariff: str | None,
) -> None:
    """With statistics and a back-fill, rates and consumption together ask at most 3 a day."""
    entry = MockConfigEntry(
        domain=mock_config_entry.domain,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=mock_config_entry.data,
        options={CONF_IMPORT_STATISTICS: True, CONF_HOME_MINI: False, CONF_BACKFILL_DAYS: 5},
        version=mock_config_entry.version,
        minor_version=mock_config_entry.minor_version,
    )
    freezer.move_to(START)
    await setup_entry(hass, entry)
    await advance(START + timedelta(days=DAYS))

    consumption = entry.runtime_data.consumption
    assert consumption
    assert all(c.data and c.data.recent for c in consumption.values())
    # Costs were still worked out for every half-hour consumption reported.
    assert all(u.cost is not None for c in consumption.values() for u in c.data.recent)
    first_full_day = (START + timedelta(days=1)).astimezone(LONDON).date()
    steady = rate_requests_by_tariff_and_day(
        octopus_simulator.request_log,
        datetime.combine(first_full_day, datetime.min.time(), LONDON).astimezone(UTC),
    )
    tariffs = {tariff for tariff, _ in steady}
    assert len(tariffs) == 3, steady  # import, export and gas all still checked their prices
    assert max(steady.values()) <= 3, steady
