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
    DurationMode,
    PeriodSummary,
    PricedSlot,
    SearchMode,
    SearchTarget,
    TieBreak,
    Weighting,
    WindowSearch,
    find_cheapest_window,
    rolling_window_bounds,
)
from .domain.time import HALF_HOUR, LocalWindow, Period, floor_half_hour, next_boundary
from .domain.timeline import RateTimeline
from .meters import METER_CHOICES, MeterConfig, MeterKind

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
CONF_DURATION_MODE = "duration_mode"
CONF_WEIGHTING = "weighting"  # e.g. "2,1*": continuous only
CONF_MIN_MINUTES_LEFT = "min_minutes_left"  # of the current slot, for it to count
CONF_RE_EVALUATE = "re_evaluate"
MAX_MINUTES_LEFT = 29

REASON_RATES_UNKNOWN = "rates_unknown"
PENCE_PER_POUND = Decimal(100)


class MeterChoice(StrEnum):
    """Which of the entry's meters a user means: the same three words in every action and form."""

    IMPORT = "import"
    EXPORT = "export"
    GAS = "gas"

    @property
    def meter_kind(self) -> MeterKind:
        """The ``MeterConfig.kind`` this choice resolves to."""
        return METER_CHOICES[self.value]


class ReEvaluate(StrEnum):
    """When a sensor's choice is searched again.

    ``always``: at every half-hour and price update (past slots of a running fixed window are
    kept, never chosen again); ``before_start``: until the window (rolling: the chosen run) has
    started; ``never``: once a complete choice is found, until it (the fixed window) is over.
    """

    ALWAYS = "always"
    BEFORE_START = "before_start"
    NEVER = "never"


class WindowType(StrEnum):
    """A daily window of local times, or the next hours from now."""

    FIXED = "fixed"
    ROLLING = "rolling"


def meter_for_choice(meters: Sequence[MeterConfig], choice: MeterChoice) -> MeterConfig | None:
    """The entry's first meter of the kind ``choice`` names."""
    return next((meter for meter in meters if meter.kind is choice.meter_kind), None)


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
    min_left: timedelta = timedelta(0)
    re_evaluate: ReEvaluate = ReEvaluate.BEFORE_START

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
            min_left=timedelta(minutes=int(data.get(CONF_MIN_MINUTES_LEFT, 0))),
            re_evaluate=ReEvaluate(
                data.get(CONF_RE_EVALUATE)
                or (ReEvaluate.BEFORE_START if fixed else ReEvaluate.ALWAYS)
            ),
        )

    def window_at(self, now: datetime, tz: tzinfo) -> Period:
        """The window instance that matters at ``now``: running or next (fixed), or from now."""
        if self.window_type is WindowType.ROLLING:
            assert self.hours is not None
            return rolling_window_bounds(now, self.hours, self.min_left)
        assert self.start is not None
        assert self.end is not None
        return LocalWindow(self.start, self.end).instance_at(now, tz)


def option_errors(data: Mapping[str, Any]) -> dict[str, str]:
    """Bad combinations of search options, as field -> translation key (empty when valid)."""
    errors: dict[str, str] = {}
    text = data.get(CONF_WEIGHTING)
    if text:
        try:
            weighting = Weighting.parse(str(text))
        except ValueError:
            errors[CONF_WEIGHTING] = "weighting_invalid"
        else:
            slots = timedelta(hours=float(data[CONF_DURATION])) // HALF_HOUR
            if data.get(CONF_MODE, SearchMode.CONTINUOUS) != SearchMode.CONTINUOUS:
                errors[CONF_WEIGHTING] = "weighting_needs_continuous"
            elif not weighting.fits(slots):
                errors[CONF_WEIGHTING] = "weighting_length"
    at_least = data.get(CONF_DURATION_MODE) == DurationMode.AT_LEAST
    if at_least and data.get(CONF_MAX_PRICE) is None and data.get(CONF_MIN_PRICE) is None:
        errors[CONF_DURATION_MODE] = "at_least_needs_price_limit"
    return errors


def search_from_fields(data: Mapping[str, Any]) -> WindowSearch:
    """The search options of subentry data or a service call (prices in GBP, offset minutes)."""
    text = data.get(CONF_WEIGHTING)
    return WindowSearch(
        duration=timedelta(hours=float(data[CONF_DURATION])),
        mode=SearchMode(data.get(CONF_MODE, SearchMode.CONTINUOUS)),
        target=SearchTarget(data.get(CONF_TARGET, SearchTarget.CHEAPEST)),
        max_price=pounds_to_pence(data.get(CONF_MAX_PRICE)),
        min_price=pounds_to_pence(data.get(CONF_MIN_PRICE)),
        prefer=TieBreak.LATEST if data.get(CONF_PREFER_LATEST) else TieBreak.EARLIEST,
        start_offset=timedelta(minutes=float(data.get(CONF_START_OFFSET, 0))),
        allow_partial=bool(data.get(CONF_ALLOW_PARTIAL, False)),
        duration_mode=DurationMode(data.get(CONF_DURATION_MODE) or DurationMode.EXACT),
        weighting=Weighting.parse(str(text)) if text else None,
    )


@dataclass(frozen=True, slots=True)
class WindowResult:
    """A search result, the window instance it belongs to, and when it was computed.

    ``carried`` are on-periods still owed by an earlier choice whose slots have left the window
    (a positive start offset running past the window's end, a rolling window moving on).
    """

    window: Period  # the whole window instance (UTC), even when only its rest was searched
    found: CheapestWindowResult
    computed_at: datetime
    carried: tuple[Period, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether the whole searched window was priced."""
        return self.found.complete

    def is_on(self, now: datetime) -> bool:
        """Whether ``now`` falls in one of the chosen or carried periods (offset applied)."""
        return self.found.is_active(now) or any(a <= now < b for a, b in self.carried)

    def next_edge(self, now: datetime) -> datetime | None:
        """The next instant at which ``is_on`` changes."""
        periods = (*self.found.periods, *self.carried)
        return min((edge for period in periods for edge in period if edge > now), default=None)

    def owed(self, now: datetime, search_start: datetime) -> tuple[Period, ...]:
        """On-time of this choice whose slots lie before ``search_start`` and is not over."""
        offset = (
            self.found.summaries[0].start - self.found.slots[0].start if self.found.found else None
        )
        owed = [(a, b) for a, b in self.carried if b > now]
        if offset is not None:
            for start, end in self.found.periods:
                end = min(end, search_start + offset)
                if end > max(start, now):
                    owed.append((start, end))
        return tuple(owed)

    def next_wakeup(self, now: datetime) -> datetime:
        """When to look again: the next edge or the next half-hour boundary, whichever is first.

        Half-hour boundaries cover everything else that can change the answer: a rolling window
        moving, a fixed window ending (its times are half-hour aligned), clock changes.
        """
        boundary = next_boundary(now)
        edge = self.next_edge(now)
        return boundary if edge is None else min(edge, boundary)

    def as_dict(self, now: datetime, tz: tzinfo) -> dict[str, Any]:
        """State attributes and service data: ISO times with offset, money in GBP, hours."""
        found = self.found

        def iso(instant: datetime | None) -> str | None:
            return None if instant is None else instant.astimezone(tz).isoformat()

        def period(summary: PeriodSummary | None, prefix: str) -> dict[str, Any]:
            return {
                f"{prefix}start": iso(summary.start) if summary else None,
                f"{prefix}end": iso(summary.end) if summary else None,
                f"{prefix}duration": _hours(summary.duration) if summary else None,
                f"{prefix}min_price": pence_to_pounds(summary.minimum) if summary else None,
                f"{prefix}max_price": pence_to_pounds(summary.maximum) if summary else None,
                f"{prefix}average_price": pence_to_pounds(summary.average) if summary else None,
            }

        prices = [slot.price for slot in found.slots]
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
            "periods": [
                {k.removeprefix("_"): v for k, v in period(summary, "_").items()}
                for summary in found.summaries
            ],
            "duration": _hours(len(found.slots) * HALF_HOUR),
            "total_price": pence_to_pounds(found.total) if found.slots else None,
            "min_price": pence_to_pounds(min(prices)) if prices else None,
            "max_price": pence_to_pounds(max(prices)) if prices else None,
            "average_price": None if found.average is None else pence_to_pounds(found.average),
            **period(found.current_summary(now), "current_"),
            **period(found.next_summary(now), "next_"),
            "complete": found.complete,
            "reason": None if found.reason is None else str(found.reason),
            "last_computed": iso(self.computed_at),
        }


def _hours(delta: timedelta) -> float:
    return delta / timedelta(hours=1)


def search_window(
    timeline: RateTimeline | None,
    window: Period,
    search: WindowSearch,
    now: datetime,
    *,
    search_from: datetime | None = None,
    done: tuple[PricedSlot, ...] = (),
) -> WindowResult:
    """Search ``window`` (or its part from ``search_from``) of ``timeline``."""
    start = window[0] if search_from is None else max(window[0], search_from)
    rates = () if timeline is None else timeline
    found = find_cheapest_window(rates, start, window[1], search, now, done=done)
    return WindowResult(window=window, found=found, computed_at=now)


def _hold(settings: WindowSettings, window: Period, previous: WindowResult, now: datetime) -> bool:
    """Whether the re-evaluation rule keeps ``previous`` as it is at ``now``."""
    rule = settings.re_evaluate
    if rule is ReEvaluate.ALWAYS or not (previous.complete and previous.found.found):
        return False
    if settings.window_type is WindowType.FIXED:
        same = previous.window == window
        return same and (rule is ReEvaluate.NEVER or window[0] <= now)
    running = any(end > now for _, end in previous.found.periods)
    started = previous.found.periods[0][0] <= now
    return running and (rule is ReEvaluate.NEVER or started)


def plan(
    settings: WindowSettings,
    timeline: RateTimeline | None,
    now: datetime,
    previous: WindowResult | None,
    tz: tzinfo,
) -> WindowResult:
    """The answer a binary sensor shows at ``now``.

    The re-evaluation rule may keep the previous answer (see :class:`ReEvaluate`). Otherwise a
    fixed window that has started keeps the slots already run and searches what is left of it
    for the rest of the duration only (a continuous run that has started is kept whole); a
    search that starts afresh still honours on-time owed by the previous choice.
    """
    window = settings.window_at(now, tz)
    if previous is not None and _hold(settings, window, previous, now):
        return previous
    search = settings.search
    if (
        settings.window_type is WindowType.FIXED
        and window[0] <= now
        and previous is not None
        and previous.window == window
    ):
        done = tuple(slot for slot in previous.found.slots if slot.start < now)
        if done and search.mode is SearchMode.CONTINUOUS:
            return previous
        cut = floor_half_hour(now)
        if done and done[-1].start == cut:
            cut += HALF_HOUR
        result = search_window(timeline, window, search, now, search_from=cut, done=done)
        carried = tuple((a, b) for a, b in previous.carried if b > now)
    else:
        result = search_window(timeline, window, search, now)
        carried = () if previous is None else previous.owed(now, window[0])
    return WindowResult(result.window, result.found, now, carried)
