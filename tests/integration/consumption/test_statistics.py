"""Energy dashboard statistics: hourly rows on UTC hours with a running sum that never breaks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from homeassistant.core import HomeAssistant

from custom_components.octopus_kraken.api import Fuel
from custom_components.octopus_kraken.meters import MeterConfig
from custom_components.octopus_kraken.statistics import (
    StatisticsWriter,
    statistic_metadata,
)

from .conftest import hourly_rows

METER = MeterConfig(fuel=Fuel.ELECTRICITY, mpxn="1200000000014", serial="22L4381884")
T0 = datetime(2025, 1, 10, tzinfo=UTC)
H = timedelta(hours=1)


def _hours(*amounts: float, start: datetime = T0) -> dict[datetime, float]:
    return {start + i * H: amount for i, amount in enumerate(amounts)}


async def test_an_import_writes_hourly_rows_with_a_running_sum(hass: HomeAssistant) -> None:
    writer = StatisticsWriter(hass)
    meta = statistic_metadata(METER, "consumption")
    assert await writer.async_import(meta, _hours(1.0, 2.0, 3.5), T0) == 3
    rows = await hourly_rows(hass, meta["statistic_id"], T0 - 24 * H)
    assert rows == [(T0, 1.0, 1.0), (T0 + H, 2.0, 3.0), (T0 + 2 * H, 3.5, 6.5)]


async def test_importing_the_same_hours_again_changes_nothing(hass: HomeAssistant) -> None:
    meta = statistic_metadata(METER, "consumption")
    await StatisticsWriter(hass).async_import(meta, _hours(1.0, 2.0, 3.5), T0)
    await hourly_rows(hass, meta["statistic_id"], T0)
    # A new writer, as after a restart: it must read the stored rows, not remember them.
    assert await StatisticsWriter(hass).async_import(meta, _hours(1.0, 2.0, 3.5), T0) == 0
    rows = await hourly_rows(hass, meta["statistic_id"], T0 - 24 * H)
    assert [r[2] for r in rows] == [1.0, 3.0, 6.5]


async def test_a_later_window_continues_the_sum(hass: HomeAssistant) -> None:
    meta = statistic_metadata(METER, "consumption")
    await StatisticsWriter(hass).async_import(meta, _hours(1.0, 2.0), T0)
    await hourly_rows(hass, meta["statistic_id"], T0)
    later = T0 + 30 * H
    await StatisticsWriter(hass).async_import(meta, _hours(4.0, 0.5, start=later), later)
    rows = await hourly_rows(hass, meta["statistic_id"], T0)
    assert rows == [(T0, 1.0, 1.0), (T0 + H, 2.0, 3.0), (later, 4.0, 7.0), (later + H, 0.5, 7.5)]


async def test_a_gap_filled_later_is_inserted_and_later_sums_shift(hass: HomeAssistant) -> None:
    meta = statistic_metadata(METER, "consumption")
    hours = _hours(1.0, 2.0, 3.0, 4.0)
    del hours[T0 + H]
    await StatisticsWriter(hass).async_import(meta, hours, T0)
    rows = await hourly_rows(hass, meta["statistic_id"], T0)
    assert [r[2] for r in rows] == [1.0, 4.0, 8.0]
    # The missing hour arrives with a window that starts at it.
    await StatisticsWriter(hass).async_import(meta, {T0 + H: 2.0}, T0 + H)
    rows = await hourly_rows(hass, meta["statistic_id"], T0)
    assert rows == [
        (T0, 1.0, 1.0),
        (T0 + H, 2.0, 3.0),
        (T0 + 2 * H, 3.0, 6.0),
        (T0 + 3 * H, 4.0, 10.0),
    ]


async def test_a_corrected_hour_replaces_the_old_value(hass: HomeAssistant) -> None:
    meta = statistic_metadata(METER, "cost")
    await StatisticsWriter(hass).async_import(meta, _hours(0.1, 0.2, 0.3), T0)
    await hourly_rows(hass, meta["statistic_id"], T0)
    await StatisticsWriter(hass).async_import(meta, _hours(0.1, 0.25, 0.3), T0)
    rows = await hourly_rows(hass, meta["statistic_id"], T0)
    assert rows == [(T0, 0.1, 0.1), (T0 + H, 0.25, 0.35), (T0 + 2 * H, 0.3, 0.65)]


async def test_back_to_back_imports_do_not_double_count(hass: HomeAssistant) -> None:
    """The second import may read before the recorder committed the first."""
    meta = statistic_metadata(METER, "consumption")
    writer = StatisticsWriter(hass)
    await writer.async_import(meta, _hours(1.0, 1.0), T0)
    await writer.async_import(meta, _hours(1.0, 1.0, 1.0), T0)
    rows = await hourly_rows(hass, meta["statistic_id"], T0)
    assert [r[2] for r in rows] == [1.0, 2.0, 3.0]


async def test_both_clock_changes_are_plain_utc_hours(hass: HomeAssistant) -> None:
    meta = statistic_metadata(METER, "consumption")
    # Local days of 23 (spring) and 25 (autumn) hours, both starting at UK midnight.
    for start, hours in ((datetime(2025, 3, 30, 0, tzinfo=UTC), 23),
                         (datetime(2024, 10, 26, 23, tzinfo=UTC), 25)):  # fmt: skip
        await StatisticsWriter(hass).async_import(meta, _hours(*[1.0] * hours, start=start), start)
        await hourly_rows(hass, meta["statistic_id"], start)
    rows = await hourly_rows(hass, meta["statistic_id"], datetime(2024, 10, 1, tzinfo=UTC))
    assert len(rows) == 48
    assert [r[2] for r in rows] == [float(i) for i in range(1, 49)]
    assert all(r[0].minute == 0 for r in rows)
