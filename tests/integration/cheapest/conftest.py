"""Fixtures of the cheapest-window tests: an entry whose rates the test writes itself.

The sensors and the service only read ``RatesCoordinator.prices`` and listen to the
coordinator; a stand-in with the same two members lets each test choose every price exactly, and
publish new prices (as Agile does around 16:00) when it wants. The rest of Home Assistant —
config entries, subentries, the binary sensor platform, the entity and device registries, the
time machinery — is the real thing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any
from unittest.mock import MagicMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import CONF_API_KEY, Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.api.models import Rate
from custom_components.octopus_kraken.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_IS_EXPORT,
    CONF_MPAN,
    CONF_SERIAL,
    DOMAIN,
)
from custom_components.octopus_kraken.domain.price_model import PriceModel
from custom_components.octopus_kraken.domain.timeline import RateTimeline
from custom_components.octopus_kraken.lifecycle import async_sync_devices
from custom_components.octopus_kraken.meters import meters_from_entry_data
from custom_components.octopus_kraken.options import OctopusOptions
from custom_components.octopus_kraken.runtime import OctopusConfigEntry, OctopusRuntimeData

HALF_HOUR = timedelta(minutes=30)
IMPORT_KEY = "electricity_import_1000000000001_21L0000001"
EXPORT_KEY = "electricity_export_1000000000002_21L0000001"


def utc(*args: int) -> datetime:
    """A UTC instant."""
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def half_hourly(
    start: datetime, end: datetime, price: Callable[[datetime], float] | float = 30.0
) -> list[Rate]:
    """Half-hour rates over ``[start, end)``; ``price`` in p/kWh, fixed or per slot start."""
    rates = []
    slot = start
    while slot < end:
        value = Decimal(str(price(slot) if callable(price) else price))
        rates.append(Rate(slot, slot + HALF_HOUR, value, value / Decimal("1.05")))
        slot += HALF_HOUR
    return rates


def with_prices(base: Iterable[Rate], cheap: dict[datetime, float]) -> RateTimeline:
    """A timeline of ``base`` with the slots starting at the keys of ``cheap`` repriced."""
    return RateTimeline(
        Rate(r.valid_from, r.valid_to, Decimal(str(cheap[r.valid_from])), r.value_exc_vat)
        if r.valid_from in cheap
        else r
        for r in base
    )


def priced(
    start: datetime, end: datetime, cheap: dict[datetime, float], price: float = 30.0
) -> RateTimeline:
    """Half-hours at ``price`` over ``[start, end)``, the slots keyed in ``cheap`` repriced."""
    return with_prices(half_hourly(start, end, price), cheap)


class FakeRates:
    """What the cheapest-window code uses of a RatesCoordinator: ``prices`` and listeners."""

    def __init__(self, timeline: RateTimeline | None = None) -> None:
        """Start with ``timeline`` (None: nothing fetched yet)."""
        self._timeline = timeline
        self._listeners: list[Callable[[], None]] = []

    @property
    def prices(self) -> PriceModel | None:
        """The price model of the test's timeline (no dispatches, no standing charges)."""
        return None if self._timeline is None else PriceModel.build(self._timeline, (), ())

    def async_add_listener(
        self, update_callback: Callable[[], None], context: Any = None
    ) -> CALLBACK_TYPE:
        """Call ``update_callback`` whenever rates change."""
        self._listeners.append(update_callback)
        return lambda: self._listeners.remove(update_callback)

    def publish(self, timeline: RateTimeline | None) -> None:
        """New rates arrived: tell the listeners."""
        self._timeline = timeline
        for listener in list(self._listeners):
            listener()


@pytest.fixture
def rates() -> dict[str, FakeRates]:
    """The stand-in rates of the import and export meters."""
    return {IMPORT_KEY: FakeRates(), EXPORT_KEY: FakeRates()}


@pytest.fixture
def cheapest_entry() -> MockConfigEntry:
    """An account with an import and an export meter and no gas meter."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Octopus …0001",
        unique_id="A-00000001",
        data={
            CONF_API_KEY: "sk_test_simulator",
            CONF_ACCOUNT_NUMBER: "A-00000001",
            CONF_ELECTRICITY_METERS: [
                {CONF_MPAN: "1000000000001", CONF_SERIAL: "21L0000001", CONF_IS_EXPORT: False},
                {CONF_MPAN: "1000000000002", CONF_SERIAL: "21L0000001", CONF_IS_EXPORT: True},
            ],
            CONF_GAS_METERS: [],
        },
        version=1,
        minor_version=1,
    )


@pytest.fixture
def stub_setup(rates: dict[str, FakeRates]) -> Iterator[None]:
    """Set the entry up with the stand-in rates and only the binary sensor platform."""

    async def setup_entry(hass: HomeAssistant, entry: OctopusConfigEntry) -> bool:
        entry.runtime_data = OctopusRuntimeData(
            client=MagicMock(),
            options=OctopusOptions(),
            meters=meters_from_entry_data(entry.data),
            account=MagicMock(),
            smartflex=MagicMock(),
            rates=dict(rates),
        )
        async_sync_devices(hass, entry, entry.runtime_data)  # the meters' devices, as set-up does
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.BINARY_SENSOR])

        async def reload(hass: HomeAssistant, entry: OctopusConfigEntry) -> None:
            await hass.config_entries.async_reload(entry.entry_id)

        entry.async_on_unload(entry.add_update_listener(reload))
        return True

    async def unload_entry(hass: HomeAssistant, entry: OctopusConfigEntry) -> bool:
        return await hass.config_entries.async_unload_platforms(entry, [Platform.BINARY_SENSOR])

    with (
        patch("custom_components.octopus_kraken.async_setup_entry", setup_entry),
        patch("custom_components.octopus_kraken.async_unload_entry", unload_entry),
        patch(
            "custom_components.octopus_kraken.binary_sensor.add_rate_binary_sensors",
            lambda entry, add: None,
        ),
        patch(
            "custom_components.octopus_kraken.binary_sensor.add_off_peak_binary_sensors",
            lambda entry, add: None,
        ),
    ):
        yield


def window_subentry(title: str = "Dishwasher", **data: Any) -> ConfigSubentry:
    """A cheapest-window subentry; ``data`` overrides a 1-hour continuous 22:00-07:00 window."""
    settings: dict[str, Any] = {
        "meter": "import",
        "window_type": "fixed",
        "start": "22:00:00",
        "end": "07:00:00",
        "duration": 1,
        "mode": "continuous",
        "target": "cheapest",
        "prefer_latest": False,
        "start_offset": 0,
        "allow_partial": False,
    }
    settings.update(data)
    return ConfigSubentry(
        data=MappingProxyType(settings),
        subentry_type="cheapest_window",
        title=title,
        unique_id=None,
    )


@pytest.fixture
async def setup_window(
    hass: HomeAssistant, cheapest_entry: MockConfigEntry, stub_setup: None
) -> AsyncIterator[Callable[..., Any]]:
    """Add cheapest-window subentries to the entry and set it up."""

    async def add(*subentries: ConfigSubentry) -> MockConfigEntry:
        cheapest_entry.add_to_hass(hass)
        for subentry in subentries:
            hass.config_entries.async_add_subentry(cheapest_entry, subentry)
        assert await hass.config_entries.async_setup(cheapest_entry.entry_id)
        await hass.async_block_till_done()
        return cheapest_entry

    return add


type OpenWindow = Callable[..., Any]


@pytest.fixture
def open_window(
    freezer: FrozenDateTimeFactory,
    rates: dict[str, FakeRates],
    setup_window: Callable[..., Any],
) -> OpenWindow:
    """At ``when``, publish ``prices`` (if any) on ``meter`` and set the windows up."""

    async def open_at(
        when: datetime,
        *subentries: ConfigSubentry,
        prices: RateTimeline | None = None,
        meter: str = IMPORT_KEY,
    ) -> MockConfigEntry:
        freezer.move_to(when)
        if prices is not None:
            rates[meter].publish(prices)
        return await setup_window(*subentries)  # type: ignore[no-any-return]

    return open_at
