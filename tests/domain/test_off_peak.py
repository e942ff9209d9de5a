"""Off-peak windows read from published rates, checked against a half-hour by half-hour oracle."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from custom_components.octopus_kraken.domain.off_peak import off_peak_state, off_peak_windows
from custom_components.octopus_kraken.domain.timeline import RateTimeline

from .helpers import at, half_hourly, rate

LONDON = ZoneInfo("Europe/London")
HALF_HOUR = timedelta(minutes=30)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


def oracle(prices: dict[datetime, Decimal], tz: ZoneInfo = LONDON) -> set[datetime]:
    """Half-hours whose price is the lowest of at least two prices of their local day."""
    by_day: dict[date, list[Decimal]] = {}
    for start, price in prices.items():
        by_day.setdefault(start.astimezone(tz).date(), []).append(price)
    return {
        start
        for start, price in prices.items()
        if len(set(by_day[start.astimezone(tz).date()])) > 1
        and price == min(by_day[start.astimezone(tz).date()])
    }


def covered(windows: list[tuple[datetime, datetime]]) -> set[datetime]:
    found = set()
    for a, b in windows:
        slot = a
        while slot < b:
            found.add(slot)
            slot += HALF_HOUR
    return found


def test_go_is_off_peak_from_00_30_to_04_30_each_night() -> None:
    day = date(2026, 1, 12)
    rates = []
    for offset in range(3):
        d = day + timedelta(days=offset)
        rates += [
            rate(local(d, 0), local(d, 0, 30), "25.71"),
            rate(local(d, 0, 30), local(d, 4, 30), "8.1"),
            rate(local(d, 4, 30), local(d + timedelta(days=1), 0), "25.71"),
        ]
    timeline = RateTimeline(rates)
    state = off_peak_state(timeline, local(day, 12), local(day, 12) + timedelta(days=2))
    assert state.is_on is False
    assert state.window is None
    assert state.next_start == local(day + timedelta(days=1), 0, 30)
    state = off_peak_state(timeline, local(day, 1), local(day, 1) + timedelta(days=2))
    assert state.is_on is True
    assert state.window == (local(day, 0, 30), local(day, 4, 30))
    assert state.next_start == local(day + timedelta(days=1), 0, 30)


def test_cosy_has_three_windows_and_the_standard_rate_is_not_off_peak() -> None:
    day = date(2026, 7, 1)
    bands = [(0, "24.91"), (4, "13.42"), (7, "24.91"), (13, "13.42"), (16, "36.63"),
             (19, "24.91"), (22, "13.42"), (24, None)]  # fmt: skip
    rates = [
        rate(local(day, h), local(day, 0) + timedelta(hours=bands[i + 1][0]), p)
        for i, (h, p) in enumerate(bands[:-1])
    ]
    windows = off_peak_windows(RateTimeline(rates), local(day, 0), local(day, 23))
    assert windows == [
        (local(day, 4), local(day, 7)),
        (local(day, 13), local(day, 16)),
        (local(day, 22), local(day, 0) + timedelta(hours=24)),
    ]
    state = off_peak_state(RateTimeline(rates), local(day, 8), local(day, 23))
    assert (state.is_on, state.next_start) == (False, local(day, 13))


def test_an_overnight_window_keeps_its_start_across_midnight_and_a_price_change() -> None:
    """Intelligent Go's 23:30-05:30, with the price cap moving the off-peak price at midnight."""
    day = date(2026, 3, 31)
    nxt = day + timedelta(days=1)
    rates = [
        rate(local(day, 0), local(day, 5, 30), "6.67"),
        rate(local(day, 5, 30), local(day, 23, 30), "26.52"),
        rate(local(day, 23, 30), local(nxt, 0), "6.67"),
        rate(local(nxt, 0), local(nxt, 5, 30), "7.02"),
        rate(local(nxt, 5, 30), local(nxt, 23, 30), "27.90"),
    ]
    state = off_peak_state(RateTimeline(rates), local(nxt, 2), local(nxt, 23))
    assert state.is_on is True
    assert state.window == (local(day, 23, 30), local(nxt, 5, 30))
    assert state.next_start is None


def test_a_dispatch_half_hour_priced_off_peak_is_a_window_of_its_own() -> None:
    day = date(2026, 10, 20)
    rates = [
        rate(local(day, 0), local(day, 5, 30), "6.67"),
        rate(local(day, 5, 30), local(day, 14), "26.52"),
        rate(local(day, 14), local(day, 15), "6.67"),
        rate(local(day, 15), local(day, 23, 30), "26.52"),
    ]
    state = off_peak_state(RateTimeline(rates), local(day, 14, 10), local(day, 23))
    assert state.is_on is True
    assert state.window == (local(day, 14), local(day, 15))


def test_a_single_price_day_has_no_off_peak() -> None:
    timeline = RateTimeline([rate("2026-01-01T00:00", None, "24.5")])
    state = off_peak_state(timeline, at("2026-01-05T12:00"), at("2026-01-07T00:00"))
    assert (state.is_on, state.window, state.next_start) == (False, None, None)


def test_no_known_rate_now_is_unknown_but_the_next_window_is_still_found() -> None:
    day = date(2026, 1, 12)
    rates = [
        rate(local(day, 12), local(day, 16), "30"),
        rate(local(day, 16), local(day, 18), "10"),
    ]
    state = off_peak_state(RateTimeline(rates), local(day, 9), local(day, 23))
    assert (state.is_on, state.window, state.next_start) == (None, None, local(day, 16))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["5", "12.5", "20", "33"]), min_size=48, max_size=200),
    st.sampled_from(["2026-03-28T00:00", "2026-10-24T00:00", "2026-06-10T13:00"]),
)
def test_windows_match_the_half_hour_oracle_on_clock_change_days_too(
    prices: list[str], first: str
) -> None:
    rates = half_hourly(first, prices)
    table = {r.valid_from: r.value_inc_vat for r in rates}
    start, end = rates[0].valid_from, rates[-1].valid_to
    assert end is not None
    windows = off_peak_windows(RateTimeline(rates), start, end)
    assert covered(windows) == oracle(table)
    for slot in list(table)[::7]:
        state = off_peak_state(RateTimeline(rates), slot + timedelta(minutes=1), end)
        assert state.is_on is (slot in oracle(table))
