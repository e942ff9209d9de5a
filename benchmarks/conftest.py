"""What the benchmarks run through pytest share: the real recorder, our integration, UK time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from homeassistant.core import HomeAssistant
import pytest


@pytest.fixture
def mock_recorder_before_hass() -> None:
    """Statistics are compared and the integration depends on the recorder: the real one."""


@pytest.fixture(autouse=True)
def _custom_integrations(recorder_mock: Any, enable_custom_integrations: None) -> Iterator[None]:
    return


@pytest.fixture(autouse=True)
async def _london(hass: HomeAssistant) -> None:
    await hass.config.async_set_time_zone("Europe/London")
