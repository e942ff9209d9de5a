"""Answers the reference leaves open: the simulator's default guess and the other plausible ones.

Every switch here is a field of ``Scenario.choices`` (build a world with it) and a key of
``POST /_sim/scenario`` (flip it while a client runs); ``SWITCHES`` lists each with its values,
default first, so tests can run under every answer. Switches that live elsewhere (publication
times in ``PublicationRules``, dispatch lags in ``DispatchRules``) are listed there too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo


class NoHomeMini(StrEnum):
    """What ``smartMeterTelemetry`` answers for a smart meter without a Home Mini."""

    NO_HAN = "KT-GB-4056"  # "no HAN record" (default)
    NOT_FOUND = "KT-GB-4050"  # "smart meter not found"
    EMPTY = "empty"  # an empty list
    NULL = "null"  # ``null`` for the field, no error


class QuietMode(StrEnum):
    """How a paired Home Mini that stopped reporting looks."""

    STALE = "stale"  # the latest reading is the last one before it went quiet (hours old)
    EMPTY = "empty"  # an empty list until it reports again


@dataclass(slots=True)
class QuietSpell:
    """A Home Mini (by ESME device id) silent over ``[start, end)`` (``end`` None: still)."""

    device_id: str
    start: datetime
    end: datetime | None = None
    mode: QuietMode = QuietMode.STALE

    def covers(self, instant: datetime) -> bool:
        """Whether the Home Mini is silent at ``instant``."""
        return self.start <= instant and (self.end is None or instant < self.end)


class MeterPointAuth(StrEnum):
    """Who may read ``/v1/electricity-meter-points/{mpan}/``."""

    ANY_KEY = "any_key"  # any valid API key, for any MPAN (default)
    OWNER_ONLY = "owner_only"  # only a key whose accounts hold the MPAN; others get 404
    PUBLIC = "public"  # no authentication at all


class LostAnswer(StrEnum):
    """A mutation the server carries out whose answer never reaches the client."""

    TIMEOUT = "timeout"  # the change is made, the answer comes after the client gave up
    BAD_GATEWAY = "502"  # the change is made, a proxy answers 502 instead


UK = "Europe/London"


@dataclass(frozen=True, slots=True)
class NightWindow:
    """An Economy 7 night window, wall-clock ``start``-``end`` in ``zone`` (UTC or UK time)."""

    start: time = time(0, 30)
    end: time = time(7, 30)
    zone: str = "UTC"

    def is_night(self, instant: datetime) -> bool:
        """Whether ``instant`` falls in the night window."""
        local = instant.astimezone(ZoneInfo(self.zone)).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # a window over midnight


# SmartFlex ``currentState`` values other than the documented ones the API may use.
IDLE_STATES = ("SMART_CONTROL_CAPABLE", "SMART_CONTROL_NOT_AVAILABLE", "SETUP_COMPLETE")


@dataclass(slots=True)
class SilentChoices:
    """The switchable answers (defaults are the simulator's long-standing guesses)."""

    no_home_mini: NoHomeMini = NoHomeMini.NO_HAN  # for ids in ``Scenario.telemetry_unavailable``
    home_mini_quiet: list[QuietSpell] = field(default_factory=list)
    restricted_products: dict[str, int] = field(default_factory=dict)  # code -> 404 or 401
    meter_point_auth: MeterPointAuth = MeterPointAuth.ANY_KEY
    economy7_night: NightWindow = field(default_factory=NightWindow)
    economy7_night_by_mpan: dict[str, NightWindow] = field(default_factory=dict)
    unplugged_state: str = "SMART_CONTROL_CAPABLE"  # currentState while unplugged
    no_plan_state: str = "SMART_CONTROL_CAPABLE"  # currentState plugged in, nothing planned
    mutation_answer_lost: LostAnswer | None = None  # every device mutation loses its answer
    # setDevicePreferences: the weekdays a call does not send are "kept" or "dropped".
    unsent_schedule_days: str = "kept"

    def night_window(self, mpan: str) -> NightWindow:
        """The Economy 7 night window of an MPAN."""
        return self.economy7_night_by_mpan.get(mpan, self.economy7_night)

    def quiet_spell(self, device_id: str, instant: datetime) -> QuietSpell | None:
        """The spell a Home Mini is silent in at ``instant``, if any."""
        return next(
            (s for s in self.home_mini_quiet if s.device_id == device_id and s.covers(instant)),
            None,
        )
