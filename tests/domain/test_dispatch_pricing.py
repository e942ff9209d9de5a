"""Completed dispatches as billed: smart ones off-peak (over midnight too), boosts at peak."""

from __future__ import annotations

from decimal import Decimal

from custom_components.octopus_kraken.api.models import Dispatch, DispatchType
from custom_components.octopus_kraken.domain.dispatch import smart_only, with_completed_dispatches
from custom_components.octopus_kraken.domain.timeline import RateTimeline

from .helpers import at, rate

# Intelligent Go in January (UK time is UTC): off-peak 23:30-05:30 at 7p, peak 30p.
TIMELINE = RateTimeline(
    [
        rate("2025-01-09T00:00", "2025-01-09T05:30", "7"),
        rate("2025-01-09T05:30", "2025-01-09T23:30", "30"),
        rate("2025-01-09T23:30", "2025-01-10T05:30", "7"),
    ]
)


def test_a_dispatch_from_the_evening_before_the_priced_window_still_counts_after_midnight() -> None:
    # The window priced starts at midnight; the dispatch began at 22:00 the day before and ran
    # to 07:00: 05:30 to 07:00 is off-peak (7p), 07:00 on is peak again.
    smart = Dispatch(at("2025-01-08T22:00"), at("2025-01-09T07:00"), source="smart-charge")
    priced = with_completed_dispatches(
        TIMELINE, [smart], at("2025-01-09T00:00"), at("2025-01-10T00:00")
    )
    assert priced.rate_at(at("2025-01-09T06:30")).value_inc_vat == Decimal(7)
    assert priced.rate_at(at("2025-01-09T07:00")).value_inc_vat == Decimal(30)


def test_boosts_are_billed_at_peak_and_smart_dispatches_touching_a_half_hour_make_it_off_peak() -> (
    None
):
    boost = Dispatch(at("2025-01-09T18:00"), at("2025-01-09T19:00"), source="bump-charge")
    typed_boost = Dispatch(
        at("2025-01-09T12:00"), at("2025-01-09T13:00"), dispatch_type=DispatchType.BOOST
    )
    smart = Dispatch(at("2025-01-09T20:10"), at("2025-01-09T20:40"), source="smart-charge")
    assert smart_only([boost, typed_boost, smart]) == [smart]
    priced = with_completed_dispatches(
        TIMELINE, [boost, typed_boost, smart], at("2025-01-09T00:00"), at("2025-01-10T00:00")
    )
    assert priced.rate_at(at("2025-01-09T18:30")).value_inc_vat == Decimal(30)
    assert priced.rate_at(at("2025-01-09T12:30")).value_inc_vat == Decimal(30)
    # 20:10-20:40 touches 20:00-20:30 and 20:30-21:00: both whole half-hours are off-peak.
    assert priced.rate_at(at("2025-01-09T20:00")).value_inc_vat == Decimal(7)
    assert priced.rate_at(at("2025-01-09T20:59")).value_inc_vat == Decimal(7)
    assert priced.rate_at(at("2025-01-09T21:00")).value_inc_vat == Decimal(30)
