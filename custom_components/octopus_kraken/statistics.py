"""External statistics for the Energy dashboard: hourly kWh and GBP per meter, idempotently.

Each series (consumption, cost or income of one meter) is written as hourly rows on the UTC hour,
so both clock changes are ordinary hours. An import rewrites a *window* of hours: it starts from
the running ``sum`` of the last stored row before the window, lays the new hourly amounts over
what is stored (a later-filled gap is inserted, a corrected value replaces the old one, stored
hours the new data does not mention keep their amount), and rewrites every later row whose sum
moved. Re-importing the same data changes nothing, so restarts and periodic re-imports never
duplicate or break the running sum.

Statistic ids are ``octopus_kraken:<kind>_<digest>_<series>``: ``<kind>`` is
``electricity_import``, ``electricity_export`` or ``gas``, ``<digest>`` the first 8 hex digits
of SHA-256 of ``"<MPAN or MPRN>:<serial>"`` (stable, lowercase, and no meter number in the id),
``<series>`` ``consumption``, ``cost`` or ``income``. A tariff comparison writes two money series,
``octopus_kraken:comparison_<subentry id>_current`` and ``..._compared`` (GBP per hour).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, cast

from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import (
    async_add_external_statistics,
    statistics_during_period,
)
from homeassistant.const import UnitOfEnergy
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance

from .const import DOMAIN, LOGGER
from .entity_ids import meter_tag
from .meters import MeterConfig, MeterKind

CURRENCY = "GBP"
# How far before a window stored rows are read to find the running sum to resume from.
_LOOKBACK = timedelta(days=7)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_PENDING_KEPT = timedelta(days=400)  # a back-fill's worth of our own queued rows
_PRECISION = 6
_META_KEYS = StatisticMetaData.__required_keys__ | StatisticMetaData.__optional_keys__

_KIND_NAMES = {
    MeterKind.ELECTRICITY_IMPORT: "Octopus electricity import",
    MeterKind.ELECTRICITY_EXPORT: "Octopus electricity export",
    MeterKind.GAS: "Octopus gas",
}
type Series = Literal["consumption", "cost", "income"]


def statistic_id(meter: MeterConfig, series: Series) -> str:
    """The external statistic id of one series of a meter."""
    return f"{DOMAIN}:{meter.kind.value}_{meter_tag(meter)}_{series}"


def money_series(meter: MeterConfig) -> Series:
    """Export meters earn income; import and gas meters cost money."""
    return "income" if meter.is_export else "cost"


def statistic_metadata(meter: MeterConfig, series: Series) -> StatisticMetaData:
    """Metadata of a series; ``unit_class`` only where the recorder knows the key (2025.11+)."""
    energy = series == "consumption"
    metadata = StatisticMetaData(
        has_sum=True,
        mean_type=StatisticMeanType.NONE,
        name=f"{_KIND_NAMES[meter.kind]} …{meter.mpxn[-4:]} {series}",
        source=DOMAIN,
        statistic_id=statistic_id(meter, series),
        unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR if energy else CURRENCY,
    )
    if "unit_class" in _META_KEYS:
        # Passing it to an older recorder makes the import fail silently inside its task.
        cast(dict[str, Any], metadata)["unit_class"] = "energy" if energy else None
    return metadata


def comparison_statistic_id(subentry_id: str, series: Literal["current", "compared"]) -> str:
    """The statistic id of a tariff comparison's money series."""
    return f"{DOMAIN}:comparison_{subentry_id.lower()}_{series}"


def async_clear_comparison_statistics(hass: HomeAssistant, subentry_ids: Iterable[str]) -> None:
    """Delete the statistics of removed tariff comparisons (nothing without the recorder)."""
    serieses: tuple[Literal["current", "compared"], ...] = ("current", "compared")
    ids = [comparison_statistic_id(sid, series) for sid in subentry_ids for series in serieses]
    if ids and "recorder" in hass.config.components:
        get_instance(hass).async_clear_statistics(ids)


def comparison_metadata(
    subentry_id: str, title: str, series: Literal["current", "compared"]
) -> StatisticMetaData:
    """Metadata of a tariff comparison's money series (the meter's tariff or the compared one)."""
    metadata = StatisticMetaData(
        has_sum=True,
        mean_type=StatisticMeanType.NONE,
        name=f"{title} ({series} tariff)",
        source=DOMAIN,
        statistic_id=comparison_statistic_id(subentry_id, series),
        unit_of_measurement=CURRENCY,
    )
    if "unit_class" in _META_KEYS:
        cast(dict[str, Any], metadata)["unit_class"] = None
    return metadata


@dataclass(frozen=True, slots=True)
class _Row:
    state: float
    sum: float


def _row_start(row: Mapping[str, Any]) -> datetime:
    start = row["start"]
    if isinstance(start, datetime):
        return start.astimezone(UTC)
    return datetime.fromtimestamp(float(start), UTC)


class StatisticsWriter:
    """Writes a meter's series; remembers its last write until the recorder has it for sure."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Create the writer for one coordinator."""
        self._hass = hass
        # The rows queued per statistic: a read racing the recorder's commit still sees them.
        self._pending: dict[str, dict[datetime, _Row]] = {}

    async def _async_rows(self, stat_id: str, start: datetime) -> dict[datetime, _Row]:
        result = await get_instance(self._hass).async_add_executor_job(
            statistics_during_period,
            self._hass,
            start,
            None,
            {stat_id},
            "hour",
            None,
            {"state", "sum"},
        )
        rows = {
            _row_start(row): _Row(float(row.get("state") or 0.0), float(row.get("sum") or 0.0))
            for row in result.get(stat_id, [])
        }
        rows.update(
            {hour: row for hour, row in self._pending.get(stat_id, {}).items() if hour >= start}
        )
        return rows

    async def async_import(
        self, metadata: StatisticMetaData, hourly: Mapping[datetime, float], window_start: datetime
    ) -> int:
        """Lay ``hourly`` (UTC hour -> amount, all at or after ``window_start``) over the series.

        Returns the number of rows written (0 when everything stored already matches).
        """
        stat_id = metadata["statistic_id"]
        window_start = window_start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        stored = await self._async_rows(stat_id, window_start - _LOOKBACK)
        before = [hour for hour in stored if hour < window_start]
        if before:
            base = stored[max(before)].sum
        else:
            older = await self._async_rows(stat_id, _EPOCH)
            earlier = [hour for hour in older if hour < window_start]
            base = older[max(earlier)].sum if earlier else 0.0
        # Amount of each stored hour from the window on, as the difference of running sums.
        amounts: dict[datetime, float] = {}
        previous = base
        for hour in sorted(h for h in stored if h >= window_start):
            amounts[hour] = stored[hour].sum - previous
            previous = stored[hour].sum
        amounts.update(hourly)
        running = base
        rows: list[StatisticData] = []
        written: dict[datetime, _Row] = {}
        for hour in sorted(amounts):
            amount = round(amounts[hour], _PRECISION)
            running = round(running + amount, _PRECISION)
            old = stored.get(hour)
            if old is not None and abs(old.sum - running) < 1e-6 and abs(old.state - amount) < 1e-6:
                continue
            rows.append(StatisticData(start=hour, state=amount, sum=running))
            written[hour] = _Row(amount, running)
        if rows:
            async_add_external_statistics(self._hass, metadata, rows)
            # Keep earlier writes too: a write of a few hours must not hide an older write the
            # recorder has not committed yet (the next window's running sum starts from it).
            pending = self._pending.setdefault(stat_id, {})
            pending.update(written)
            newest = max(pending)
            for hour in [h for h in pending if h < newest - _PENDING_KEPT]:
                del pending[hour]
            LOGGER.debug("Wrote %d hourly rows of %s", len(rows), stat_id)
        return len(rows)
