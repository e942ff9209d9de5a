"""Services (actions) of the integration, registered once in ``async_setup``."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback

from .cheapest_services import async_setup_cheapest_services
from .rate_services import async_setup_rate_services


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every service of the integration."""
    async_setup_rate_services(hass)
    async_setup_cheapest_services(hass)
