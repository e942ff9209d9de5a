"""A SmartFlex device's week of charging preferences, changed only where the user changed it.

The charge target and ready-by entities show one value: today's preference. Setting them sends
the device's whole week back (``setDevicePreferences`` may replace what it is not sent), with
only the changed day(s) different:

- while every day of the week has the same preference, the entities stand for the whole week and
  a change applies to every day (it stays one uniform week);
- once the days differ (set in the Octopus app, say), a change applies to today only (the day
  the entity shows) and every other day keeps its own target and time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from decimal import Decimal

from ..api.models import ChargeSchedule
from .time import local_date


def weekday_of(now: datetime) -> str:
    """``MONDAY`` .. ``SUNDAY``: the UK day of ``now``, as the API names days."""
    return local_date(now).strftime("%A").upper()


def _same(a: ChargeSchedule, b: ChargeSchedule) -> bool:
    return (a.time, a.min, a.max) == (b.time, b.min, b.max)


def days_to_change(schedules: tuple[ChargeSchedule, ...], today: str) -> frozenset[str]:
    """Every day the device has while they all agree, else only ``today``."""
    if schedules and all(_same(s, schedules[0]) for s in schedules):
        return frozenset(s.day_of_week for s in schedules) | {today}
    return frozenset({today})


def changed_week(
    schedules: tuple[ChargeSchedule, ...],
    today: str,
    *,
    target: Decimal | None = None,
    ready_by: time | None = None,
) -> tuple[ChargeSchedule, ...]:
    """The week to send: ``schedules`` with ``target`` and/or ``ready_by`` set on the changed days.

    A changed day the device has no preference for starts from the one shown for today (the
    day's own, else the first there is), as the entities do.
    """
    shown = next((s for s in schedules if s.day_of_week == today), None) or next(
        iter(schedules), None
    )
    if shown is None:
        raise ValueError("the device has no charging preference to change")
    changing = days_to_change(schedules, today)
    by_day = {s.day_of_week: s for s in schedules}
    for day in changing:
        base = by_day.get(day) or replace(shown, day_of_week=day)
        if target is not None:
            base = replace(base, max=target)
        if ready_by is not None:
            base = replace(base, time=ready_by.strftime("%H:%M"))
        by_day[day] = base
    return tuple(by_day.values())
