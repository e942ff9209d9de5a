"""The pricing model: Intelligent Go dispatch half-hours, tariffs in force, standing charges.

Expected prices are read off the billing rules of the shared API notes by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from custom_components.octopus_kraken.api.models import Dispatch, DispatchType, StandingCharge
from custom_components.octopus_kraken.domain.price_model import PriceModel, dispatch_off_peak
from custom_components.octopus_kraken.domain.rate_data import TariffPeriod
from custom_components.octopus_kraken.domain.tariff_codes import TariffKind
from custom_components.octopus_kraken.domain.timeline import RateTimeline

from .helpers import at, rate

IOG = TariffPeriod(
    "E-1R-INTELLI-VAR-24-10-29-C",
    "INTELLI-VAR-24-10-29",
    1,
    TariffKind.INTELLIGENT_GO,
    None,
    None,
)
# Intelligent Go in January (UK time is UTC): off-peak 23:30-05:30 at 7p, peak 30p.
PUBLISHED = RateTimeline(
    [
        rate("2025-01-08T23:30", "2025-01-09T05:30", "7"),
        rate("2025-01-09T05:30", "2025-01-09T23:30", "30"),
        rate("2025-01-09T23:30", "2025-01-10T05:30", "7"),
        rate("2025-01-10T05:30", "2025-01-10T23:30", "30"),
    ]
)


def _model(*dispatches: Dispatch, tariffs: tuple[TariffPeriod, ...] = (IOG,)) -> PriceModel:
    off_peak = dispatch_off_peak(dispatches, now=at("2025-01-11T00:00"))
    return PriceModel.build(PUBLISHED, (), tariffs, off_peak)


def test_a_dispatch_from_the_evening_before_still_counts_after_midnight() -> None:
    # 22:00 the day before to 07:00: 05:30 to 07:00 is off-peak (7p), 07:00 on is peak again.
    model = _model(Dispatch(at("2025-01-08T22:00"), at("2025-01-09T07:00"), source="smart-charge"))
    assert model.unit_price(at("2025-01-09T06:30")) == Decimal(7)
    assert model.unit_price(at("2025-01-09T07:00")) == Decimal(30)


def test_boosts_are_peak_and_a_smart_dispatch_touching_a_half_hour_makes_it_off_peak() -> None:
    boost = Dispatch(at("2025-01-09T18:00"), at("2025-01-09T19:00"), source="bump-charge")
    typed = Dispatch(
        at("2025-01-09T12:00"), at("2025-01-09T13:00"), dispatch_type=DispatchType.BOOST
    )
    smart = Dispatch(at("2025-01-09T20:10"), at("2025-01-09T20:40"), source="smart-charge")
    model = _model(boost, typed, smart)
    assert model.unit_price(at("2025-01-09T18:30")) == Decimal(30)
    assert model.unit_price(at("2025-01-09T12:30")) == Decimal(30)
    # 20:10-20:40 touches 20:00-20:30 and 20:30-21:00: both whole half-hours are off-peak.
    assert model.unit_price(at("2025-01-09T20:00")) == Decimal(7)
    assert model.unit_price(at("2025-01-09T20:59")) == Decimal(7)
    assert model.unit_price(at("2025-01-09T21:00")) == Decimal(30)
    assert model.is_dispatch_adjusted(model.rate_at(at("2025-01-09T20:00")))
    assert not model.is_dispatch_adjusted(model.rate_at(at("2025-01-09T21:00")))


def test_the_extended_off_peak_is_capped_at_twelve_half_hours_a_uk_day_earliest_first() -> None:
    # 06:00 to 14:00 is sixteen half-hours outside the window: the first twelve are off-peak.
    model = _model(Dispatch(at("2025-01-09T06:00"), at("2025-01-09T14:00"), source="smart-charge"))
    assert model.unit_price(at("2025-01-09T11:30")) == Decimal(7)
    assert model.unit_price(at("2025-01-09T12:00")) == Decimal(30)


def test_dispatches_reprice_only_while_intelligent_go_is_in_force() -> None:
    fixed = TariffPeriod(
        "E-1R-OE-FIX-12M-24-11-01-C", "OE-FIX-12M-24-11-01", 1, TariffKind.FIXED,
        at("2025-01-10T00:00"), None,
    )  # fmt: skip
    iog = TariffPeriod(IOG.tariff_code, IOG.product_code, 1, IOG.kind, None, at("2025-01-10T00:00"))
    model = _model(
        Dispatch(at("2025-01-09T19:00"), at("2025-01-09T19:30"), source="smart-charge"),
        Dispatch(at("2025-01-10T19:00"), at("2025-01-10T19:30"), source="smart-charge"),
        tariffs=(iog, fixed),
    )
    assert model.unit_price(at("2025-01-09T19:00")) == Decimal(7)
    assert model.unit_price(at("2025-01-10T19:00")) == Decimal(30)


def test_the_standing_charge_of_a_uk_day_is_the_one_in_force_at_its_midnight() -> None:
    charges = (
        StandingCharge(at("2025-01-01T00:00"), at("2025-03-30T23:00"), Decimal(50), Decimal(48)),
        StandingCharge(at("2025-03-30T23:00"), None, Decimal(60), Decimal(57)),
    )
    model = PriceModel.build(PUBLISHED, charges, (IOG,))
    # 31 March starts at 23:00 UTC on the 30th (BST): the new charge; the 30th keeps the old.
    assert model.standing_charge(date(2025, 3, 30)) == Decimal(50)
    assert model.standing_charge(date(2025, 3, 31)) == Decimal(60)
    assert model.standing_charge(date(2024, 12, 31)) is None
