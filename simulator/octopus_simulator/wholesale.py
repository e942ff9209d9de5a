"""A deterministic day-ahead wholesale price curve (p/kWh) that Agile and Tracker prices follow."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
import random

from octopus_simulator.timeutil import DAY, HALF_HOUR, LONDON, local_at


def _shape(hour: float, sunny: bool) -> float:
    """Relative price through a UK day: cheap nights, a morning ramp, the 16:00-19:00 peak."""
    if hour < 5:
        return 0.75
    if hour < 7:
        return 0.9
    if hour < 10:
        return 1.15
    if hour < 16:
        return 0.7 if sunny else 0.95
    if hour < 19:
        return 1.45
    if hour < 22:
        return 1.1
    return 0.9


@lru_cache(maxsize=8192)
def wholesale_day(seed: int, day: date) -> tuple[float, ...]:
    """Wholesale prices for each half hour of a UK local day (46, 48 or 50 of them)."""
    rng = random.Random(f"{seed}:wholesale:{day.isoformat()}")
    winter = day.month in (11, 12, 1, 2)
    level = rng.uniform(6.0, 10.0) * (1.2 if winter else 0.9)
    # Windy nights and sunny middays push some slots below zero, as on the real market.
    windy = rng.random() < 0.15
    sunny = rng.random() < (0.2 if winter else 0.55)
    start = local_at(day)
    count = int((local_at(day + DAY) - start) / HALF_HOUR)  # 46, 48 or 50
    values: list[float] = []
    for index in range(count):
        if count == 48:  # no clock change: local time is simply index half hours in
            hour = index / 2
        else:
            local = (start + index * HALF_HOUR).astimezone(LONDON)
            hour = local.hour + local.minute / 60
        value = level * _shape(hour, sunny) * rng.uniform(0.88, 1.12)
        if windy and (hour < 6 or 11 <= hour < 15):
            value -= rng.uniform(5.0, 11.0)
        values.append(value)
    return tuple(values)


@lru_cache(maxsize=8192)
def day_hours(day: date) -> tuple[int, ...]:
    """UK local hour of each half hour of a local day."""
    start = local_at(day)
    count = int((local_at(day + DAY) - start) / HALF_HOUR)
    if count == 48:  # no clock change
        return tuple(index // 2 for index in range(count))
    return tuple((start + index * HALF_HOUR).astimezone(LONDON).hour for index in range(count))


def wholesale_day_mean(seed: int, day: date) -> float:
    """Average wholesale price of a UK local day (Tracker's reference price)."""
    values = wholesale_day(seed, day)
    return sum(values) / len(values)
