"""Export tariffs with or without standing-charge rows: a known charge, asked for once a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
import pytest

from octopus_simulator.switches import SWITCHES

from ..conftest import Advance
from .conftest import EXPORT, RateCall, SetUpAt, price

START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)  # Tuesday 12:07 BST
OUTGOING = "E-1R-AGILE-OUTGOING-19-05-13-C"


@pytest.mark.parametrize("listed", SWITCHES["export_standing_charges"])
async def test_an_export_standing_charge_is_zero_and_not_refetched(
    hass: HomeAssistant,
    octopus_simulator: Any,
    set_up_at: SetUpAt,
    advance: Advance,
    rate_calls: list[RateCall],
    listed: bool,
) -> None:
    octopus_simulator.state.publication.export_standing_charges = listed
    await set_up_at(START)
    assert price(hass, f"{EXPORT}_current_standing_charge") == 0.0  # known, not "unknown"
    await advance(START + timedelta(hours=30))
    asked = [
        c for c in rate_calls if c.tariff_code == OUTGOING and c.endpoint == "standing-charges"
    ]
    assert len(asked) <= 3  # set-up, then the daily checks: never once per refresh
    assert price(hass, f"{EXPORT}_current_standing_charge") == 0.0
