"""A restart while the first back-fill runs: nothing lost, nothing doubled, no stuck task."""

from __future__ import annotations

import asyncio
from datetime import datetime
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from octopus_simulator.scenario import (
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    GAS_METER_SERIAL,
    GAS_MPRN,
)

from ..conftest import settle_until
from .harness import (
    assert_costs_match,
    billed_days,
    bills,
    electricity,
    gas,
    make_entry,
    money_hours,
)

BACKFILL_DAYS = 10


async def test_a_restart_in_the_middle_of_the_back_fill_loses_and_doubles_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = datetime.fromisoformat("2025-01-09T10:13:00+00:00")
    freezer.move_to(now)
    entry = make_entry(entry_data, BACKFILL_DAYS)
    # The gas meter's back-fill hangs on its first request (the clock stands still, so no
    # timeout ends it): the restart comes while it runs, after the electricity back-fills.
    octopus_simulator.faults.inject("timeout", 1, path_contains="gas-meter-points", delay=3600)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)

    def running() -> list[asyncio.Task[Any]]:
        return [t for t in hass._background_tasks if not t.done() and "consumption" in t.get_name()]

    # The electricity back-fills finish (their statistics reach the recorder's thread, so real
    # time must pass for them); the gas one stays stuck.
    await settle_until(hass, lambda: len(running()) <= 1, 120)
    stuck = running()
    assert [task.get_name() for task in stuck] == ["octopus_kraken consumption gas"]

    with caplog.at_level(logging.WARNING):
        assert await hass.config_entries.async_reload(entry.entry_id)
        await settle_until(hass, lambda: not running(), 120)

    assert stuck[0].cancelled()
    # Unloading waited for nothing, and nothing of ours failed.
    assert [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.WARNING
        and (
            record.name.startswith("custom_components.octopus_kraken")
            or "did not complete in time" in record.getMessage()
        )
    ] == []
    # Resumed after the restart: every meter's hours equal the bill's, each exactly once.
    first, last = billed_days(now, BACKFILL_DAYS)
    scenario = octopus_simulator.state
    for meter, config in (
        (AGILE_IMPORT_MPAN, electricity(AGILE_IMPORT_MPAN, AGILE_METER_SERIAL)),
        (AGILE_EXPORT_MPAN, electricity(AGILE_EXPORT_MPAN, AGILE_METER_SERIAL, export=True)),
        (GAS_MPRN, gas(GAS_MPRN, GAS_METER_SERIAL)),
    ):
        hours = await money_hours(hass, config)
        assert_costs_match(hours, bills(scenario, meter, first, last), meter)
