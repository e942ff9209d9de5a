"""Which recent prices the rates coordinator can hand to consumption cost without a request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from custom_components.octopus_kraken.api import Rate, StandingCharge
from custom_components.octopus_kraken.domain.rate_data import (
    RatesData,
    TariffPeriod,
    charges_cover,
)
from custom_components.octopus_kraken.domain.tariff_codes import TariffKind
from custom_components.octopus_kraken.domain.timeline import RateTimeline

T0 = datetime(2026, 10, 20, tzinfo=UTC)
H = timedelta(hours=1)
AGILE = "E-1R-AGILE-24-10-01-C"
GO = "E-1R-GO-VAR-22-10-14-C"


def _tariff(code: str, start: datetime | None, end: datetime | None) -> TariffPeriod:
    return TariffPeriod(code, code[5:-2], 1, TariffKind.AGILE, start, end)


def _charge(start: datetime | None, end: datetime | None, pence: str = "50") -> StandingCharge:
    return StandingCharge(start, end, Decimal(pence), Decimal(pence))


def _data(
    tariffs: tuple[TariffPeriod, ...] = (_tariff(AGILE, None, None),),
    charges: tuple[StandingCharge, ...] = (_charge(None, None),),
) -> RatesData:
    rates = [Rate(T0 + i * H, T0 + (i + 1) * H, Decimal(i), Decimal(i)) for i in range(48)]
    return RatesData(
        timeline=RateTimeline(rates),
        standing_charges=charges,
        tariffs=tariffs,
        fetched=((T0, T0 + 48 * H),),
    )


def test_the_held_tail_of_a_longer_period_is_handed_over_clipped() -> None:
    held = _data().held_prices(AGILE, T0 - 24 * H, T0 + 2 * H + H / 2)
    assert held is not None
    assert held.period == (T0, T0 + 2 * H + H / 2)
    assert [r.value_inc_vat for r in held.rates] == [0, 1, 2]
    assert held.rates[-1].valid_to == T0 + 2 * H + H / 2
    assert held.standing_charges == (_charge(T0, T0 + 2 * H + H / 2),)


def test_nothing_is_held_outside_what_the_api_answered_for() -> None:
    assert _data().held_prices(AGILE, T0 - 24 * H, T0) is None
    assert _data().held_prices(AGILE, T0, T0 + 49 * H) is None


def test_nothing_is_held_for_another_tariff_or_across_a_tariff_change() -> None:
    assert _data().held_prices(GO, T0, T0 + H) is None
    switched = (_tariff(AGILE, None, T0 + 10 * H), _tariff(GO, T0 + 10 * H, None))
    assert _data(switched).held_prices(AGILE, T0, T0 + 12 * H) is None
    assert _data(switched).held_prices(GO, T0 + 10 * H, T0 + 12 * H) is not None


def test_nothing_is_held_while_a_standing_charge_is_unknown() -> None:
    assert _data(charges=()).held_prices(AGILE, T0, T0 + H) is None
    gap = (_charge(None, T0 + H), _charge(T0 + 2 * H, None))
    assert _data(charges=gap).held_prices(AGILE, T0, T0 + 3 * H) is None


def test_standing_charges_cover_a_period_only_without_gaps() -> None:
    joined = [_charge(T0 + H, None, "60"), _charge(None, T0 + H)]
    assert charges_cover(joined, T0, T0 + 5 * H)
    assert charges_cover([_charge(None, T0 + 5 * H)], T0, T0 + 5 * H)
    assert not charges_cover([_charge(None, T0 + 4 * H)], T0, T0 + 5 * H)
    assert not charges_cover([], T0, T0 + H)
