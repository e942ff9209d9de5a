"""Cost of consumption, standing charges, gas conversion and hourly totals."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from custom_components.octopus_kraken.api.models import ConsumptionInterval, StandingCharge
from custom_components.octopus_kraken.domain.cost import (
    HourlyTotal,
    IntervalCost,
    aggregate_hourly,
    gas_intervals_to_kwh,
    gas_m3_to_kwh,
    half_hour_costs,
    standing_charge_per_local_day,
)
from custom_components.octopus_kraken.domain.timeline import RateTimeline

from .helpers import at, half_hourly, rate


def used(start: datetime | str, kwh: str, minutes: int = 30) -> ConsumptionInterval:
    begin = at(start) if isinstance(start, str) else start
    return ConsumptionInterval(begin, begin + timedelta(minutes=minutes), Decimal(kwh))


CHARGES = [
    StandingCharge(at("2026-01-01T00:00"), at("2026-03-29T00:00"), Decimal("48.5"), Decimal(46)),
    StandingCharge(at("2026-03-29T00:00"), None, Decimal("50.25"), Decimal(48)),
]


def test_each_half_hour_costs_its_kwh_times_the_rate_in_force() -> None:
    timeline = RateTimeline(half_hourly("2026-01-10T10:00", ["24.5", "-2"]))

    costs = half_hour_costs(
        [used("2026-01-10T10:30", "0.4"), used("2026-01-10T10:00", "1.25")], timeline
    )

    assert costs == [
        IntervalCost(
            at("2026-01-10T10:00"),
            at("2026-01-10T10:30"),
            Decimal("1.25"),
            Decimal("24.5"),
            Decimal("30.625"),
        ),
        IntervalCost(
            at("2026-01-10T10:30"),
            at("2026-01-10T11:00"),
            Decimal("0.4"),
            Decimal(-2),
            Decimal("-0.8"),
        ),
    ]
    assert all(c.priced for c in costs)


def test_a_half_hour_without_a_known_rate_is_flagged_not_guessed() -> None:
    timeline = RateTimeline(
        [
            rate("2026-01-10T10:00", "2026-01-10T10:30", "20"),
            rate("2026-01-10T11:15", "2026-01-10T12:00", "20"),
        ]
    )

    costs = half_hour_costs(
        [
            used("2026-01-10T10:30", "1"),
            used("2026-01-10T11:00", "1"),
            used("2026-01-10T11:30", "1", minutes=0),
        ],
        timeline,
    )

    assert [(c.rate_inc_vat, c.cost_inc_vat, c.priced) for c in costs] == [(None, None, False)] * 3


def test_an_interval_over_a_price_change_is_priced_by_time() -> None:
    timeline = RateTimeline(half_hourly("2026-01-10T10:00", ["10", "30"]))

    (cost,) = half_hour_costs([used("2026-01-10T10:00", "2", minutes=60)], timeline)

    assert cost.rate_inc_vat == 20
    assert cost.cost_inc_vat == 40


def test_an_open_ended_rate_prices_any_interval() -> None:
    timeline = RateTimeline([rate("2026-01-01T00:00", None, "24.86")])

    (cost,) = half_hour_costs([used("2026-02-01T10:00", "1")], timeline)

    assert cost.cost_inc_vat == Decimal("24.86")


def test_the_standing_charge_of_a_day_is_the_one_in_force_at_its_local_midnight() -> None:
    charges = standing_charge_per_local_day(
        [date(2025, 12, 31), date(2026, 3, 28), date(2026, 3, 29), date(2026, 7, 1)], CHARGES
    )

    assert charges == {
        date(2025, 12, 31): None,
        date(2026, 3, 28): Decimal("48.5"),
        date(2026, 3, 29): Decimal("50.25"),
        date(2026, 7, 1): Decimal("50.25"),
    }


def test_smets2_gas_volume_converts_to_kwh_as_billed() -> None:
    assert gas_m3_to_kwh(Decimal("3.6")) == Decimal("1.02264") * Decimal("39.5")
    assert gas_m3_to_kwh(Decimal(1), Decimal("36"), Decimal(1)) == Decimal(10)


def test_gas_intervals_are_converted_one_by_one() -> None:
    converted = gas_intervals_to_kwh([used("2026-01-10T10:00", "0.36")], Decimal(40), Decimal(1))

    assert converted == [used("2026-01-10T10:00", "4")]


def test_half_hours_add_up_into_utc_hours() -> None:
    timeline = RateTimeline(half_hourly("2026-01-10T10:00", ["10", "20", "30"]))
    costs = half_hour_costs(
        [
            used("2026-01-10T10:00", "1"),
            used("2026-01-10T10:30", "2"),
            used("2026-01-10T11:00", "3"),
            used("2026-01-10T11:30", "4"),
        ],
        timeline,
    )

    hourly = aggregate_hourly(costs)

    assert hourly == [
        HourlyTotal(at("2026-01-10T10:00"), Decimal(3), Decimal(50), complete=True),
        HourlyTotal(at("2026-01-10T11:00"), Decimal(7), None, complete=True),
    ]


def test_plain_consumption_aggregates_without_cost() -> None:
    hourly = aggregate_hourly(
        [
            used("2026-01-10T11:30", "4"),
            used("2026-01-10T10:30", "2"),
            used("2026-01-10T10:00", "1"),
        ]
    )

    assert hourly == [
        HourlyTotal(at("2026-01-10T10:00"), Decimal(3), None, complete=True),
        HourlyTotal(at("2026-01-10T11:00"), Decimal(4), None, complete=False),
    ]


@pytest.mark.parametrize(
    "interval",
    [used("2026-01-10T10:45", "1"), used("2026-01-10T10:00", "1", minutes=-30)],
)
def test_an_interval_that_does_not_fit_in_one_hour_is_refused(
    interval: ConsumptionInterval,
) -> None:
    with pytest.raises(ValueError, match="one hour"):
        aggregate_hourly([interval])
