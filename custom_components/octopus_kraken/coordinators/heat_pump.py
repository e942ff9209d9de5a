"""The heat pump's status: ``heatPumpStatus`` every five minutes, only on accounts that have one.

Created only when the account's device list (fetched by the account coordinator anyway) has a
``HEAT_PUMPS`` device, so other accounts never ask. The zone and hot-water fields are not in the
reference: if the API refuses the detailed document (a GraphQL error other than "status could
not be fetched"), the connection alone is asked for from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from ..api import HeatPumpStatus, OctopusClient, OctopusGraphQLError
from ..codec import from_json, to_json
from ..const import CONF_ACCOUNT_NUMBER, LOGGER
from .base import FetchResult, OctopusCoordinator

HEAT_PUMP_INTERVAL = timedelta(minutes=5)
STATUS_UNAVAILABLE_CODE = "KT-CT-4360"  # "Device status could not be fetched": try again later


@dataclass(frozen=True, slots=True)
class HeatPumpData:
    """The last status (``None``: the API says the account has no heat pump status)."""

    status: HeatPumpStatus | None
    fetched_at: datetime
    detailed: bool = True  # False once the API refused the zone and hot-water fields


class HeatPumpCoordinator(OctopusCoordinator[HeatPumpData]):
    """Polls ``heatPumpStatus`` at most every five minutes."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, client: OctopusClient) -> None:
        """Create the coordinator for the entry's account."""
        super().__init__(hass, entry, name="heat pump", store_key="heat_pump")
        self.client = client
        self.account_number: str = entry.data[CONF_ACCOUNT_NUMBER]

    async def _async_fetch(
        self, previous: HeatPumpData | None, now: datetime
    ) -> FetchResult[HeatPumpData]:
        if previous is not None and now < previous.fetched_at + HEAT_PUMP_INTERVAL:
            return FetchResult(previous, previous.fetched_at + HEAT_PUMP_INTERVAL)
        detailed = previous.detailed if previous is not None else True
        try:
            status = await self.client.async_get_heat_pump_status(
                self.account_number, detailed=detailed
            )
        except OctopusGraphQLError as err:
            if not detailed or err.code == STATUS_UNAVAILABLE_CODE:
                raise
            LOGGER.debug("heatPumpStatus refused the zone fields (%s); asking less", err.code)
            detailed = False
            status = await self.client.async_get_heat_pump_status(
                self.account_number, detailed=False
            )
        return FetchResult(HeatPumpData(status, now, detailed), now + HEAT_PUMP_INTERVAL)

    def _serialize(self, data: HeatPumpData) -> dict[str, Any]:
        return {"data": to_json(data)}

    def _deserialize(self, stored: dict[str, Any]) -> HeatPumpData:
        return from_json(HeatPumpData, stored["data"])
