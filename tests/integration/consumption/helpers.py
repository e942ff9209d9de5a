"""Helpers of the consumption tests: expected values straight from the simulator's data."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_HOME_MINI,
)
from octopus_simulator.consumption import slot_values

from ..conftest import account_entry


def make_entry(entry_data: dict[str, Any], **options: Any) -> MockConfigEntry:
    """The simulator account's entry with a short back-fill and no Home Mini unless asked."""
    return account_entry(entry_data, {CONF_BACKFILL_DAYS: 3, CONF_HOME_MINI: False, **options})


def expected_hourly(scenario: Any, identifier: str, days: list[date]) -> dict[datetime, float]:
    """kWh per UTC hour of the given local days, as the simulator meters them."""
    hours: dict[datetime, Decimal] = defaultdict(Decimal)
    for day in days:
        for row in slot_values(scenario, identifier, day):
            hours[row.start.replace(minute=0)] += row.value
    return {hour: float(value) for hour, value in sorted(hours.items())}


def days(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def running(
    values: dict[datetime, float], base: float = 0.0
) -> list[tuple[datetime, float, float]]:
    """``(hour, state, sum)`` rows the statistics should hold."""
    rows = []
    total = base
    for hour, value in values.items():
        total += value
        rows.append((hour, round(value, 6), round(total, 6)))
    return rows
