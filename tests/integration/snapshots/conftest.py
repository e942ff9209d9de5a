"""Fixtures for the snapshot tests: the integration set up at one fixed instant.

Snapshots hold plain JSON data (dicts, lists, str, int, float, bool, None) so that syrupy 4
(Home Assistant 2025.4) and syrupy 5 (newer releases) write the same ``.ambr`` files.
"""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.amber import AmberSnapshotExtension

from ..conftest import settle

# A Thursday noon in winter: GMT, so UTC and local time agree; today's Agile prices are
# published, tomorrow's are not yet.
FROZEN_AT = "2026-01-15T12:00:00+00:00"


def plain(value: Any) -> Any:
    """JSON-compatible data (enums, datetimes and the like as strings), keys sorted."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Plain Amber files in ``__snapshots__`` on every lane.

    Which ``snapshot`` fixture wins differs between harness versions (syrupy's own, or the
    harness's Home Assistant extension writing to ``snapshots/``); pinning the extension keeps
    one set of files for both lanes.
    """
    return snapshot.use_extension(AmberSnapshotExtension)


@pytest.fixture
def frozen_clock(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Time stands at ``FROZEN_AT`` before the simulator is asked anything."""
    freezer.move_to(FROZEN_AT)
    return freezer


@pytest.fixture
async def entry_data(
    frozen_clock: FrozenDateTimeFactory, entry_data: dict[str, Any]
) -> dict[str, Any]:
    """The default entry data, read from the simulator at the frozen instant."""
    return entry_data


@pytest.fixture
async def loaded_entry(hass: HomeAssistant, init_integration: MockConfigEntry) -> MockConfigEntry:
    """The entry set up at ``FROZEN_AT`` with every coordinator's first refresh done."""
    await settle(hass)
    return init_integration
