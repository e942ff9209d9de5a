"""RateTimeline behaviour, by example."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
import json

import pytest

from custom_components.octopus_kraken.api.models import Rate, StandingCharge
from custom_components.octopus_kraken.domain.timeline import (
    DayStats,
    RateTimeline,
    standing_charge_at,
)

from .helpers import at, half_hourly, rate


@pytest.fixture
def agile() -> RateTimeline:
    """Four half-hours from 10:00 UTC: 10, 10, 20, then a gap, then 5 from 12:00."""
    return RateTimeline(
        [
            *half_hourly("2026-01-10T10:00", ["10", "10", "20"]),
            rate("2026-01-10T12:00", "2026-01-10T12:30", "5"),
        ]
    )


def test_the_rate_in_force_is_found_and_gaps_have_none(agile: RateTimeline) -> None:
    assert agile.rate_at(at("2026-01-10T10:45")) == rate("2026-01-10T10:30", "2026-01-10T11:00", 10)
    assert agile.rate_at(at("2026-01-10T11:30")) is None
    assert agile.rate_at(at("2026-01-10T09:59")) is None
    assert agile.rate_at(at("2026-01-10T12:30")) is None


def test_lookup_accepts_local_instants(agile: RateTimeline) -> None:
    instant = datetime(2026, 1, 10, 11, 15, tzinfo=timezone(timedelta(hours=1)))

    assert agile.rate_at(instant) == rate("2026-01-10T10:00", "2026-01-10T10:30", 10)


def test_previous_and_next_rates_are_the_touching_slots(agile: RateTimeline) -> None:
    instant = at("2026-01-10T10:40")

    assert agile.previous_rate(instant) == rate("2026-01-10T10:00", "2026-01-10T10:30", 10)
    assert agile.next_rate(instant) == rate("2026-01-10T11:00", "2026-01-10T11:30", 20)


def test_there_is_no_previous_or_next_rate_across_a_gap(agile: RateTimeline) -> None:
    assert agile.previous_rate(at("2026-01-10T10:00")) is None
    assert agile.next_rate(at("2026-01-10T11:00")) is None
    assert agile.previous_rate(at("2026-01-10T12:00")) is None
    assert agile.next_rate(at("2026-01-10T12:00")) is None
    assert agile.previous_rate(at("2026-01-10T11:45")) is None
    assert agile.next_rate(at("2026-01-10T11:45")) is None


def test_the_next_change_skips_touching_slots_of_the_same_price(agile: RateTimeline) -> None:
    assert agile.next_change(at("2026-01-10T10:00")) == at("2026-01-10T11:00")
    assert agile.next_change(at("2026-01-10T11:00")) == at("2026-01-10T11:30")


def test_in_a_gap_the_next_change_is_when_prices_are_known_again(agile: RateTimeline) -> None:
    assert agile.next_change(at("2026-01-10T11:40")) == at("2026-01-10T12:00")
    assert agile.next_change(at("2026-01-10T09:00")) == at("2026-01-10T10:00")
    assert agile.next_change(at("2026-01-10T13:00")) is None


def test_an_open_ended_price_never_changes() -> None:
    fixed = RateTimeline([rate("2026-01-01T00:00", None, "24.5")])

    assert fixed.next_change(at("2030-01-01T00:00")) is None
    assert fixed.rate_at(at("2030-01-01T00:00")) == fixed.rates[0]
    assert fixed.open_ended
    assert fixed.latest_end is None
    assert fixed.covers(at("2026-01-01T00:00"), at("2031-01-01T00:00"))


def test_rates_between_are_clipped_to_the_window_unless_asked_not_to(agile: RateTimeline) -> None:
    start, end = at("2026-01-10T10:15"), at("2026-01-10T12:10")

    clipped = agile.rates_between(start, end)
    whole = agile.rates_between(start, end, clip=False)

    assert [(r.valid_from, r.valid_to) for r in clipped] == [
        (at("2026-01-10T10:15"), at("2026-01-10T10:30")),
        (at("2026-01-10T10:30"), at("2026-01-10T11:00")),
        (at("2026-01-10T11:00"), at("2026-01-10T11:30")),
        (at("2026-01-10T12:00"), at("2026-01-10T12:10")),
    ]
    assert whole == list(agile.rates)
    assert agile.rates_between(end, start) == []
    assert agile.rates_between(at("2026-01-10T10:30"), at("2026-01-10T11:00")) == [agile.rates[1]]
    assert RateTimeline().rates_between(start, end) == []


def test_gaps_and_coverage_of_a_period(agile: RateTimeline) -> None:
    start, end = at("2026-01-10T09:30"), at("2026-01-10T13:00")

    assert agile.gaps(start, end) == [
        (at("2026-01-10T09:30"), at("2026-01-10T10:00")),
        (at("2026-01-10T11:30"), at("2026-01-10T12:00")),
        (at("2026-01-10T12:30"), at("2026-01-10T13:00")),
    ]
    assert agile.covers(at("2026-01-10T10:00"), at("2026-01-10T11:30"))
    assert not agile.covers(at("2026-01-10T10:00"), at("2026-01-10T12:30"))


def test_the_timeline_reports_its_extent_and_behaves_as_a_value(agile: RateTimeline) -> None:
    assert agile.earliest_start == at("2026-01-10T10:00")
    assert agile.latest_end == at("2026-01-10T12:30")
    assert not agile.open_ended
    assert len(agile) == 4
    assert list(agile) == list(agile.rates)
    assert agile == RateTimeline(reversed(agile.rates))
    assert hash(agile) == hash(RateTimeline(agile.rates))
    assert agile != agile.rates
    assert "4 rates" in repr(agile)


def test_an_empty_timeline_knows_nothing() -> None:
    empty = RateTimeline()

    assert len(empty) == 0
    assert empty.earliest_start is None
    assert empty.latest_end is None
    assert not empty.open_ended
    assert empty.rate_at(at("2026-01-01T00:00")) is None
    assert empty.next_change(at("2026-01-01T00:00")) is None
    assert empty.day_stats(date(2026, 1, 1)) is None
    assert empty.split_half_hours(at("2026-01-01T00:00"), at("2026-01-02T00:00")) == []


def test_rates_in_other_zones_are_stored_in_utc_and_empty_ones_are_dropped() -> None:
    plus_one = timezone(timedelta(hours=1))
    timeline = RateTimeline(
        [
            Rate(datetime(2026, 7, 1, 1, tzinfo=plus_one), None, Decimal(3), Decimal(3)),
            rate("2026-01-01T00:00", "2026-01-01T00:00", 99),
        ]
    )

    assert timeline.rates == (rate("2026-07-01T00:00", None, 3),)


def test_naive_rates_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        RateTimeline([Rate(datetime(2026, 1, 1), None, Decimal(1), Decimal(1))])


def test_a_newer_fetch_wins_where_it_overlaps_the_older_one() -> None:
    old = RateTimeline(half_hourly("2026-01-10T10:00", [1, 2, 3, 4]))

    merged = old.merge(half_hourly("2026-01-10T10:30", [20, 30]))

    assert [r.value_inc_vat for r in merged] == [1, 20, 30, 4]
    assert old.merge(RateTimeline(half_hourly("2026-01-10T12:00", [5]))).latest_end == at(
        "2026-01-10T12:30"
    )


def test_a_newer_rate_splits_an_older_long_rate_around_it() -> None:
    old = RateTimeline([rate("2026-01-01T00:00", None, "25")])

    merged = old.merge([rate("2026-01-10T10:00", "2026-01-10T10:30", "7")])

    assert merged.rates == (
        rate("2026-01-01T00:00", "2026-01-10T10:00", "25"),
        rate("2026-01-10T10:00", "2026-01-10T10:30", "7"),
        rate("2026-01-10T10:30", None, "25"),
    )


def test_a_newer_open_ended_price_replaces_the_older_one_from_its_start() -> None:
    old = RateTimeline([rate("2026-01-01T00:00", None, "25")])

    merged = old.merge([rate("2026-04-01T00:00", None, "22")])

    assert merged.rates == (
        rate("2026-01-01T00:00", "2026-04-01T00:00", "25"),
        rate("2026-04-01T00:00", None, "22"),
    )


def test_duplicate_pages_merge_to_one_copy() -> None:
    page = half_hourly("2026-01-10T10:00", [1, 2])

    assert RateTimeline([*page, *page]).rates == tuple(page)


def test_trimming_drops_rates_that_ended_and_keeps_the_one_spanning_the_cut(
    agile: RateTimeline,
) -> None:
    trimmed = agile.trimmed(at("2026-01-10T10:45"))

    assert trimmed.earliest_start == at("2026-01-10T10:30")
    assert len(trimmed) == 3
    assert agile.trimmed(at("2026-01-10T10:30")).earliest_start == at("2026-01-10T10:30")


def test_day_rates_are_the_local_day_clipped() -> None:
    timeline = RateTimeline([rate("2026-06-30T12:00", None, "20")])

    assert timeline.day_rates(date(2026, 7, 1)) == [
        rate("2026-06-30T23:00", "2026-07-01T23:00", "20")
    ]


def test_day_stats_weigh_the_mean_by_time() -> None:
    # Local day 2026-01-10 (GMT): 6 hours at 10p and 18 hours at 30p.
    timeline = RateTimeline(
        [
            rate("2026-01-10T00:00", "2026-01-10T06:00", "10"),
            rate("2026-01-10T06:00", "2026-01-11T00:00", "30"),
        ]
    )

    assert timeline.day_stats(date(2026, 1, 10)) == DayStats(
        min=Decimal(10), max=Decimal(30), mean=Decimal(25), count=2, complete=True
    )


def test_day_stats_of_a_partly_priced_day_are_incomplete() -> None:
    # Before Agile publishes tomorrow, "today" as seen from 23:00 has 46 slots priced.
    timeline = RateTimeline(half_hourly("2026-01-10T00:00", [4] * 46))

    stats = timeline.day_stats(date(2026, 1, 10))

    assert stats is not None
    assert (stats.count, stats.complete, stats.mean) == (46, False, 4)


def test_day_stats_on_the_long_autumn_day_count_fifty_slots() -> None:
    start = at("2026-10-24T23:00")
    timeline = RateTimeline(half_hourly(start, list(range(50))))

    stats = timeline.day_stats(date(2026, 10, 25))

    assert stats is not None
    assert (stats.count, stats.complete, stats.min, stats.max) == (50, True, 0, 49)
    assert stats.mean == Decimal("24.5")


def test_split_half_hours_cuts_long_and_open_ended_rates() -> None:
    timeline = RateTimeline([rate("2026-01-10T00:00", None, "24", "22.857")])

    slots = timeline.split_half_hours(at("2026-01-10T10:10"), at("2026-01-10T11:30"))

    assert [(s.valid_from, s.valid_to, s.value_inc_vat, s.value_exc_vat) for s in slots] == [
        (start, start + timedelta(minutes=30), Decimal(24), Decimal("22.857"))
        for start in (at("2026-01-10T10:00"), at("2026-01-10T10:30"), at("2026-01-10T11:00"))
    ]


def test_split_half_hours_averages_shorter_rates_over_time() -> None:
    timeline = RateTimeline(
        [
            rate("2026-01-10T10:00", "2026-01-10T10:10", "30", "3"),
            rate("2026-01-10T10:10", "2026-01-10T10:30", "0", "0"),
        ]
    )

    slots = timeline.split_half_hours(at("2026-01-10T10:00"), at("2026-01-10T10:30"))

    assert slots == [rate("2026-01-10T10:00", "2026-01-10T10:30", "10", "1")]


def test_a_half_hour_only_partly_priced_is_left_out_of_the_split() -> None:
    timeline = RateTimeline(
        [
            rate("2026-01-10T10:00", "2026-01-10T10:15", "30"),
            rate("2026-01-10T10:45", "2026-01-10T11:30", "10"),
            rate("2026-01-10T11:30", "2026-01-10T11:45", "10"),
        ]
    )

    slots = timeline.split_half_hours(at("2026-01-10T10:00"), at("2026-01-10T12:00"))

    assert slots == [rate("2026-01-10T11:00", "2026-01-10T11:30", "10")]


def test_split_half_hours_jumps_over_long_gaps() -> None:
    timeline = RateTimeline(
        [
            rate("2026-01-01T00:00", "2026-01-01T00:30", "1"),
            rate("2026-06-01T00:00", "2026-06-01T00:30", "2"),
        ]
    )

    slots = timeline.split_half_hours(at("2026-01-01T00:00"), at("2027-01-01T00:00"))

    assert [s.value_inc_vat for s in slots] == [1, 2]


def test_the_timeline_survives_a_round_trip_through_json(agile: RateTimeline) -> None:
    timeline = agile.merge([rate("2026-01-10T13:00", None, "24.1234", "22.9747")])

    stored = json.loads(json.dumps(timeline.to_json()))

    assert stored[0] == {
        "valid_from": "2026-01-10T10:00:00+00:00",
        "valid_to": "2026-01-10T10:30:00+00:00",
        "value_inc_vat": "10",
        "value_exc_vat": "10",
    }
    assert RateTimeline.from_json(stored) == timeline


@pytest.mark.parametrize(
    "stored",
    [
        {"not": "a list"},
        [1],
        [{"valid_from": "2026-01-01T00:00:00+00:00"}],
        [
            {
                "valid_from": "2026-01-01T00:00:00",
                "valid_to": None,
                "value_inc_vat": "1",
                "value_exc_vat": "1",
            }
        ],
        [
            {
                "valid_from": "2026-01-01T00:00:00+00:00",
                "valid_to": None,
                "value_inc_vat": "x",
                "value_exc_vat": "1",
            }
        ],
        [{"valid_from": "yesterday", "valid_to": None, "value_inc_vat": "1", "value_exc_vat": "1"}],
        None,
    ],
)
def test_malformed_stored_rates_are_refused(stored: object) -> None:
    with pytest.raises(ValueError):
        RateTimeline.from_json(stored)


def test_the_standing_charge_in_force_is_the_latest_to_start() -> None:
    charges = [
        StandingCharge(None, None, Decimal("40"), Decimal("38")),
        StandingCharge(at("2026-01-01T00:00"), at("2026-04-01T00:00"), Decimal(50), Decimal(48)),
        StandingCharge(at("2026-04-01T00:00"), None, Decimal(55), Decimal(52)),
    ]

    assert standing_charge_at(charges, at("2025-06-01T00:00")) == charges[0]
    assert standing_charge_at(charges, at("2026-02-01T00:00")) == charges[1]
    assert standing_charge_at(charges, at("2026-04-01T00:00")) == charges[2]
    assert standing_charge_at(charges[1:], at("2025-06-01T00:00")) is None
    assert standing_charge_at(list(reversed(charges)), at("2026-02-01T00:00")) == charges[1]
    assert standing_charge_at([], at("2026-02-01T00:00")) is None
