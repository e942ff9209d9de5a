"""What a cheapest-window search asks for and what it answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import decimal
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from ..time import HALF_HOUR, Period

# Additions in this context are exact, so equal sums compare equal and ties break as specified.
EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


class SearchMode(StrEnum):
    """Whether the chosen slots must form one unbroken run."""

    CONTINUOUS = "continuous"
    INTERMITTENT = "intermittent"


class SearchTarget(StrEnum):
    """What to look for: the cheapest slots (import) or the dearest (export)."""

    CHEAPEST = "cheapest"
    MOST_EXPENSIVE = "most_expensive"


class TieBreak(StrEnum):
    """Which of equally priced candidates wins."""

    EARLIEST = "earliest"
    LATEST = "latest"


class DurationMode(StrEnum):
    """How the duration binds the choice.

    - ``exact``: exactly the duration, or nothing when it cannot be had (both modes);
    - ``at_most``: the duration, or as much of it as can be had (intermittent: every eligible
      slot; continuous: the longest eligible run, up to the duration);
    - ``at_least``: the duration whatever the price limits, plus every further slot within them
      (continuous: the run grows over neighbouring slots within the limits).
    """

    EXACT = "exact"
    AT_MOST = "at_most"
    AT_LEAST = "at_least"


class ResultReason(StrEnum):
    """Why a result has fewer slots than asked for (or none)."""

    RATES_UNKNOWN = "rates_unknown"
    NO_SLOTS_IN_PRICE_RANGE = "no_slots_in_price_range"
    NOT_ENOUGH_SLOTS = "not_enough_slots"


@dataclass(frozen=True, slots=True)
class Weighting:
    """Per-slot weights of a continuous run, e.g. ``2,1,1``; ``2,1*`` repeats the last weight.

    A run's cost is the sum of weight times price over its slots. Without ``*`` there must be
    one weight per slot of the duration; a shorter run (``at_most``) uses the first weights.
    """

    weights: tuple[Decimal, ...]
    repeat_last: bool = False

    @classmethod
    def parse(cls, text: str) -> Weighting:
        """Read ``"2,1,1"`` or ``"2,1*"``; raise ``ValueError`` for anything else."""
        parts = [part.strip() for part in text.split(",")]
        repeat = parts[-1].endswith("*")
        if repeat:
            parts[-1] = parts[-1][:-1].strip()
        try:
            weights = tuple(Decimal(part) for part in parts)
        except InvalidOperation as err:
            raise ValueError(f"not a weighting: {text!r}") from err
        if not all(w.is_finite() and w >= 0 for w in weights):
            raise ValueError(f"weights must be finite and not negative: {text!r}")
        return cls(weights, repeat)

    def fits(self, slots: int) -> bool:
        """Whether the weighting can weigh a run of ``slots``."""
        return len(self.weights) <= slots if self.repeat_last else len(self.weights) == slots

    def for_run(self, slots: int) -> tuple[Decimal, ...]:
        """The weights of a run of ``slots`` half-hours."""
        extra = max(0, slots - len(self.weights)) if self.repeat_last else 0
        return (self.weights + (self.weights[-1],) * extra)[:slots]

    def __str__(self) -> str:
        """The text form, as :meth:`parse` reads it."""
        text = ",".join(str(w) for w in self.weights)
        return text + "*" if self.repeat_last else text


@dataclass(frozen=True, slots=True)
class WindowSearch:
    """What to search for.

    ``min_price``/``max_price`` (inclusive, p/kWh inc VAT) restrict the slots considered (with
    ``at_least`` only the slots beyond the duration). ``start_offset`` shifts the output
    ``periods`` (e.g. -30 minutes to start early), not the slots. ``allow_partial`` searches what
    is priced when the window is not fully priced yet (the result then says ``complete=False``);
    without it such a search finds nothing. ``weighting`` (continuous only) weighs each slot of
    the run; the search then minimises (or maximises) the weighted cost.
    """

    duration: timedelta
    mode: SearchMode = SearchMode.CONTINUOUS
    target: SearchTarget = SearchTarget.CHEAPEST
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    prefer: TieBreak = TieBreak.EARLIEST
    start_offset: timedelta = timedelta(0)
    allow_partial: bool = False
    duration_mode: DurationMode = DurationMode.EXACT
    weighting: Weighting | None = None

    def __post_init__(self) -> None:
        """Refuse durations the half-hourly market cannot provide and weightless weightings."""
        if self.duration <= timedelta(0) or self.duration % HALF_HOUR:
            raise ValueError(f"duration must be a positive multiple of 30 minutes: {self.duration}")
        if self.weighting is not None:
            if self.mode is not SearchMode.CONTINUOUS:
                raise ValueError("a weighting needs a continuous search")
            if not self.weighting.fits(self.slot_count):
                raise ValueError(f"weighting {self.weighting} does not fit {self.slot_count} slots")

    @property
    def slot_count(self) -> int:
        """How many half-hour slots ``duration`` is."""
        return self.duration // HALF_HOUR

    def in_range(self, price: Decimal) -> bool:
        """Whether ``price`` is within the minimum and maximum price."""
        return (self.min_price is None or price >= self.min_price) and (
            self.max_price is None or price <= self.max_price
        )


@dataclass(frozen=True, slots=True)
class PricedSlot:
    """A chosen half-hour and its price (p/kWh inc VAT)."""

    start: datetime
    end: datetime
    price: Decimal


@dataclass(frozen=True, slots=True)
class PeriodSummary:
    """One run of touching chosen slots: when it is on (offset applied) and its prices."""

    start: datetime
    end: datetime
    minimum: Decimal
    maximum: Decimal
    average: Decimal

    @property
    def duration(self) -> timedelta:
        """How long the period is on."""
        return self.end - self.start

    @classmethod
    def of(cls, slots: Sequence[PricedSlot], offset: timedelta) -> PeriodSummary:
        """The summary of touching ``slots`` (chronological)."""
        prices = [slot.price for slot in slots]
        with decimal.localcontext(EXACT):
            total = sum(prices, Decimal(0))
        return cls(
            start=slots[0].start + offset,
            end=slots[-1].end + offset,
            minimum=min(prices),
            maximum=max(prices),
            average=total / len(prices),
        )


@dataclass(frozen=True, slots=True)
class CheapestWindowResult:
    """The outcome of a search over ``[window_start, window_end)``.

    ``slots`` are chronological; ``periods`` are runs of touching slots with the start offset
    applied, ``summaries`` their prices. ``total`` is the sum of slot prices (0 without slots),
    ``average`` their mean. ``next_start``/``next_end`` are those of the first period starting
    after the search's ``now`` (a period running at ``now`` is ``current_period``, not next).
    ``complete`` says the whole window was priced; ``reason`` explains a short or empty result.
    """

    window_start: datetime
    window_end: datetime
    slots: tuple[PricedSlot, ...]
    summaries: tuple[PeriodSummary, ...]
    total: Decimal
    average: Decimal | None
    next_start: datetime | None
    next_end: datetime | None
    complete: bool
    reason: ResultReason | None = field(default=None)

    @property
    def found(self) -> bool:
        """Whether any slot was chosen."""
        return bool(self.slots)

    @property
    def periods(self) -> tuple[Period, ...]:
        """When the chosen slots are on: touching slots joined, offset applied."""
        return tuple((s.start, s.end) for s in self.summaries)

    def current_summary(self, at: datetime) -> PeriodSummary | None:
        """The period running at ``at``, if any."""
        return next((p for p in self.summaries if p.start <= at < p.end), None)

    def next_summary(self, at: datetime) -> PeriodSummary | None:
        """The first period starting after ``at``."""
        return next((p for p in self.summaries if p.start > at), None)

    def current_period(self, at: datetime) -> Period | None:
        """The period running at ``at``, if any."""
        summary = self.current_summary(at)
        return None if summary is None else (summary.start, summary.end)

    def is_active(self, at: datetime) -> bool:
        """Whether a chosen period is running at ``at`` (what a binary sensor shows)."""
        return self.current_summary(at) is not None

    def next_period(self, at: datetime) -> Period | None:
        """The first period starting after ``at``."""
        summary = self.next_summary(at)
        return None if summary is None else (summary.start, summary.end)
