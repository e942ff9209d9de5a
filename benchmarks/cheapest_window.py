"""Time the cheapest-window search on half-hourly Agile-like prices.

Run from the repository root: ``.venv/bin/python benchmarks/cheapest_window.py``. Prints
``name: value`` lines; times are the median of several runs, in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
import math
from pathlib import Path
import random
import statistics
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from custom_components.octopus_kraken.api.models import Rate
from custom_components.octopus_kraken.domain.cheapest import (
    DurationMode,
    SearchMode,
    Weighting,
    WindowSearch,
    find_cheapest_window,
    search_rolling_window,
)
from custom_components.octopus_kraken.domain.timeline import RateTimeline

HALF_HOUR = timedelta(minutes=30)
START = datetime(2026, 1, 1, tzinfo=UTC)


def agile_like(slots: int, seed: int = 1) -> list[Rate]:
    """Prices with a daily curve, an evening peak, noise and the odd negative slot."""
    rng = random.Random(seed)
    rates = []
    for k in range(slots):
        hour = (k % 48) / 2
        price = 18 + 8 * math.sin((hour - 9) / 24 * 2 * math.pi) + rng.gauss(0, 3)
        if 16 <= hour < 19:
            price += 15
        if rng.random() < 0.01:
            price = -rng.uniform(0, 5)
        value = Decimal(f"{price:.4f}")
        rates.append(Rate(START + k * HALF_HOUR, START + (k + 1) * HALF_HOUR, value, value))
    return rates


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print the figures."""
    week = RateTimeline(agile_like(7 * 48))
    year_rates = agile_like(365 * 48)
    year = RateTimeline(year_rates)
    now = START + timedelta(minutes=10)  # rolling windows start at START: fully priced
    three_hours = timedelta(hours=3)
    continuous = WindowSearch(three_hours)
    intermittent = WindowSearch(three_hours, mode=SearchMode.INTERMITTENT)
    week_span = timedelta(days=7)
    weighted = Weighting.parse("2,1*")  # a washing machine heating its water first
    varied = Weighting.parse("3,2.5,2,1.5,1,0.5")
    year_end = START + timedelta(days=365)

    figures = {
        "week_rolling_continuous_3h_ms": median_ms(
            lambda: search_rolling_window(week, week_span, continuous, now), 50
        ),
        "week_rolling_intermittent_3h_ms": median_ms(
            lambda: search_rolling_window(week, week_span, intermittent, now), 50
        ),
        "year_build_timeline_ms": median_ms(lambda: RateTimeline(year_rates), 5),
        "year_merge_overlapping_week_ms": median_ms(
            lambda: year.merge(agile_like(7 * 48, seed=2)), 5
        ),
        "year_continuous_3h_ms": median_ms(
            lambda: find_cheapest_window(year, START, year_end, continuous, now), 5
        ),
        "year_intermittent_3h_ms": median_ms(
            lambda: find_cheapest_window(year, START, year_end, intermittent, now), 5
        ),
        "year_continuous_24h_ms": median_ms(
            lambda: find_cheapest_window(
                year, START, year_end, WindowSearch(timedelta(hours=24)), now
            ),
            5,
        ),
        "year_weighted_3h_2_1_star_ms": median_ms(
            lambda: find_cheapest_window(
                year, START, year_end, WindowSearch(three_hours, weighting=weighted), now
            ),
            5,
        ),
        "year_weighted_3h_every_slot_different_ms": median_ms(
            lambda: find_cheapest_window(
                year, START, year_end, WindowSearch(three_hours, weighting=varied), now
            ),
            5,
        ),
        "year_continuous_3h_at_least_under_15p_ms": median_ms(
            lambda: find_cheapest_window(
                year,
                START,
                year_end,
                WindowSearch(
                    three_hours, duration_mode=DurationMode.AT_LEAST, max_price=Decimal(15)
                ),
                now,
            ),
            5,
        ),
        "year_rolling_day_in_year_timeline_ms": median_ms(
            lambda: search_rolling_window(year, timedelta(days=1), continuous, now), 50
        ),
    }
    print(f"half_hours_in_year: {len(year)}")
    for name, value in figures.items():
        print(f"{name}: {value:.2f}")


if __name__ == "__main__":
    main()
