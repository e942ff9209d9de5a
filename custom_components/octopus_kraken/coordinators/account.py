"""The account: balance, meter points, agreements (tariffs) and SmartFlex devices.

Fetched rarely: every few hours, and just after UK midnight when agreements change hands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from ..api import Account, Octoplus, OctopusClient, SmartFlexDevice
from ..codec import from_json, to_json
from ..const import ACCOUNT_REFRESH_INTERVAL, CONF_ACCOUNT_NUMBER, UK_TZ
from ..domain.jitter import jittered
from .base import FetchResult, OctopusCoordinator


@dataclass(frozen=True, slots=True)
class AccountData:
    """The account as last fetched."""

    account: Account
    devices: tuple[SmartFlexDevice, ...]
    fetched_at: datetime
    octoplus: Octoplus | None = None  # None: the API gave no Octoplus status


def next_account_fetch(now: datetime) -> datetime:
    """The regular interval, or a few minutes after the next UK midnight if that comes first."""
    local = now.astimezone(UK_TZ)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), UK_TZ)
    after_midnight = jittered(midnight, low=120, high=600)
    return min(now + ACCOUNT_REFRESH_INTERVAL, after_midnight)


class AccountCoordinator(OctopusCoordinator[AccountData]):
    """Keeps the account and its SmartFlex devices."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, client: OctopusClient) -> None:
        """Create the coordinator for the entry's account."""
        super().__init__(hass, entry, name="account", store_key="account")
        self.client = client
        self.account_number: str = entry.data[CONF_ACCOUNT_NUMBER]
        self._force = False

    async def async_force_refresh(self) -> None:
        """Fetch now, whatever the cache says (after a control action, for example)."""
        self._force = True
        await self.async_refresh()

    async def _async_fetch(
        self, previous: AccountData | None, now: datetime
    ) -> FetchResult[AccountData]:
        if previous is not None and not self._force:
            due = min(
                previous.fetched_at + ACCOUNT_REFRESH_INTERVAL,
                next_account_fetch(previous.fetched_at),
            )
            if now < due:
                # A restart with a fresh cache costs no request.
                return FetchResult(previous, due)
        self._force = False
        account, octoplus = await self._async_get_account(previous)
        devices = await self.client.async_get_devices(self.account_number)
        data = AccountData(
            account=account, devices=tuple(devices), fetched_at=now, octoplus=octoplus
        )
        return FetchResult(data, next_account_fetch(now))

    async def _async_get_account(
        self, previous: AccountData | None
    ) -> tuple[Account, Octoplus | None]:
        """The account with its Octoplus status in the same request.

        The points balance is asked for (in that request too) once the account is known to be
        enrolled; the refresh that first finds it enrolled asks again at once, with the points.
        """
        known = previous.octoplus if previous is not None else None
        with_points = known is not None and known.enrolled
        account, octoplus = await self.client.async_get_account_and_octoplus(
            self.account_number, points=with_points
        )
        if octoplus is not None and octoplus.enrolled and not with_points:
            account, octoplus = await self.client.async_get_account_and_octoplus(
                self.account_number, points=True
            )
        return account, octoplus

    def _serialize(self, data: AccountData) -> dict[str, Any]:
        return {"data": to_json(data)}

    def _deserialize(self, stored: dict[str, Any]) -> AccountData:
        return from_json(AccountData, stored["data"])
