"""When unit rates are worth asking for: pure functions of the clock and what is already known.

Two cadences cover every tariff:

- *day-ahead* (Agile, Agile Outgoing, Tracker): tomorrow's prices are published once a day in
  the afternoon (Agile ~16:00 UK time, for 23:00 to 23:00; Tracker late morning, for the whole
  next day). Nothing is asked until then; from then on the API is asked, at a growing, jittered
  interval, until the prices are there.
- *daily* (fixed, variable, Go, Intelligent Go, Cosy, Flux, Outgoing): prices are usually known
  well in advance, so one check a few minutes after UK midnight is enough. When tomorrow is not
  listed yet (some tariffs appear only during the day), the API is asked again with a doubling
  interval (15 minutes to an hour) until it is, never later than the next midnight check.

The coordinator combines these with ``RateTimeline.gaps`` so a request only ever asks for the
period still missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
import random

from .jitter import jittered, step_backoff
from .tariff_codes import TariffKind
from .time import LONDON, Period, combine_local, local_date, local_day_bounds, to_utc

ONE_DAY = timedelta(days=1)
RETRY_STEP = timedelta(minutes=5)
RETRY_CAP = timedelta(minutes=30)
# Seconds after the moment prices usually appear / after midnight: spread installations out.
PUBLICATION_JITTER = (60, 240)
MIDNIGHT_JITTER = (120, 600)
RETRY_JITTER = (5, 60)
LATE_STEP = timedelta(minutes=15)  # a daily tariff whose tomorrow is missing: 15, 30, 60 min
LATE_CAP = timedelta(hours=1)


class Cadence(StrEnum):
    """How often a tariff's future prices change."""

    DAY_AHEAD = "day_ahead"
    DAILY = "daily"


@dataclass(frozen=True, slots=True)
class RatePolicy:
    """When a tariff's prices appear and how far the published period reaches."""

    cadence: Cadence
    publish_at: time = time(0)  # local time tomorrow's prices usually appear (day-ahead)
    day_ends_at: time = time(0)  # local time the published day ends; 00:00 is midnight


AGILE_POLICY = RatePolicy(Cadence.DAY_AHEAD, publish_at=time(16), day_ends_at=time(23))
TRACKER_POLICY = RatePolicy(Cadence.DAY_AHEAD, publish_at=time(11))
DAILY_POLICY = RatePolicy(Cadence.DAILY)


def policy_for(kind: TariffKind | None) -> RatePolicy:
    """The fetch policy of a kind of tariff (``None``: no tariff in force, check daily)."""
    if kind in (TariffKind.AGILE, TariffKind.AGILE_OUTGOING):
        return AGILE_POLICY
    if kind is TariffKind.TRACKER:
        return TRACKER_POLICY
    return DAILY_POLICY


# Entities show from yesterday; consumption cost re-reads from the midnight two days ago
# (``consumption.RECHECK_DAYS``) and takes its prices from here rather than asking again.
KEPT_DAYS = 2


def window_start(now: datetime) -> datetime:
    """Start of the day before yesterday, UK time: the earliest rate kept."""
    return local_day_bounds(local_date(now, LONDON) - KEPT_DAYS * ONE_DAY, LONDON)[0]


def publication_instant(day_: datetime, policy: RatePolicy) -> datetime:
    """When, on the UK day of ``day_``, the next day's prices usually appear."""
    return combine_local(local_date(day_, LONDON), policy.publish_at, LONDON)


def expected_end(now: datetime, policy: RatePolicy) -> datetime:
    """How far prices should be known at ``now``.

    Daily tariffs: the end of tomorrow. Day-ahead tariffs: the end of the latest day whose prices
    should be out (tomorrow's after the publication time, else today's).
    """
    today = local_date(now, LONDON)
    if policy.cadence is Cadence.DAILY:
        return local_day_bounds(today + ONE_DAY, LONDON)[1]
    published = to_utc(now) >= publication_instant(now, policy)
    last_day = today + ONE_DAY if published else today
    if policy.day_ends_at == time(0):
        return local_day_bounds(last_day, LONDON)[1]
    return combine_local(last_day, policy.day_ends_at, LONDON)


def daily_check_due(now: datetime, last_checked: datetime | None) -> bool:
    """Whether today's (UK) daily check of a daily tariff has not happened yet."""
    return last_checked is None or local_date(last_checked, LONDON) < local_date(now, LONDON)


def refresh_period(now: datetime, policy: RatePolicy) -> Period:
    """What a daily check asks for again: today and tomorrow (prices may have been revised)."""
    return local_day_bounds(local_date(now, LONDON), LONDON)[0], expected_end(now, policy)


def retry_delay(attempt: int, rng: random.Random | None = None) -> timedelta:
    """5, 10, 15 ... minutes (capped at 30) plus a few jittered seconds, for ``attempt`` >= 1."""
    return step_backoff(attempt, step=RETRY_STEP, cap=RETRY_CAP, seconds=RETRY_JITTER, rng=rng)


def next_fetch(
    now: datetime,
    policy: RatePolicy,
    *,
    complete: bool,
    attempt: int,
    rng: random.Random | None = None,
) -> datetime:
    """When to look again.

    ``complete`` says whether the prices due by now (``expected_end``) are known; ``attempt`` is
    how many fetches in a row have found them missing.
    """
    now = to_utc(now)
    if policy.cadence is Cadence.DAILY:
        midnight = local_day_bounds(local_date(now, LONDON), LONDON)[1]
        check = jittered(midnight, low=MIDNIGHT_JITTER[0], high=MIDNIGHT_JITTER[1], rng=rng)
        if complete:
            return check
        late: timedelta = min(LATE_STEP * 2 ** max(attempt - 1, 0), LATE_CAP)
        retry = jittered(now + late, low=RETRY_JITTER[0], high=RETRY_JITTER[1], rng=rng)
        return min(check, retry)
    if not complete:
        return now + retry_delay(attempt, rng)
    publication = publication_instant(now, policy)
    if publication <= now:
        publication = publication_instant(now + ONE_DAY, policy)
    return jittered(publication, low=PUBLICATION_JITTER[0], high=PUBLICATION_JITTER[1], rng=rng)


def next_local_midnight(now: datetime) -> datetime:
    """The next UK midnight after ``now`` (day statistics roll over then)."""
    return local_day_bounds(local_date(now, LONDON), LONDON)[1]
