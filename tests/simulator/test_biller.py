"""The simulator's biller against days worked out by hand.

Consumption is pinned with corrections so every half-hour's quantity is a round number; the
prices are the rows the simulator publishes (read through ``rate_at``, as a client would read
them), and the arithmetic of each expected figure is written out in the test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import aiohttp

from octopus_simulator.biller import (
    Dispatch,
    PublishedRate,
    bill_day,
    bill_from,
)
from octopus_simulator.catalogue import RateKind, parse_tariff_code
from octopus_simulator.prices import rate_at
from octopus_simulator.scenario import (
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    GAS_MPRN,
    NEIGHBOUR_MPAN,
    Agreement,
    Scenario,
    default_scenario,
)
from octopus_simulator.server import SimulatorHandle
from octopus_simulator.timeutil import HALF_HOUR, LONDON

WINTER = date(2025, 1, 7)


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def _pin(scenario: Scenario, meter: str, day: date, each: str) -> list[datetime]:
    """Every half-hour of ``day`` on ``meter`` reads ``each``; returns the half-hour starts."""
    start, end = _local_midnight(day), _local_midnight(day + timedelta(days=1))
    starts = []
    slot = start
    while slot < end:
        scenario.consumption.corrections[meter, slot] = Decimal(each)
        starts.append(slot)
        slot += HALF_HOUR
    return starts


def _published(scenario: Scenario, code: str, kind: RateKind, at: datetime) -> Decimal:
    tariff = parse_tariff_code(code)
    assert tariff is not None
    row = rate_at(
        tariff, kind, at + timedelta(minutes=1), seed=scenario.seed, rules=scenario.publication
    )
    assert row is not None
    return row.value_inc_vat


def test_a_fixed_tariff_day_is_units_times_price_plus_one_standing_charge() -> None:
    scenario = default_scenario()
    code = "E-1R-OE-FIX-12M-24-11-01-C"
    point = scenario.electricity_point(AGILE_IMPORT_MPAN)[2]
    point.agreements = [Agreement(1, code, _utc(2024, 11, 1))]
    _pin(scenario, AGILE_IMPORT_MPAN, WINTER, "0.500")
    # Published: 22.81 x 1.03 (region C) = 23.4943 exc VAT -> 24.6690 inc VAT (4 places).
    assert _published(scenario, code, RateKind.STANDARD, _utc(2025, 1, 7)) == Decimal("24.669")
    standing = _published(scenario, code, RateKind.STANDING, _utc(2025, 1, 7))
    bill = bill_day(scenario, AGILE_IMPORT_MPAN, WINTER)
    # 48 half-hours x 0.5 kWh = 24 kWh; 24 x 24.669 = 592.056p.
    assert len(bill.half_hours) == 48
    assert bill.lines[0].quantity == Decimal(24)
    assert bill.lines[0].exact == Decimal("592.056")
    assert bill.lines[0].amount == Decimal(592)
    assert bill.standing_charge == standing
    assert bill.exact == Decimal("592.056") + standing
    assert bill.total == Decimal(592) + standing.quantize(Decimal(1), rounding="ROUND_HALF_UP")


def test_clock_change_days_bill_46_and_50_half_hours_and_one_standing_charge() -> None:
    scenario = default_scenario()
    code = "E-1R-OE-FIX-12M-24-11-01-C"
    point = scenario.electricity_point(AGILE_IMPORT_MPAN)[2]
    point.agreements = [Agreement(1, code, _utc(2024, 11, 1))]
    price = Decimal("24.669")
    for day, half_hours in ((date(2025, 3, 30), 46), (date(2025, 10, 26), 50)):
        _pin(scenario, AGILE_IMPORT_MPAN, day, "1.000")
        bill = bill_day(scenario, AGILE_IMPORT_MPAN, day)
        standing = _published(scenario, code, RateKind.STANDING, _local_midnight(day))
        assert len(bill.half_hours) == half_hours
        # 46 x 1 kWh x 24.669p = 1134.774p; 50 x 24.669 = 1233.45p; one standing charge each.
        units = {46: Decimal("1134.774"), 50: Decimal("1233.450")}[half_hours]
        assert units == half_hours * price
        assert bill.exact == units + standing
        assert [line.description for line in bill.lines].count(f"{code} standing charge") == 1


def test_economy_7_uses_the_night_rate_from_00_30_to_07_30_utc_in_summer_too() -> None:
    scenario = default_scenario()
    code = "E-2R-VAR-22-11-01-L"
    for day in (WINTER, date(2025, 7, 8)):
        _pin(scenario, NEIGHBOUR_MPAN, day, "1.000")
        start = _local_midnight(day)
        day_price = _published(scenario, code, RateKind.DAY, start)
        night_price = _published(scenario, code, RateKind.NIGHT, start)
        standing = _published(scenario, code, RateKind.STANDING, start)
        bill = bill_day(scenario, NEIGHBOUR_MPAN, day)
        # 00:30-07:30 UTC is 14 half-hours whatever the season; the other 34 are day units.
        assert bill.exact == 14 * night_price + 34 * day_price + standing
        nights = [h.start for h in bill.half_hours if h.register == "night"]
        assert nights[0].astimezone(UTC).time() == time(0, 30)
        assert nights[-1].astimezone(UTC).time() == time(7)
        assert len(nights) == 14


def test_gas_in_cubic_metres_is_converted_with_the_calorific_value() -> None:
    scenario = default_scenario()
    _pin(scenario, GAS_MPRN, WINTER, "0.100")
    code = "G-1R-SILVER-24-12-31-C"
    price = _published(scenario, code, RateKind.STANDARD, _utc(2025, 1, 7))
    standing = _published(scenario, code, RateKind.STANDING, _utc(2025, 1, 7))
    bill = bill_day(scenario, GAS_MPRN, WINTER, calorific_value=Decimal("39.5"))
    # 4.8 m³ x 1.02264 = 4.908672; x 39.5 MJ/m³ = 193.892544 MJ; / 3.6 = 53.85904 kWh.
    # (Decimal division carries 28 digits: equal to far below a millionth of a penny.)
    assert abs(bill.lines[0].quantity - Decimal("53.85904")) < Decimal("1e-20")
    assert abs(bill.exact - (Decimal("53.85904") * price + standing)) < Decimal("1e-18")


def test_export_is_income_without_standing_charge() -> None:
    scenario = default_scenario()
    _pin(scenario, AGILE_EXPORT_MPAN, WINTER, "0.200")
    code = "E-1R-AGILE-OUTGOING-19-05-13-C"
    start = _local_midnight(WINTER)
    prices = [
        _published(scenario, code, RateKind.STANDARD, start + i * HALF_HOUR) for i in range(48)
    ]
    bill = bill_day(scenario, AGILE_EXPORT_MPAN, WINTER)
    assert bill.income
    assert bill.standing_charge is None
    assert bill.exact == sum((Decimal("0.2") * p for p in prices), Decimal(0))


def test_a_switch_at_midnight_changes_units_and_standing_charge_from_that_day() -> None:
    scenario = default_scenario()
    fixed, agile = "E-1R-OE-FIX-12M-24-11-01-C", "E-1R-AGILE-24-10-01-C"
    switch = _local_midnight(WINTER)
    point = scenario.electricity_point(AGILE_IMPORT_MPAN)[2]
    point.agreements = [
        Agreement(1, fixed, _utc(2024, 11, 1), switch),
        Agreement(2, agile, switch),
    ]
    before, after = WINTER - timedelta(days=1), WINTER
    _pin(scenario, AGILE_IMPORT_MPAN, before, "1.000")
    _pin(scenario, AGILE_IMPORT_MPAN, after, "1.000")
    old = bill_day(scenario, AGILE_IMPORT_MPAN, before)
    new = bill_day(scenario, AGILE_IMPORT_MPAN, after)
    assert old.exact == 48 * Decimal("24.669") + _published(
        scenario, fixed, RateKind.STANDING, _local_midnight(before)
    )
    agile_prices = [
        _published(scenario, agile, RateKind.STANDARD, switch + i * HALF_HOUR) for i in range(48)
    ]
    assert new.exact == sum(agile_prices, Decimal(0)) + _published(
        scenario, agile, RateKind.STANDING, switch
    )


def _flat(peak: str, off_peak: str) -> Callable[[datetime], PublishedRate]:
    def rate_of(start: datetime) -> PublishedRate:
        local = start.astimezone(LONDON).time()
        cheap = local >= time(23, 30) or local < time(5, 30)
        return PublishedRate("IOG", "standard", Decimal(off_peak if cheap else peak))

    return rate_of


def test_intelligent_go_dispatches_boosts_and_the_daily_cap() -> None:
    day = WINTER  # UTC is UK time in January
    usage = [(_utc(2025, 1, 7) + i * HALF_HOUR, Decimal(1)) for i in range(48)]
    dispatches = [
        Dispatch(_utc(2025, 1, 7, 0), _utc(2025, 1, 7, 2)),  # inside the fixed window: no allowance
        Dispatch(_utc(2025, 1, 7, 12, 10), _utc(2025, 1, 7, 12, 40)),  # touches 12:00 and 12:30
        Dispatch(_utc(2025, 1, 7, 14), _utc(2025, 1, 7, 20)),  # 12 half-hours, 10 within the cap
        Dispatch(_utc(2025, 1, 7, 20), _utc(2025, 1, 7, 21), boost=True),  # billed at peak
    ]
    bill = bill_from(
        "m",
        day,
        usage,
        _flat("30", "7"),
        PublishedRate("IOG", "standing", Decimal(50)),
        intelligent=lambda _: True,
        dispatches=dispatches,
        off_peak_of=lambda _: Decimal(7),
    )
    rerated = [h.start for h in bill.half_hours if h.register == "dispatch off-peak"]
    # 12:00, 12:30, then 14:00 to 18:30: twelve half-hours; 19:00 and 19:30 are over the cap.
    assert rerated == [_utc(2025, 1, 7, 12), _utc(2025, 1, 7, 12, 30)] + [
        _utc(2025, 1, 7, 14) + i * HALF_HOUR for i in range(10)
    ]
    # Fixed window: 00:00-05:30 (11) and 23:30 (1) at 7p = 84p; dispatches 12 x 7p = 84p;
    # the other 24 half-hours (boost included) at 30p = 720p; standing charge 50p.
    assert bill.exact == Decimal(84 + 84 + 720 + 50)
    assert {line.description: line.amount for line in bill.lines} == {
        "IOG standard": Decimal(804),
        "IOG dispatch off-peak": Decimal(84),
        "IOG standing charge": Decimal(50),
    }


def test_each_line_is_rounded_to_the_penny_half_up() -> None:
    usage = [(_utc(2025, 1, 7), Decimal("0.5")), (_utc(2025, 1, 7, 0, 30), Decimal("0.25"))]
    bill = bill_from(
        "m",
        WINTER,
        usage,
        lambda _: PublishedRate("T", "standard", Decimal(2)),
        PublishedRate("T", "standing", Decimal("40.4999")),
    )
    # Units: 0.5 x 2 + 0.25 x 2 = 1.5p -> 2p; standing 40.4999p -> 40p.
    assert bill.exact == Decimal("41.9999")
    assert bill.total == Decimal(42)
    assert [line.amount for line in bill.lines] == [Decimal(2), Decimal(40)]
    # The Energy dashboard's hours: units per UTC hour, the standing charge in the day's first.
    assert bill.hourly() == {_utc(2025, 1, 7): Decimal("41.9999")}


def test_an_unpriced_half_hour_leaves_the_day_incomplete() -> None:
    usage = [(_utc(2025, 1, 7), Decimal(1)), (_utc(2025, 1, 7, 0, 30), Decimal(1))]
    bill = bill_from(
        "m",
        WINTER,
        usage,
        lambda s: None if s.minute else PublishedRate("T", "standard", Decimal(2)),
        None,
    )
    assert not bill.complete
    assert bill.exact == Decimal(2)


async def test_the_bill_control_answers_per_day(octopus_simulator: SimulatorHandle) -> None:
    url = f"{octopus_simulator.url}/_sim/bill"
    query = {"meter": GAS_MPRN, "from": "2025-01-06", "to": "2025-01-07"}
    async with aiohttp.ClientSession() as session:
        async with session.get(url, params=query) as response:
            assert response.status == 200
            body = await response.json()
        async with session.get(url, params={"meter": "nope", "from": "2025-01-06"}) as response:
            assert response.status == 400
        async with session.get(url, params={"meter": GAS_MPRN}) as response:
            assert response.status == 400
    assert [d["date"] for d in body["days"]] == ["2025-01-06", "2025-01-07"]
    direct = [bill_day(octopus_simulator.state, GAS_MPRN, date(2025, 1, d)) for d in (6, 7)]
    assert Decimal(body["exact_pence"]) == direct[0].exact + direct[1].exact
    assert Decimal(body["total_pence"]) == direct[0].total + direct[1].total


def test_a_compared_tariff_bills_the_same_consumption_at_its_own_prices() -> None:
    scenario = default_scenario()
    fixed = "E-1R-OE-FIX-12M-24-11-01-C"
    _pin(scenario, AGILE_IMPORT_MPAN, WINTER, "0.500")
    own = bill_day(scenario, AGILE_IMPORT_MPAN, WINTER)
    compared = bill_day(scenario, AGILE_IMPORT_MPAN, WINTER, tariff_code=fixed)
    # The meter stays on Agile; the comparison prices the same 24 kWh at 24.669 p/kWh.
    assert {h.tariff_code for h in own.half_hours} == {"E-1R-AGILE-24-10-01-C"}
    assert {h.tariff_code for h in compared.half_hours} == {fixed}
    assert compared.lines[0].exact == Decimal("592.056")
    standing = _published(scenario, fixed, RateKind.STANDING, _utc(2025, 1, 7))
    assert compared.exact == Decimal("592.056") + standing


async def test_the_bill_control_bills_a_compared_tariff(
    octopus_simulator: SimulatorHandle,
) -> None:
    url = f"{octopus_simulator.url}/_sim/bill"
    fixed = "E-1R-OE-FIX-12M-24-11-01-C"
    query = {"meter": AGILE_IMPORT_MPAN, "from": "2025-01-06", "tariff": fixed}
    async with aiohttp.ClientSession() as session:
        async with session.get(url, params=query) as response:
            assert response.status == 200
            body = await response.json()
        async with session.get(url, params={**query, "tariff": "E-1R-NOPE-C"}) as response:
            assert response.status == 400
    direct = bill_day(
        octopus_simulator.state, AGILE_IMPORT_MPAN, date(2025, 1, 6), tariff_code=fixed
    )
    assert Decimal(body["exact_pence"]) == direct.exact
    assert body["days"][0]["half_hours"][0]["price"] == str(direct.half_hours[0].price)
