"""What SmartFlex controls share: translated errors, and optimistic state only after success."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .api import (
    OctopusAuthError,
    OctopusBoostRefusedError,
    OctopusError,
    OctopusRateLimitError,
    OctopusUnavailableError,
    SmartFlexDevice,
)
from .const import DOMAIN
from .smartflex import SmartFlexEntity

BOOST_IN_PROGRESS = "BC_BOOST_CHARGE_IN_PROGRESS"
# KT-CT-4357's ``boostChargeRefusalReasons``; each has its own translated message.
BOOST_REFUSAL_REASONS = frozenset(
    {
        "BC_DEVICE_NOT_YET_LIVE",
        "BC_DEVICE_RETIRED",
        "BC_DEVICE_SUSPENDED",
        "BC_DEVICE_DISCONNECTED",
        "BC_DEVICE_NOT_AT_HOME",
        "BC_BOOST_CHARGE_IN_PROGRESS",
        "BC_DEVICE_FULLY_CHARGED",
    }
)


def has_preferences(device: SmartFlexDevice) -> bool:
    """Whether the device has charging preferences (a target and a ready-by time) to set."""
    return bool(device.schedules) or device.bounds is not None


def control_error(err: OctopusError) -> HomeAssistantError:
    """The translated error a user sees when a SmartFlex action fails."""
    if isinstance(err, OctopusBoostRefusedError):
        known = [r for r in err.reasons if r in BOOST_REFUSAL_REASONS]
        if known:
            return HomeAssistantError(
                translation_domain=DOMAIN, translation_key=f"boost_refused_{known[0].lower()}"
            )
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="boost_refused",
            translation_placeholders={"reason": ", ".join(err.reasons) or "-"},
        )
    if isinstance(err, OctopusRateLimitError):
        return HomeAssistantError(translation_domain=DOMAIN, translation_key="control_rate_limited")
    if isinstance(err, OctopusAuthError):
        return HomeAssistantError(translation_domain=DOMAIN, translation_key="auth_failed")
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="control_failed",
        translation_placeholders={"error": err.code or type(err).__name__},
    )


class SmartFlexControl[T](SmartFlexEntity):
    """A SmartFlex entity that changes the device through a mutation.

    After a successful action the entity shows what was asked until a fetch made after the
    action says otherwise; a failed action changes nothing.
    """

    _optimistic: T | None = None
    _optimistic_since: datetime | None = None

    async def _async_act(
        self,
        action: Awaitable[None],
        optimistic: T,
        took_effect: Callable[[], bool] | None = None,
    ) -> None:
        """Run ``action``; on success show ``optimistic`` and refresh the dispatches.

        A mutation is never sent twice: when its answer is lost (timeout, 5xx) the device is
        read again and ``took_effect`` says whether the change happened all the same.
        """
        try:
            await action
        except OctopusAuthError as err:
            self.coordinator.config_entry.async_start_reauth(self.hass)
            raise control_error(err) from err
        except OctopusBoostRefusedError as err:
            if optimistic is not True or BOOST_IN_PROGRESS not in err.reasons:
                raise control_error(err) from err
            # Asked to boost while a boost runs: what the user wants is already happening.
        except OctopusUnavailableError as err:
            await self.coordinator.async_refresh_soon()
            if took_effect is None or not took_effect():
                raise control_error(err) from err
        except OctopusError as err:
            raise control_error(err) from err
        self._optimistic = optimistic
        self._optimistic_since = dt_util.utcnow()
        self.async_write_ha_state()
        await self.coordinator.async_refresh_soon()

    def _shown(self, actual: T | None) -> T | None:
        """``actual``, or the optimistic value while no newer fetch exists."""
        return self._optimistic if self._optimistic_since is not None else actual

    @callback
    def _handle_coordinator_update(self) -> None:
        data = self.coordinator.data
        since = self._optimistic_since
        if since is not None and data is not None and data.fetched_at and data.fetched_at >= since:
            self._optimistic = None
            self._optimistic_since = None
        super()._handle_coordinator_update()
