"""Random spreads and backoff, so that many installations never ask the API at the same moment.

The Kraken team asks integrations not to poll on the hour or half hour, and to back off after
errors. Every delay of the integration is drawn here; ``rng`` may be passed for reproducibility.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import random

BACKOFF_INITIAL = timedelta(minutes=1)
BACKOFF_MAX = timedelta(minutes=30)
# Requests are spread over this many seconds after the moment they become worth making.
FETCH_JITTER_SECONDS = (20, 150)
_RANDOM = random.Random()


def _source(rng: random.Random | None) -> random.Random:
    return _RANDOM if rng is None else rng


def jittered(
    when: datetime,
    *,
    low: int = FETCH_JITTER_SECONDS[0],
    high: int = FETCH_JITTER_SECONDS[1],
    rng: random.Random | None = None,
) -> datetime:
    """``when`` plus ``low`` to ``high`` random seconds."""
    return when + timedelta(seconds=_source(rng).randint(low, high))


def stretched(interval: timedelta, *, most: float, rng: random.Random | None = None) -> timedelta:
    """``interval`` made up to ``most`` times longer at random (a regular poll, spread out)."""
    return interval * _source(rng).uniform(1.0, most)


def avoid_round_times(when: datetime, rng: random.Random | None = None) -> datetime:
    """Move ``when`` off the first minute of an hour or half hour, when every client polls."""
    if when.minute % 30 == 0:
        return when + timedelta(minutes=1, seconds=_source(rng).randint(5, 55))
    return when


def backoff_delay(
    failures: int, *, retry_after: float | None = None, rng: random.Random | None = None
) -> timedelta:
    """Jittered exponential backoff after ``failures`` errors, never shorter than Retry-After."""
    base: timedelta = BACKOFF_INITIAL * (2 ** max(failures - 1, 0))
    delay: timedelta = stretched(min(base, BACKOFF_MAX), most=1.25, rng=rng)
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def step_backoff(
    attempt: int,
    *,
    step: timedelta,
    cap: timedelta,
    seconds: tuple[int, int],
    rng: random.Random | None = None,
) -> timedelta:
    """``step`` times ``attempt`` (at least once, at most ``cap``) plus a few random seconds."""
    base = min(step * max(attempt, 1), cap)
    return base + timedelta(seconds=_source(rng).randint(*seconds))
