"""Rate pieces: clipping and the normalisation of overlapping rates into disjoint ones.

Private to the domain package; ``RateTimeline`` is the public face of all this.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
import heapq
from itertools import pairwise

from ..api.models import Rate
from .time import to_utc


def end_of(rate: Rate) -> datetime:
    """End of a rate known to be finite (clipped)."""
    assert rate.valid_to is not None
    return rate.valid_to


def ends_after(rate: Rate, instant: datetime) -> bool:
    """Whether ``rate`` is still in force just after ``instant`` (open-ended rates always are)."""
    return rate.valid_to is None or rate.valid_to > instant


def ends_before(rate: Rate, instant: datetime) -> bool:
    """Whether ``rate`` has ended before ``instant``."""
    return rate.valid_to is not None and rate.valid_to < instant


def clip_rate(rate: Rate, start: datetime, end: datetime) -> Rate:
    """``rate`` cut to ``[start, end)``; the same object if uncut."""
    new_from = max(rate.valid_from, start)
    new_to = end if rate.valid_to is None else min(rate.valid_to, end)
    if new_from == rate.valid_from and new_to == rate.valid_to:
        return rate
    return replace(rate, valid_from=new_from, valid_to=new_to)


def utc_rate(rate: Rate) -> Rate:
    """``rate`` with UTC instants (the same object if they already are); naive ones refused."""
    valid_from = to_utc(rate.valid_from)
    valid_to = None if rate.valid_to is None else to_utc(rate.valid_to)
    if valid_from is rate.valid_from and valid_to is rate.valid_to:
        return rate
    return replace(rate, valid_from=valid_from, valid_to=valid_to)


def normalise(rates: Iterable[Rate]) -> tuple[Rate, ...]:
    """Sorted, disjoint, UTC rates; later inputs win overlaps."""
    items = [
        rate
        for rate in map(utc_rate, rates)
        if rate.valid_to is None or rate.valid_to > rate.valid_from
    ]
    ordered = sorted(items, key=lambda rate: rate.valid_from)
    if all(a.valid_to is not None and a.valid_to <= b.valid_from for a, b in pairwise(ordered)):
        return tuple(ordered)
    return resolve_overlaps(items)


def resolve_overlaps(items: list[Rate]) -> tuple[Rate, ...]:
    """Sweep over every boundary keeping a heap of the rates in force; the latest input wins.

    O(n log n). Each elementary interval between boundaries goes to the highest-index rate in
    force; consecutive intervals won by the same rate join back into one clipped rate.
    """
    points = sorted(
        {rate.valid_from for rate in items}
        | {rate.valid_to for rate in items if rate.valid_to is not None}
    )
    by_start = sorted(range(len(items)), key=lambda k: items[k].valid_from)
    in_force: list[int] = []  # negated input indices: the heap top is the latest input
    pieces: list[Rate] = []
    winner, since = -1, points[0]
    k = 0
    for point in points:
        while k < len(by_start) and items[by_start[k]].valid_from <= point:
            heapq.heappush(in_force, -by_start[k])
            k += 1
        # Lazy deletion: only an expired rate at the top can hide the true winner.
        while in_force and not ends_after(items[-in_force[0]], point):
            heapq.heappop(in_force)
        current = -in_force[0] if in_force else -1
        if current != winner:
            if winner >= 0:
                pieces.append(clip_rate(items[winner], since, point))
            winner, since = current, point
    if winner >= 0:
        # Past the last boundary only an open-ended rate can still be in force.
        last = items[winner]
        pieces.append(last if last.valid_from == since else replace(last, valid_from=since))
    return tuple(pieces)
