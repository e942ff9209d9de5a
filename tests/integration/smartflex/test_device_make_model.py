"""SmartFlex devices carry the make and model the account's device list gives, at no extra cost."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import DOMAIN
from octopus_simulator.scenario import CHARGER_DEVICE_ID


async def test_the_charger_device_shows_its_make_and_model(
    hass: HomeAssistant, octopus_simulator: Any, init_integration: MockConfigEntry
) -> None:
    listed = next(
        d for d in octopus_simulator.state.accounts[0].devices if d.id == CHARGER_DEVICE_ID
    )
    device = dr.async_get(hass).async_get_device({(DOMAIN, f"smartflex_{CHARGER_DEVICE_ID}")})
    assert device is not None
    assert (device.manufacturer, device.model) == (listed.make, listed.model)
    catalogues = ("flexSupportedDevices", "electricVehicles", "chargePointVariants")
    assert not any(octopus_simulator.request_log.count(operation=name) for name in catalogues)
