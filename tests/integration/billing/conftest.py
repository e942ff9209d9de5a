"""Fixtures of the billing comparisons: the recorder runs (statistics are what is compared)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def mock_recorder_before_hass() -> None:
    """Use the real (in-memory) recorder."""


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: None
) -> Iterator[None]:
    """The recorder must start before ``hass``: request it first, then allow custom integrations."""
    return


# The simulator fixture, until the root conftest loads the plugin for every package.
from octopus_simulator.pytest_plugin import (  # noqa: E402, F401
    octopus_simulator,
    octopus_simulator_scenario,
)
