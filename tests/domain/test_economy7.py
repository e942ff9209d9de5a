"""Economy 7 day/night timelines."""

from __future__ import annotations

from datetime import time

from custom_components.octopus_kraken.domain.economy7 import (
    DEFAULT_NIGHT_WINDOW,
    economy7_timeline,
    night_periods,
)
from custom_components.octopus_kraken.domain.time import LONDON, LocalWindow

from .helpers import at, rate

DAY = [rate("2026-01-01T00:00", None, "30")]
NIGHT = [rate("2026-01-01T00:00", None, "12")]


def test_the_default_night_is_00_30_to_07_30_utc_even_in_summer() -> None:
    assert LocalWindow(time(0, 30), time(7, 30)) == DEFAULT_NIGHT_WINDOW
    assert night_periods(at("2026-07-01T00:00"), at("2026-07-02T00:00")) == [
        (at("2026-07-01T00:30"), at("2026-07-01T07:30"))
    ]


def test_night_periods_are_clipped_to_the_period_asked_for() -> None:
    assert night_periods(at("2026-01-10T03:00"), at("2026-01-11T01:00")) == [
        (at("2026-01-10T03:00"), at("2026-01-10T07:30")),
        (at("2026-01-11T00:30"), at("2026-01-11T01:00")),
    ]
    assert night_periods(at("2026-01-10T03:00"), at("2026-01-10T03:00")) == []


def test_a_local_night_window_follows_the_clocks() -> None:
    periods = night_periods(
        at("2026-07-01T00:00"),
        at("2026-07-02T00:00"),
        LocalWindow(time(23), time(6)),
        LONDON,
    )

    assert periods == [
        (at("2026-07-01T00:00"), at("2026-07-01T05:00")),
        (at("2026-07-01T22:00"), at("2026-07-02T00:00")),
    ]


def test_night_rates_apply_in_the_night_window_and_day_rates_elsewhere() -> None:
    timeline = economy7_timeline(DAY, NIGHT, at("2026-07-01T00:00"), at("2026-07-02T00:00"))

    assert [(r.valid_from, r.valid_to, r.value_inc_vat) for r in timeline] == [
        (at("2026-07-01T00:00"), at("2026-07-01T00:30"), 30),
        (at("2026-07-01T00:30"), at("2026-07-01T07:30"), 12),
        (at("2026-07-01T07:30"), at("2026-07-02T00:00"), 30),
    ]
    assert timeline.next_change(at("2026-07-01T01:00")) == at("2026-07-01T07:30")


def test_an_unknown_register_rate_leaves_a_gap() -> None:
    timeline = economy7_timeline(DAY, [], at("2026-07-01T00:00"), at("2026-07-01T12:00"))

    assert timeline.gaps(at("2026-07-01T00:00"), at("2026-07-01T12:00")) == [
        (at("2026-07-01T00:30"), at("2026-07-01T07:30"))
    ]


def test_register_price_changes_carry_through() -> None:
    day = [
        rate("2026-01-01T00:00", "2026-07-01T12:00", "30"),
        rate("2026-07-01T12:00", None, "28"),
    ]

    timeline = economy7_timeline(day, NIGHT, at("2026-07-01T08:00"), at("2026-07-01T16:00"))

    assert [r.value_inc_vat for r in timeline] == [30, 28]
