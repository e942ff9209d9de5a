"""End to end: a cheapest window on the simulator's Agile home, with the real rates coordinator."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import CONF_HOME_MINI, CONF_IMPORT_STATISTICS
from custom_components.octopus_kraken.domain.time import HALF_HOUR

from ..conftest import Advance
from .conftest import window_subentry

# Tuesday 20 October 2026, 12:07 BST: tomorrow's Agile prices come out at 16:00.
START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)
ENTITY = "binary_sensor.dishwasher"


def cheapest_block(
    prices: dict[datetime, Decimal], start: datetime, end: datetime, n: int
) -> datetime:
    """Brute force: the start of the cheapest run of ``n`` half-hours in ``[start, end)``."""
    starts = []
    slot = start
    while slot + n * HALF_HOUR <= end:
        starts.append(slot)
        slot += HALF_HOUR
    return min(starts, key=lambda s: sum(prices[s + i * HALF_HOUR] for i in range(n)))


async def test_agile_night_window_is_chosen_once_tomorrows_prices_are_published(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    mock_config_entry: MockConfigEntry,
    advance: Advance,
) -> None:
    """Unknown at noon, the cheapest two hours of 23:00-07:00 by 16:10, matching brute force."""
    freezer.move_to(START)
    entry = MockConfigEntry(
        domain=mock_config_entry.domain,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=mock_config_entry.data,
        options={CONF_IMPORT_STATISTICS: False, CONF_HOME_MINI: False},
        version=1,
        minor_version=1,
    )
    entry.add_to_hass(hass)
    hass.config_entries.async_add_subentry(
        entry, window_subentry(start="23:00:00", end="07:00:00", duration=2)
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    state = hass.states.get(ENTITY)
    assert state is not None
    assert state.state == "off"
    assert state.attributes["reason"] == "rates_unknown"

    await advance(datetime(2026, 10, 20, 15, 10, tzinfo=UTC))
    state = hass.states.get(ENTITY)
    assert state is not None
    assert state.attributes["reason"] is None
    assert state.attributes["complete"] is True

    meter = next(m for m in entry.runtime_data.meters if m.kind == "electricity_import")
    model = entry.runtime_data.rates[meter.key].prices
    assert model is not None
    timeline = model.timeline
    window_start = datetime(2026, 10, 20, 22, tzinfo=UTC)
    window_end = datetime(2026, 10, 21, 6, tzinfo=UTC)
    prices = {
        r.valid_from: r.value_inc_vat for r in timeline.split_half_hours(window_start, window_end)
    }
    best = cheapest_block(prices, window_start, window_end, 4)
    assert state.attributes["next_start"] == dt_util.as_local(best).isoformat()
    assert len(state.attributes["target_times"]) == 4

    await advance(best)
    assert hass.states.get(ENTITY).state == "on"  # type: ignore[union-attr]
    await advance(best + 4 * HALF_HOUR)
    assert hass.states.get(ENTITY).state == "off"  # type: ignore[union-attr]
