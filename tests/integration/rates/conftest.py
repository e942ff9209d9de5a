"""Fixtures for the rate tests: a home on a chosen tariff, and moving simulated time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_DEVICES,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
)
from custom_components.octopus_kraken.coordinators.rates import RatesCoordinator
from tests.ids import AGILE_EXPORT, AGILE_GAS, AGILE_IMPORT

from ..conftest import set_up_entry_at

IMPORT = f"sensor.{AGILE_IMPORT}"
EXPORT = f"sensor.{AGILE_EXPORT}"
GAS = f"sensor.{AGILE_GAS}"


@pytest.fixture
def mock_config_entry(mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """The default entry without the features that only add unrelated requests here.

    The account's charger goes too: its SmartFlex polling every few minutes is no rates matter
    (the Intelligent Go test sets dispatch periods itself).
    """
    return MockConfigEntry(
        domain=mock_config_entry.domain,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data={**mock_config_entry.data, CONF_DEVICES: []},
        options={CONF_IMPORT_STATISTICS: False, CONF_HOME_MINI: False, CONF_BACKFILL_DAYS: 1},
        version=mock_config_entry.version,
        minor_version=mock_config_entry.minor_version,
    )


@pytest.fixture
def import_tariff() -> str | None:
    """The import meter's tariff from the start of the test (``None``: the scenario's own)."""
    return None


@pytest.fixture
async def entry_data(
    entry_data: dict[str, Any], octopus_simulator: Any, import_tariff: str | None
) -> dict[str, Any]:
    """The default home, its import meter moved onto ``import_tariff`` if one is given."""
    if import_tariff is not None:
        set_import_tariff(octopus_simulator, import_tariff)
    return entry_data


def import_point(octopus_simulator: Any) -> Any:
    """The scenario's import meter point of the first account."""
    account = octopus_simulator.state.accounts[0]
    return next(
        point for point in account.electricity_meter_points() if point.direction == "IMPORT"
    )


def set_import_tariff(
    octopus_simulator: Any, tariff_code: str, since: datetime | None = None
) -> None:
    """Put the import meter on ``tariff_code`` (from ``since``; default: for ever)."""
    point = import_point(octopus_simulator)
    agreement_cls = type(point.agreements[0])
    start = since or datetime(2024, 1, 1, tzinfo=dt_util.UTC)
    kept = []
    for agreement in point.agreements:
        if agreement.valid_from < start:
            if agreement.valid_to is None or agreement.valid_to > start:
                agreement.valid_to = start
            kept.append(agreement)
    if since is None:
        kept = []
    kept.append(agreement_cls(9000 + len(kept), tariff_code, start))
    point.agreements[:] = kept


@dataclass(frozen=True, slots=True)
class RateCall:
    """One request the rates coordinators made."""

    tariff_code: str
    endpoint: str
    at: datetime


class _RecordingClient:
    """The real client, recording the rates coordinators' unit-rate and standing-charge calls.

    The simulator's log also holds other features' requests to the same endpoints (consumption
    costs), so the rates' own economy is measured here.
    """

    def __init__(self, client: Any, calls: list[RateCall]) -> None:
        self._client = client
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def async_get_unit_rates(self, product: str, tariff: str, **kwargs: Any) -> Any:
        endpoint = str(kwargs.get("rate_type") or "standard-unit-rates")
        self._calls.append(RateCall(tariff, endpoint, dt_util.utcnow()))
        return await self._client.async_get_unit_rates(product, tariff, **kwargs)

    async def async_get_standing_charges(self, product: str, tariff: str, **kwargs: Any) -> Any:
        self._calls.append(RateCall(tariff, "standing-charges", dt_util.utcnow()))
        return await self._client.async_get_standing_charges(product, tariff, **kwargs)


@pytest.fixture(autouse=True)
def rate_calls(monkeypatch: pytest.MonkeyPatch) -> list[RateCall]:
    """Every request the rates coordinators make during the test."""
    calls: list[RateCall] = []
    original = RatesCoordinator.__init__

    def recording_init(
        self: Any, hass: Any, entry: Any, client: Any, *args: Any, **kwargs: Any
    ) -> None:
        original(self, hass, entry, _RecordingClient(client, calls), *args, **kwargs)

    monkeypatch.setattr(RatesCoordinator, "__init__", recording_init)
    return calls


def price(hass: HomeAssistant, entity_id: str) -> float | None:
    """A price sensor's state as a number (``None`` when unknown/unavailable)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    try:
        return float(state.state)
    except ValueError:
        return None


type SetUpAt = Callable[[datetime], Awaitable[MockConfigEntry]]


@pytest.fixture
def set_up_at(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_config_entry: MockConfigEntry
) -> SetUpAt:
    """Move the clock to ``when`` and set the home's entry up there; hand the entry back."""
    return set_up_entry_at(hass, freezer, mock_config_entry)


async def api_timeline(
    hass: HomeAssistant,
    octopus_simulator: Any,
    tariff_code: str,
    start: datetime,
    end: datetime,
    rate_type: Any = None,
) -> Any:
    """The rates the API publishes now for ``tariff_code``, as a timeline (log left clean)."""
    from homeassistant.helpers.aiohttp_client import async_get_clientsession

    from custom_components.octopus_kraken.api import OctopusClient, RateType
    from custom_components.octopus_kraken.domain.tariff_codes import (
        parse_tariff_code,
    )
    from custom_components.octopus_kraken.domain.timeline import RateTimeline

    code = parse_tariff_code(tariff_code)
    client = OctopusClient(
        async_get_clientsession(hass), octopus_simulator.api_key, base_url=octopus_simulator.url
    )
    before = len(octopus_simulator.request_log)
    rates = await client.async_get_unit_rates(
        code.product_code,
        code.code,
        fuel=code.fuel,
        rate_type=rate_type or RateType.STANDARD,
        period_from=start,
        period_to=end,
    )
    del octopus_simulator.request_log[before:]
    return RateTimeline(rates)
