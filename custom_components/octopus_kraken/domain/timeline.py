"""``RateTimeline``: the unit rates of one tariff as an immutable, searchable timeline."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from ..api.models import Rate, StandingCharge
from ._pieces import clip_rate, end_of, ends_after, ends_before, normalise, resolve_overlaps
from .time import HALF_HOUR, LONDON, Period, floor_half_hour, local_day_bounds, to_utc

_HALF_HOUR_SECONDS = Decimal(int(HALF_HOUR.total_seconds()))


@dataclass(frozen=True, slots=True)
class DayStats:
    """Unit-rate statistics (inc VAT, p/kWh) of one local day.

    ``mean`` is weighted by time, so a rate that holds for six hours counts twelve times as
    much as a half-hour slot; ``count`` is the number of (clipped) rates that day; ``complete``
    says whether rates cover the whole local day.
    """

    min: Decimal
    max: Decimal
    mean: Decimal
    count: int
    complete: bool


class RateTimeline:
    """Non-overlapping rates sorted by start, with O(log n) lookup.

    Built from rates of any length, with gaps and an open-ended last rate allowed. Where input
    rates overlap, the one that comes *later* in the input wins, the older being clipped (or
    split) around it; ``merge`` relies on this so a newer fetch replaces what it covers. Rates
    may therefore appear clipped, never altered in price. Rates of equal price are kept apart:
    slots are what the tariff published.
    """

    __slots__ = ("_rates", "_run_ends", "_starts")

    _rates: tuple[Rate, ...]
    _starts: tuple[datetime, ...]
    _run_ends: tuple[int, ...]

    def __init__(self, rates: Iterable[Rate] = ()) -> None:
        """Normalise ``rates`` (to UTC, dropping empty ones, resolving overlaps)."""
        self._set(normalise(rates))

    @classmethod
    def _of(cls, rates: tuple[Rate, ...]) -> RateTimeline:
        """A timeline of rates already sorted, disjoint and in UTC."""
        timeline = cls.__new__(cls)
        timeline._set(rates)
        return timeline

    def _set(self, rates: tuple[Rate, ...]) -> None:
        self._rates = rates
        self._starts = tuple(rate.valid_from for rate in rates)
        # Index of the last slot of each run of touching, equal-priced slots: next_change in O(1).
        run_ends = [0] * len(rates)
        for i in range(len(rates) - 1, -1, -1):
            run_ends[i] = (
                run_ends[i + 1]
                if i + 1 < len(rates)
                and rates[i].valid_to == rates[i + 1].valid_from
                and rates[i].value_inc_vat == rates[i + 1].value_inc_vat
                else i
            )
        self._run_ends = tuple(run_ends)

    # --- container protocol ---------------------------------------------------------------

    @property
    def rates(self) -> tuple[Rate, ...]:
        """Every rate, sorted by start."""
        return self._rates

    def __len__(self) -> int:
        return len(self._rates)

    def __iter__(self) -> Iterator[Rate]:
        return iter(self._rates)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RateTimeline) and self._rates == other._rates

    def __hash__(self) -> int:
        return hash(self._rates)

    def __repr__(self) -> str:
        return f"RateTimeline({len(self._rates)} rates, {self.earliest_start} to {self.latest_end})"

    @property
    def earliest_start(self) -> datetime | None:
        """Start of the first rate; ``None`` when empty."""
        return self._starts[0] if self._starts else None

    @property
    def latest_end(self) -> datetime | None:
        """End of the last rate; ``None`` when empty *or* open-ended (see ``open_ended``).

        To ask "are prices known until X", use ``covers``, which handles both.
        """
        return self._rates[-1].valid_to if self._rates else None

    @property
    def open_ended(self) -> bool:
        """Whether the last rate has no end (a fixed or variable tariff's current price)."""
        return bool(self._rates) and self._rates[-1].valid_to is None

    # --- lookup -----------------------------------------------------------------------------

    def _index_at(self, instant: datetime) -> int:
        """Index of the rate in force at ``instant``, or -1."""
        i = bisect_right(self._starts, to_utc(instant)) - 1
        if i >= 0 and ends_after(self._rates[i], instant):
            return i
        return -1

    def rate_at(self, instant: datetime) -> Rate | None:
        """The rate in force at ``instant``; ``None`` in a gap."""
        i = self._index_at(instant)
        return self._rates[i] if i >= 0 else None

    def previous_rate(self, instant: datetime) -> Rate | None:
        """The slot ending where the current slot starts.

        ``None`` when no rate is in force at ``instant`` or a gap precedes the current slot.
        """
        i = self._index_at(instant)
        if i > 0 and self._rates[i - 1].valid_to == self._rates[i].valid_from:
            return self._rates[i - 1]
        return None

    def next_rate(self, instant: datetime) -> Rate | None:
        """The slot starting where the current slot ends.

        ``None`` when no rate is in force at ``instant``, the current rate is open-ended, or a gap
        follows it.
        """
        i = self._index_at(instant)
        if 0 <= i < len(self._rates) - 1 and self._rates[i].valid_to == self._starts[i + 1]:
            return self._rates[i + 1]
        return None

    def next_change(self, instant: datetime) -> datetime | None:
        """The next instant after ``instant`` at which the known price changes.

        Touching slots of equal price are one price. A gap counts as a change (the price there is
        unknown), so this is "the current price holds until". In a gap, it is the start of the next
        rate. ``None`` when the price holds for ever (open-ended) or nothing follows a gap.
        """
        i = self._index_at(instant)
        if i >= 0:
            return self._rates[self._run_ends[i]].valid_to
        k = bisect_right(self._starts, to_utc(instant))
        return self._starts[k] if k < len(self._starts) else None

    def rates_between(self, start: datetime, end: datetime, *, clip: bool = True) -> list[Rate]:
        """Rates overlapping ``[start, end)``, in order.

        With ``clip`` (the default) rates are cut to the window, so durations and time-weighted
        means over the result are right; ``clip=False`` returns the whole rates.
        """
        start, end = to_utc(start), to_utc(end)
        if start >= end or not self._rates:
            return []
        lo = max(bisect_right(self._starts, start) - 1, 0)
        if not ends_after(self._rates[lo], start):
            lo += 1
        hi = bisect_left(self._starts, end)
        found = self._rates[lo:hi]
        if not clip:
            return list(found)
        return [clip_rate(rate, start, end) for rate in found]

    def day_rates(self, day: date, tz: tzinfo = LONDON) -> list[Rate]:
        """Rates of local day ``day``, clipped to it."""
        return self.rates_between(*local_day_bounds(day, tz))

    def day_stats(self, day: date, tz: tzinfo = LONDON) -> DayStats | None:
        """Min, max, time-weighted mean of local day ``day``; ``None`` without any rate that day."""
        start, end = local_day_bounds(day, tz)
        rates = self.rates_between(start, end)
        if not rates:
            return None
        weighted = Decimal(0)
        seconds = 0
        for rate in rates:
            span = int((end_of(rate) - rate.valid_from).total_seconds())
            weighted += rate.value_inc_vat * span
            seconds += span
        prices = [rate.value_inc_vat for rate in rates]
        return DayStats(
            min=min(prices),
            max=max(prices),
            mean=weighted / seconds,
            count=len(rates),
            complete=seconds == int((end - start).total_seconds()),
        )

    def gaps(self, start: datetime, end: datetime) -> list[Period]:
        """Periods within ``[start, end)`` that no rate covers."""
        start, end = to_utc(start), to_utc(end)
        found: list[Period] = []
        cursor = start
        for rate in self.rates_between(start, end):
            if rate.valid_from > cursor:
                found.append((cursor, rate.valid_from))
            cursor = end_of(rate)
        if cursor < end:
            found.append((cursor, end))
        return found

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether rates are known for all of ``[start, end)``."""
        return not self.gaps(start, end)

    # --- derived timelines ------------------------------------------------------------------

    def merge(self, newer: Iterable[Rate] | RateTimeline) -> RateTimeline:
        """This timeline overlaid with ``newer``, which wins wherever the two overlap.

        Only the old rates within the span of ``newer`` are re-resolved, so adding a day to a
        year of rates costs about a day's work plus copying.
        """
        if not isinstance(newer, RateTimeline):
            newer = RateTimeline(newer)
        if not newer._rates or not self._rates:
            return newer if not self._rates else self
        low, high = newer._starts[0], newer.latest_end
        first = max(bisect_right(self._starts, low) - 1, 0)
        if not ends_after(self._rates[first], low):
            first += 1
        last = len(self._rates) if high is None else bisect_left(self._starts, high)
        middle = resolve_overlaps([*self._rates[first:last], *newer._rates])
        return RateTimeline._of((*self._rates[:first], *middle, *self._rates[last:]))

    def trimmed(self, before: datetime) -> RateTimeline:
        """Drop rates that ended at or before ``before``; a rate spanning it is kept whole."""
        before = to_utc(before)
        kept = tuple(rate for rate in self._rates if ends_after(rate, before))
        return RateTimeline._of(kept)

    def split_half_hours(self, start: datetime, end: datetime) -> list[Rate]:
        """One rate per half-hour slot overlapping ``[start, end)`` whose price is fully known.

        Long and open-ended rates are cut into half-hours. A half-hour priced by several shorter
        rates gets their time-weighted mean (consumption assumed even within it); a half-hour only
        partly covered is left out, never guessed.
        """
        rates, n = self._rates, len(self._rates)
        slot = floor_half_hour(start)
        end = to_utc(end)
        i = max(bisect_right(self._starts, slot) - 1, 0)
        out: list[Rate] = []
        while slot < end:
            slot_end = slot + HALF_HOUR
            while i < n and not ends_after(rates[i], slot):
                i += 1
            if i == n:
                break
            rate = rates[i]
            if rate.valid_from >= slot_end:
                # Jump over a gap instead of walking it half-hour by half-hour.
                slot = max(slot_end, floor_half_hour(rate.valid_from))
                continue
            if rate.valid_from <= slot and not ends_before(rate, slot_end):
                out.append(clip_rate(rate, slot, slot_end))
            else:
                mean = _mean_over(rates, i, slot, slot_end)
                if mean is not None:
                    out.append(Rate(slot, slot_end, mean[0], mean[1]))
            slot = slot_end
        return out

    # --- persistence ------------------------------------------------------------------------

    def to_json(self) -> list[dict[str, str | None]]:
        """A JSON-serialisable form: ISO 8601 instants, Decimals as strings."""
        return [
            {
                "valid_from": rate.valid_from.isoformat(),
                "valid_to": None if rate.valid_to is None else rate.valid_to.isoformat(),
                "value_inc_vat": str(rate.value_inc_vat),
                "value_exc_vat": str(rate.value_exc_vat),
            }
            for rate in self._rates
        ]

    @classmethod
    def from_json(cls, data: Any) -> RateTimeline:
        """Rebuild a timeline from ``to_json`` output; ``ValueError`` if it is malformed."""
        try:
            return cls(
                Rate(
                    valid_from=_parse_instant(item["valid_from"]),
                    valid_to=None if item["valid_to"] is None else _parse_instant(item["valid_to"]),
                    value_inc_vat=Decimal(item["value_inc_vat"]),
                    value_exc_vat=Decimal(item["value_exc_vat"]),
                )
                for item in data
            )
        except (KeyError, TypeError, InvalidOperation) as err:
            raise ValueError(f"malformed stored rate: {err!r}") from err


def standing_charge_at(
    charges: Iterable[StandingCharge], instant: datetime
) -> StandingCharge | None:
    """The standing charge in force at ``instant``.

    A missing ``valid_from`` means "since ever", a missing ``valid_to`` "until further notice".
    Should several apply, the one that started last wins (it superseded the others).
    """
    instant = to_utc(instant)
    best: StandingCharge | None = None
    for charge in charges:
        if charge.valid_from is not None and charge.valid_from > instant:
            continue
        if charge.valid_to is not None and charge.valid_to <= instant:
            continue
        if best is None or (
            charge.valid_from is not None
            and (best.valid_from is None or charge.valid_from >= best.valid_from)
        ):
            best = charge
    return best


# --- helpers ---------------------------------------------------------------------------------


def _parse_instant(text: str) -> datetime:
    instant = datetime.fromisoformat(text)
    return to_utc(instant)


def _mean_over(
    rates: Sequence[Rate], i: int, start: datetime, end: datetime
) -> tuple[Decimal, Decimal] | None:
    """Time-weighted (inc, exc VAT) price over ``[start, end)`` from rates ``i``..., or ``None``.

    ``None`` when the rates do not cover the whole span.
    """
    cursor = start
    inc = exc = Decimal(0)
    while cursor < end:
        if i == len(rates) or rates[i].valid_from > cursor:
            return None
        valid_to = rates[i].valid_to
        piece_end = end if valid_to is None else min(valid_to, end)
        seconds = int((piece_end - cursor).total_seconds())
        inc += rates[i].value_inc_vat * seconds
        exc += rates[i].value_exc_vat * seconds
        cursor = piece_end
        i += 1
    return inc / _HALF_HOUR_SECONDS, exc / _HALF_HOUR_SECONDS
