"""The simulator's notion of "now".

By default it follows ``datetime.now(UTC)`` looked up at call time, so freezegun (which replaces
``datetime.datetime``) moves the simulator together with a Home Assistant test's frozen time.
"""

from __future__ import annotations

import datetime as _dt
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from octopus_simulator.timeutil import to_utc


class ClockMode(StrEnum):
    """How the clock derives the current time."""

    FOLLOW = "follow"  # system time plus an offset
    FIXED = "fixed"  # a set instant that only moves when advanced


class SimClock:
    """A settable clock: follows the system time (plus an offset) or stands at a fixed instant."""

    def __init__(self, now: datetime | None = None) -> None:
        self._mode = ClockMode.FOLLOW
        self._offset = timedelta(0)
        self._fixed = datetime(2000, 1, 1, tzinfo=UTC)
        if now is not None:
            self.set(now)

    @staticmethod
    def system_now() -> datetime:
        """The (possibly freezegun-patched) system time, attribute looked up at call time."""
        return to_utc(_dt.datetime.now(UTC))

    @property
    def mode(self) -> ClockMode:
        """Whether the clock follows the system time or stands still."""
        return self._mode

    @property
    def offset(self) -> timedelta:
        """How far ahead of the system time the clock runs in follow mode."""
        return self._offset

    def now(self) -> datetime:
        """The current simulated time, aware and in UTC."""
        if self._mode is ClockMode.FIXED:
            return self._fixed
        return self.system_now() + self._offset

    def set(self, instant: datetime) -> None:
        """Stand still at ``instant`` until set, advanced or told to follow again."""
        if instant.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self._mode = ClockMode.FIXED
        self._fixed = to_utc(instant)

    def advance(self, delta: timedelta) -> None:
        """Move forward (or back, with a negative delta) in either mode."""
        if self._mode is ClockMode.FIXED:
            self._fixed += delta
        else:
            self._offset += delta

    def follow_system(self, offset: timedelta = timedelta(0)) -> None:
        """Follow the system time again (optionally shifted by ``offset``)."""
        self._mode = ClockMode.FOLLOW
        self._offset = offset

    def as_dict(self) -> dict[str, object]:
        """The clock's state as the control API reports it."""
        return {
            "now": self.now().isoformat(),
            "mode": self._mode.value,
            "offset_seconds": self._offset.total_seconds(),
        }
