"""Fixtures of the set-up tests: the recorder and fast client retries."""

from __future__ import annotations

from collections.abc import Iterator
import functools
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.api import OctopusClient
from custom_components.octopus_kraken.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_BACKFILL_DAYS,
    CONF_IMPORT_STATISTICS,
    DOMAIN,
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: None
) -> Iterator[None]:
    """The integration depends on the recorder: start it before ``hass``, then allow ours."""
    return


@pytest.fixture(autouse=True)
def fast_retries() -> Iterator[None]:
    """The client retries 5xx and timeouts with backoff; tests need not wait for it."""
    fast = functools.partial(OctopusClient, retry_base_delay=0.0)
    with (
        patch("custom_components.octopus_kraken.config_flow.OctopusClient", fast),
        patch("custom_components.octopus_kraken.OctopusClient", fast),
    ):
        yield


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Stand in for the integration's set-up when only the flow is under test."""
    with patch("custom_components.octopus_kraken.async_setup_entry", return_value=True) as mocked:
        yield mocked


@pytest.fixture
def mock_config_entry(entry_data: dict[str, Any]) -> MockConfigEntry:
    """The first account's entry, without the year of statistics other features test."""
    data = dict(entry_data)
    title = data.pop("title")
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=data[CONF_ACCOUNT_NUMBER],
        data=data,
        options={CONF_IMPORT_STATISTICS: False, CONF_BACKFILL_DAYS: 2},
        version=1,
        minor_version=1,
    )
