"""Fixtures of the consumption tests: every test runs with the recorder (statistics)."""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)


@pytest.fixture
def uses_statistics() -> bool:
    """Every consumption test runs the recorder: set-up imports statistics by default."""
    return True


async def hourly_rows(
    hass: HomeAssistant, statistic_id: str, start: datetime
) -> list[tuple[datetime, float, float]]:
    """``(hour, state, sum)`` of every stored hour of a statistic from ``start``."""
    await async_wait_recording_done(hass)
    result = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        start,
        None,
        {statistic_id},
        "hour",
        None,
        {"state", "sum"},
    )
    return [
        (
            dt_util.utc_from_timestamp(row["start"]),
            round(float(row["state"] or 0), 6),
            round(float(row["sum"] or 0), 6),
        )
        for row in result.get(statistic_id, [])
    ]
