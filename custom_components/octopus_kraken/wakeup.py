"""One helper for "wake the listeners at T": a single pending timer, re-armed by each call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time


class WakeUp:
    """Calls ``action`` at the instant last asked for; asking again replaces the pending one."""

    def __init__(self, hass: HomeAssistant, action: Callable[[], None]) -> None:
        """Create the timer (nothing is pending yet)."""
        self._hass = hass
        self._action = action
        self._cancel: CALLBACK_TYPE | None = None

    @callback
    def at(self, when: datetime) -> None:
        """Call the action at ``when`` (and not at the instant asked for before)."""
        self.cancel()
        self._cancel = async_track_point_in_utc_time(self._hass, self._fire, when)

    @callback
    def cancel(self) -> None:
        """Forget the pending instant, if any (idempotent)."""
        if self._cancel is not None:
            self._cancel()
            self._cancel = None

    @callback
    def _fire(self, _now: datetime) -> None:
        self._cancel = None
        self._action()


@callback
def stop_all(tick: WakeUp, unsubscribes: list[CALLBACK_TYPE]) -> None:
    """Cancel ``tick`` and call every unsubscribe of ``unsubscribes``, emptying it (idempotent)."""
    tick.cancel()
    while unsubscribes:
        unsubscribes.pop()()
