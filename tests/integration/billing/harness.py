"""Run the integration against the simulator and compare its cost statistics with the biller.

Shared by the billing tests and ``benchmarks/billing.py``. Expected figures come from the
simulator's biller (``octopus_simulator.biller``), which shares no code with the integration.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.octopus_kraken.api import Fuel
from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_CALORIFIC_VALUE,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
)
from custom_components.octopus_kraken.meters import MeterConfig
from custom_components.octopus_kraken.statistics import money_series, statistic_id
from octopus_simulator.biller import DayBill, bill_days
from octopus_simulator.scenario import AGILE_IMPORT_MPAN, AGILE_METER_SERIAL, Scenario
from octopus_simulator.timeutil import LONDON, local_at

from ..conftest import account_entry, settle

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
CALORIFIC_VALUE = Decimal("39.5")
PENNY_FRACTION = Decimal("0.001")
AGILE, FIXED = "E-1R-AGILE-24-10-01-C", "E-1R-OE-FIX-12M-24-11-01-C"


def utc(text: str) -> datetime:
    """An aware time from its ISO text."""
    return datetime.fromisoformat(text)


def make_entry(entry_data: dict[str, Any], backfill_days: int, **options: Any) -> MockConfigEntry:
    """The simulator account's entry, importing statistics, without the Home Mini.

    ``options``: further options (a meter's Economy 7 night window, for instance).
    """
    return account_entry(
        entry_data,
        {
            CONF_BACKFILL_DAYS: backfill_days,
            CONF_HOME_MINI: False,
            CONF_IMPORT_STATISTICS: True,
            CONF_CALORIFIC_VALUE: float(CALORIFIC_VALUE),
            **options,
        },
    )


async def set_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry, now: datetime
) -> None:
    """Set the entry up with the clock at ``now`` and let the back-fill run."""
    freezer.move_to(now)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)


async def money_hours(hass: HomeAssistant, meter: MeterConfig) -> dict[datetime, Decimal]:
    """The meter's cost (or income) statistic: pence per UTC hour (the stored hourly states)."""
    stat = statistic_id(meter, money_series(meter))
    await async_wait_recording_done(hass)
    result = await get_instance(hass).async_add_executor_job(
        statistics_during_period, hass, EPOCH, None, {stat}, "hour", None, {"state", "sum"}
    )
    rows = result.get(stat, [])
    hours: dict[datetime, Decimal] = {}
    previous = Decimal(0)
    for row in rows:
        total = Decimal(str(row["sum"] or 0))
        state = Decimal(str(row["state"] or 0))
        # The running sum must add up hour by hour (a rewrite must shift every later sum).
        assert abs(previous + state - total) < Decimal("0.000002"), (row, previous)
        previous = total
        hours[dt_util.utc_from_timestamp(row["start"])] = state * 100
    return hours


@dataclass(frozen=True, slots=True)
class DayDifference:
    """How the integration's figure of a UK day differs from the bill's (pence)."""

    day: date
    integration: Decimal
    bill_exact: Decimal
    bill_total: Decimal

    @property
    def difference(self) -> Decimal:
        """Integration minus the bill's exact amount."""
        return self.integration - self.bill_exact


def bills(scenario: Scenario, meter: str, first: date, last: date) -> list[DayBill]:
    """The biller's bills of the days ``first`` to ``last``."""
    return bill_days(scenario, meter, first, last, calorific_value=CALORIFIC_VALUE)


def compare_days(hours: dict[datetime, Decimal], day_bills: list[DayBill]) -> list[DayDifference]:
    """The integration's day sums next to the biller's."""
    result = []
    for bill in day_bills:
        start, end = local_at(bill.day), local_at(bill.day + timedelta(days=1))
        total = sum((v for h, v in hours.items() if start <= h < end), Decimal(0))
        result.append(DayDifference(bill.day, total, bill.exact, bill.total))
    return result


def hour_mismatches(
    hours: dict[datetime, Decimal], day_bills: list[DayBill], tolerance: Decimal = Decimal("0.001")
) -> list[tuple[datetime, Decimal | None, Decimal]]:
    """Hours (of the billed days) whose integration cost differs from the bill's (pence)."""
    expected: dict[datetime, Decimal] = defaultdict(Decimal)
    for bill in day_bills:
        for hour, pence in bill.hourly().items():
            expected[hour] += pence
    return [
        (hour, hours.get(hour), pence)
        for hour, pence in sorted(expected.items())
        if hours.get(hour) is None or abs(hours[hour] - pence) > tolerance
    ]


def billed_days(now: datetime, backfill_days: int) -> tuple[date, date]:
    """First and last complete UK day a back-fill at ``now`` covers."""
    first = (now - timedelta(days=backfill_days)).astimezone(LONDON).date()
    return first, now.astimezone(LONDON).date() - timedelta(days=1)


def electricity(mpan: str, serial: str, *, export: bool = False) -> MeterConfig:
    """The integration's view of an electricity meter."""
    return MeterConfig(Fuel.ELECTRICITY, mpan, serial, is_export=export)


def gas(mprn: str, serial: str) -> MeterConfig:
    """The integration's view of a gas meter."""
    return MeterConfig(Fuel.GAS, mprn, serial)


IMPORT = electricity(AGILE_IMPORT_MPAN, AGILE_METER_SERIAL)


def assert_costs_match(
    hours: dict[datetime, Decimal], day_bills: list[DayBill], context: object = None
) -> None:
    """Every hour of the billed days, and every day, equals the bill within a penny fraction."""
    assert hour_mismatches(hours, day_bills) == [], context
    for day in compare_days(hours, day_bills):
        assert abs(day.difference) < PENNY_FRACTION, (context, day)
