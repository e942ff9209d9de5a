"""The end-to-end run: the simulator and a real ``hass`` process, driven like a user would.

It runs once, on the pinned lane, as its own step of ``scripts/test`` (``-m e2e``); the suite's
other runs deselect it (``addopts`` in pyproject.toml). Home Assistant 2026.2's ``hass`` refuses
Python older than 3.13.2, which the newer lane runs on, so there the run is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
import sys

from homeassistant.const import REQUIRED_PYTHON_VER
import pytest

from tests.e2e.stack import FAKETIME_LIBRARY, Stack, running_stack

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from ha_client import HomeAssistantClient


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip where a real ``hass`` cannot start."""
    here = Path(__file__).parent
    for item in items:
        if here not in Path(item.path).parents:
            continue
        if sys.version_info[:3] < REQUIRED_PYTHON_VER:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"this Home Assistant's hass needs Python {REQUIRED_PYTHON_VER}"
                )
            )
        elif not FAKETIME_LIBRARY.exists():
            item.add_marker(pytest.mark.skip(reason="libfaketime missing: run scripts/setup"))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The simulator and Home Assistant, the shared clock at 15:40 UK time on a future day."""
    with running_stack(tmp_path_factory.mktemp("e2e"), start_at_local=(15, 40)) as running:
        yield running


@pytest.fixture(scope="module")
def ha(stack: Stack) -> HomeAssistantClient:
    """A client of the running Home Assistant (logged in by the onboarding test)."""
    client = HomeAssistantClient(stack.ha_url)
    client.wait_until_up(alive=stack.alive)
    return client
