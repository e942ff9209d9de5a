"""History recorded under an earlier version's entity id is found under the new id after upgrade."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import get_instance, history
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.octopus_kraken.const import DOMAIN
from octopus_simulator.scenario import ACCOUNT_AGILE
from tests.ids import AGILE_IMPORT

from ..conftest import settle
from .test_entity_id_migration import AGILE_IMPORT_KEY, AT, old_entry

OLD_ID = "sensor.electricity_import_meter_current_rate"
NEW_ID = f"sensor.{AGILE_IMPORT}_current_rate"


@pytest.fixture
def uses_statistics() -> bool:
    """The recorder runs: the test reads history back."""
    return True


@pytest.fixture
def recorder_config() -> None:
    """Record every state: the test reads their history back."""


async def test_the_price_history_of_an_earlier_install_continues_under_the_new_id(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry_data: dict[str, Any]
) -> None:
    freezer.move_to(AT - timedelta(hours=1))
    entry = old_entry(entry_data)
    entry.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, f"meter_{AGILE_IMPORT_KEY}")},
        name="Electricity import meter",
    )
    er.async_get(hass).async_get_or_create(
        "sensor",
        DOMAIN,
        f"{ACCOUNT_AGILE}_{AGILE_IMPORT_KEY}_current_rate",
        config_entry=entry,
        device_id=device.id,
        has_entity_name=True,
        suggested_object_id=OLD_ID.split(".", 1)[1],
        translation_key="current_rate",
    )
    # What the earlier version recorded an hour before the upgrade.
    hass.states.async_set(OLD_ID, "0.2468", {"unit_of_measurement": "GBP/kWh"})
    await async_wait_recording_done(hass)
    hass.states.async_remove(OLD_ID)

    freezer.move_to(AT)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    await async_wait_recording_done(hass)

    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 2
    found = await get_instance(hass).async_add_executor_job(
        history.get_significant_states,
        hass,
        dt_util.parse_datetime("2026-01-15T10:00:00+00:00"),
        None,
        [NEW_ID],
    )
    states = [state.state for state in found.get(NEW_ID, [])]
    assert states[0] == "0.2468"  # the old id's history, now the new id's
    assert len(states) >= 2  # and today's price after it
    gone = await get_instance(hass).async_add_executor_job(
        history.get_significant_states,
        hass,
        dt_util.parse_datetime("2026-01-15T10:00:00+00:00"),
        None,
        [OLD_ID],
    )
    assert not gone.get(OLD_ID)


async def test_an_entry_of_a_future_version_is_not_set_up(
    hass: HomeAssistant, entry_data: dict[str, Any]
) -> None:
    """A downgrade leaves the entry alone instead of guessing at a newer layout."""
    entry = old_entry(entry_data)
    future = MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        data=entry.data,
        version=2,
        minor_version=1,
    )
    future.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(future.entry_id)
    assert future.state is ConfigEntryState.MIGRATION_ERROR
