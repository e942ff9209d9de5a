"""Cheapest-window settings, results and planning, shared by the binary sensors and the service.

The search itself is ``domain.cheapest``; this module turns user settings (subentry data or service
fields) into a search over a concrete UTC window, and a search result into what a user sees:
on/off at an instant, the next edges, ``target_times`` and the service response.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .domain.cheapest import (
    CheapestWindowResult,
    SearchMode,
    SearchTarget,
    TieBreak,
    WindowSearch,
    find_cheapest_window,
)
from .domain.time import HALF_HOUR, LocalWindow, Period, floor_half_hour, next_boundary
from .domain.timeline import RateTimeline
from .runtime import MeterConfig

# --- subentry data / service fields ---------------------------------------------------------------
SUBENTRY_TYPE = "cheapest_window"
CONF_NAME = "name"
CONF_METER = "meter"  # import / export / gas, as in every action
CONF_TARGET = "target"
CONF_WINDOW_TYPE = "window_type"
CONF_START = "start"
CONF_END = "end"
CONF_HOURS = "hours"  # rolling window length
CONF_DURATION = "duration"
CONF_MODE = "mode"
CONF_MAX_PRICE = "max_price"
CONF_MIN_PRICE = "min_price"
CONF_PREFER_LATEST = "prefer_latest"
CONF_START_OFFSET = "start_offset"
CONF_ALLOW_PARTIAL = "allow_partial"

REASON_RATES_UNKNOWN = "rates_unknown"
PENCE_PER_POUND = Decimal(100)


class MeterChoice(StrEnum):
    """Which of the entry's meters a user means: the same three words in every action and form."""

    IMPORT = "import"
    EXPORT = "export"
    GAS = "gas"

    @property
    def meter_kind(self) -> str:
        """The ``MeterConfig.kind`` this choice resolves to."""
        return {"import": "electricity_import", "export": "electricity_export", "gas": "gas"}[
            self.value
        ]


class WindowType(StrEnum):
    """A daily window of local times, or the next hours from now."""

    FIXED = "fixed"
    ROLLING = "rolling"


def meter_for_choice(meters: Sequence[MeterConfig], choice: MeterChoice) -> MeterConfig | None:
    """The entry's first meter of the kind ``choice`` names."""
    return next((meter for meter in meters if meter.kind == choice.meter_kind), None)


def pounds_to_pence(value: float | str | Decimal | None) -> Decimal | None:
    """A GBP amount from a form or service call as pence; ``None`` stays ``None``."""
    return None if value is None else Decimal(str(value)) * PENCE_PER_POUND


def pence_to_pounds(value: Decimal) -> float:
    """Pence as GBP for display, rounded to a hundredth of a penny."""
    return float(round(value / PENCE_PER_POUND, 6))


def is_half_hour_multiple(delta: timedelta) -> bool:
    """Whether ``delta`` is a positive whole number of half hours."""
    return delta > timedelta(0) and delta % HALF_HOUR == timedelta(0)


def fixed_window_length(start: time, end: time) -> timedelta:
    """Nominal length of a daily window (clock changes aside); equal times mean 24 hours."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes <= 0:
        minutes += 24 * 60
    return timedelta(minutes=minutes)


@dataclass(frozen=True, slots=True)
class WindowSettings:
    """A cheapest-window binary sensor's settings, read from its subentry's data."""

    meter: MeterChoice
    window_type: WindowType
    start: time | None
    end: time | None
    hours: timedelta | None
    search: WindowSearch

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WindowSettings:
        """Parse subentry data (as stored by the subentry flow)."""
        window_type = WindowType(data[CONF_WINDOW_TYPE])
        fixed = window_type is WindowType.FIXED
        return cls(
            meter=MeterChoice(data[CONF_METER]),
            window_type=window_type,
            start=time.fromisoformat(data[CONF_START]) if fixed else None,
            end=time.fromisoformat(data[CONF_END]) if fixed else None,
            hours=None if fixed else timedelta(hours=float(data[CONF_HOURS])),
            search=search_from_fields(data),
        )

    def window_at(self, now: datetime, tz: tzinfo) -> Period:
        """The window instance that matters at ``now``: running or next (fixed), or from now."""
        if self.window_type is WindowType.ROLLING:
            assert self.hours is not None
            start = floor_half_hour(now)
            return start, start + self.hours
        assert self.start is not None
        assert self.end is not None
        return LocalWindow(self.start, self.end).instance_at(now, tz)


def search_from_fields(data: Mapping[str, Any]) -> WindowSearch:
    """The search options of subentry data or a service call (prices in GBP, offset minutes)."""
    return WindowSearch(
        duration=timedelta(hours=float(data[CONF_DURATION])),
        mode=SearchMode(data.get(CONF_MODE, SearchMode.CONTINUOUS)),
        target=SearchTarget(data.get(CONF_TARGET, SearchTarget.CHEAPEST)),
        max_price=pounds_to_pence(data.get(CONF_MAX_PRICE)),
        min_price=pounds_to_pence(data.get(CONF_MIN_PRICE)),
        prefer=TieBreak.LATEST if data.get(CONF_PREFER_LATEST) else TieBreak.EARLIEST,
        start_offset=timedelta(minutes=float(data.get(CONF_START_OFFSET, 0))),
        allow_partial=bool(data.get(CONF_ALLOW_PARTIAL, False)),
    )


@dataclass(frozen=True, slots=True)
class WindowResult:
    """A search result, the window instance it belongs to, and when it was computed."""

    window: Period  # the whole window instance (UTC), even when only its rest was searched
    found: CheapestWindowResult
    computed_at: datetime

    @property
    def complete(self) -> bool:
        """Whether the whole searched window was priced."""
        return self.found.complete

    def is_on(self, now: datetime) -> bool:
        """Whether ``now`` falls in one of the chosen periods (offset applied)."""
        return self.found.is_active(now)

    def next_edge(self, now: datetime) -> datetime | None:
        """The next instant at which ``is_on`` changes."""
        edges = [edge for period in self.found.periods for edge in period if edge > now]
        return min(edges, default=None)

    def next_wakeup(self, now: datetime) -> datetime:
        """When to look again: the next edge or the next half-hour boundary, whichever is first.

        Half-hour boundaries cover everything else that can change the answer: a rolling window
        moving, a fixed window ending (its times are half-hour aligned), clock changes.
        """
        boundary = next_boundary(now)
        edge = self.next_edge(now)
        return boundary if edge is None else min(edge, boundary)

    def as_dict(self, now: datetime, tz: tzinfo) -> dict[str, Any]:
        """State attributes and service data: ISO times with offset, money in GBP."""
        found = self.found
        upcoming = found.next_period(now)

        def iso(instant: datetime | None) -> str | None:
            return None if instant is None else instant.astimezone(tz).isoformat()

        return {
            "window_start": iso(self.window[0]),
            "window_end": iso(self.window[1]),
            "target_times": [
                {
                    "start": iso(slot.start),
                    "end": iso(slot.end),
                    "value": pence_to_pounds(slot.price),
                }
                for slot in found.slots
            ],
            "periods": [{"start": iso(start), "end": iso(end)} for start, end in found.periods],
            "next_start": iso(upcoming[0] if upcoming else None),
            "next_end": iso(upcoming[1] if upcoming else None),
            "total_price": pence_to_pounds(found.total) if found.slots else None,
            "average_price": None if found.average is None else pence_to_pounds(found.average),
            "complete": found.complete,
            "reason": None if found.reason is None else str(found.reason),
            "last_computed": iso(self.computed_at),
        }


def _no_rates(window: Period, search: WindowSearch, now: datetime) -> CheapestWindowResult:
    """The empty result of a search without any rates."""
    return find_cheapest_window((), window[0], window[1], search, now)


def search_window(
    timeline: RateTimeline | None,
    window: Period,
    search: WindowSearch,
    now: datetime,
    *,
    search_from: datetime | None = None,
) -> WindowResult:
    """Search ``window`` (or its part from ``search_from``) of ``timeline``."""
    start = window[0] if search_from is None else max(window[0], search_from)
    if timeline is None or not len(timeline):
        found = _no_rates((start, window[1]), search, now)
    else:
        found = find_cheapest_window(timeline, start, window[1], search, now)
    return WindowResult(window=window, found=found, computed_at=now)


def plan(
    settings: WindowSettings,
    timeline: RateTimeline | None,
    now: datetime,
    previous: WindowResult | None,
    tz: tzinfo,
) -> WindowResult:
    """The answer a binary sensor shows at ``now``.

    A fixed window that has started keeps a complete earlier answer for the same instance, so
    rates revised mid-window (an Intelligent dispatch, say) never make it jump. An incomplete one
    is searched again over what is left of the window, from the current slot; with no earlier
    answer (a restart) the whole instance is searched, which gives the same answer as before for
    the same rates.
    """
    window = settings.window_at(now, tz)
    search_from: datetime | None = None
    if (
        settings.window_type is WindowType.FIXED
        and window[0] <= now
        and previous is not None
        and previous.window == window
    ):
        if previous.complete:
            return previous
        search_from = floor_half_hour(now)
    return search_window(timeline, window, settings.search, now, search_from=search_from)
