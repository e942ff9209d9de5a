"""Tariff charges: publication, clock changes, time-of-use rows, paging, filters."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from octopus_simulator.server import SimulatorHandle

AGILE = "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C"
RATE_KEYS = {"value_exc_vat", "value_inc_vat", "valid_from", "valid_to"}


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def _all(get, url: str, **params: str) -> list[dict]:
    rows: list[dict] = []
    _, body = await get(url, params={**params, "page_size": "1500"})
    rows.extend(body["results"])
    while body["next"]:
        _, body = await get(body["next"])
        rows.extend(body["results"])
    return rows


async def test_agile_rates_are_half_hours_newest_first_with_vat_at_five_percent(get) -> None:
    status, body = await get(
        f"{AGILE}/standard-unit-rates/",
        params={"period_from": "2025-06-17T00:00Z", "period_to": "2025-06-18T00:00Z"},
    )
    assert status == 200
    assert body["count"] == 48
    assert body["next"] is None
    rows = body["results"]
    assert all(set(row) == RATE_KEYS for row in rows)
    assert rows[0]["valid_from"] == "2025-06-17T23:30:00Z"
    assert rows[-1]["valid_from"] == "2025-06-17T00:00:00Z"
    for row in rows:
        assert _utc(row["valid_to"]) - _utc(row["valid_from"]) == timedelta(minutes=30)
        exc = Decimal(str(row["value_exc_vat"]))
        expected = (exc * Decimal("1.05")).quantize(Decimal("0.0001"))
        assert Decimal(str(row["value_inc_vat"])) == expected


async def test_agile_evening_peak_costs_more_and_some_slots_go_negative(get) -> None:
    rows = await _all(
        get, f"{AGILE}/standard-unit-rates/", period_from="2025-01-01T00:00Z",
        period_to="2025-06-01T00:00Z",
    )  # fmt: skip
    assert min(r["value_exc_vat"] for r in rows) < 0
    peak = [r["value_exc_vat"] for r in rows if r["valid_from"][11:16] in ("17:00", "17:30")]
    night = [r["value_exc_vat"] for r in rows if r["valid_from"][11:16] in ("02:00", "02:30")]
    assert sum(peak) / len(peak) > 2 * sum(night) / len(night)
    assert max(r["value_inc_vat"] for r in rows) <= 100.002


async def test_tomorrows_agile_prices_appear_at_four_pm_uk_time(sim: SimulatorHandle, get) -> None:
    params = {"period_from": "2025-06-18T23:00+01:00"}  # tomorrow's market day
    sim.clock.set(datetime(2025, 6, 18, 14, 59, tzinfo=UTC))  # 15:59 BST
    _, before = await get(f"{AGILE}/standard-unit-rates/", params=params)
    assert before["count"] == 0
    _, today = await get(
        f"{AGILE}/standard-unit-rates/", params={"period_from": "2025-06-18T00:00+01:00"}
    )
    assert today["count"] == 46  # today until 23:00 only
    sim.clock.set(datetime(2025, 6, 18, 15, 0, tzinfo=UTC))  # 16:00 BST
    _, after = await get(f"{AGILE}/standard-unit-rates/", params=params)
    assert after["count"] == 48
    assert after["results"][0]["valid_to"] == "2025-06-19T22:00:00Z"


async def test_publication_can_be_delayed_per_scenario(sim: SimulatorHandle, get) -> None:
    sim.state.publication.agile_delay = timedelta(hours=2)
    sim.clock.set(datetime(2025, 6, 18, 16, 0, tzinfo=UTC))  # 17:00 BST, publication at 18:00
    _, body = await get(
        f"{AGILE}/standard-unit-rates/", params={"period_from": "2025-06-18T22:00Z"}
    )
    assert body["count"] == 0


@pytest.mark.parametrize(
    ("day", "slots"),
    [("2025-03-30", 46), ("2025-10-26", 50), ("2025-06-18", 48)],
)
async def test_clock_change_days_have_46_or_50_half_hours(
    sim: SimulatorHandle, get, day: str, slots: int
) -> None:
    sim.clock.set(datetime(2025, 11, 1, tzinfo=UTC))
    start = datetime.fromisoformat(f"{day}T00:00")
    _, body = await get(
        f"{AGILE}/standard-unit-rates/",
        params={
            "period_from": f"{day}T00:00",
            "period_to": f"{(start + timedelta(days=1)):%Y-%m-%d}T00:00",
        },
    )
    assert body["count"] == slots


async def test_period_to_needs_period_from_and_datetimes_must_parse(get) -> None:
    status, body = await get(f"{AGILE}/standard-unit-rates/", params={"period_to": "2025-06-01"})
    assert status == 400
    assert "period_to" in body
    status, body = await get(f"{AGILE}/standard-unit-rates/", params={"period_from": "soon"})
    assert (status, body) == (400, {"period_from": ["Enter a valid date/time."]})


async def test_rates_page_at_most_1500_and_follow_next(sim: SimulatorHandle, get) -> None:
    _, body = await get(
        f"{AGILE}/standard-unit-rates/",
        params={"period_from": "2025-01-01T00:00Z", "page_size": "100000"},
    )
    assert len(body["results"]) == 1500
    assert body["next"].startswith(f"{sim.url}{AGILE}/standard-unit-rates/?")
    assert "period_from=2025-01-01T00:00Z" in body["next"]
    assert body["next"].endswith("page=2")
    _, default = await get(f"{AGILE}/standard-unit-rates/")
    assert len(default["results"]) == 100
    assert default["count"] > 10000  # everything since the product launched


async def test_intelligent_go_lists_peak_and_off_peak_segments(get) -> None:
    url = "/v1/products/INTELLI-VAR-24-10-29/electricity-tariffs/E-1R-INTELLI-VAR-24-10-29-H"
    _, body = await get(
        f"{url}/standard-unit-rates/",
        params={"period_from": "2025-06-17T00:00+01:00", "period_to": "2025-06-18T00:00+01:00"},
    )
    rows = sorted(body["results"], key=lambda r: r["valid_from"])
    assert [(r["valid_from"], r["valid_to"]) for r in rows] == [
        ("2025-06-16T22:30:00Z", "2025-06-17T04:30:00Z"),
        ("2025-06-17T04:30:00Z", "2025-06-17T22:30:00Z"),
        ("2025-06-17T22:30:00Z", "2025-06-18T04:30:00Z"),
    ]
    assert rows[0]["value_exc_vat"] < rows[1]["value_exc_vat"] / 2
    assert rows[0]["value_exc_vat"] == rows[2]["value_exc_vat"]


async def test_go_and_cosy_have_their_cheap_windows(get) -> None:
    go = "/v1/products/GO-VAR-22-10-14/electricity-tariffs/E-1R-GO-VAR-22-10-14-C"
    params = {"period_from": "2025-01-15T00:00Z", "period_to": "2025-01-16T00:00Z"}
    _, body = await get(f"{go}/standard-unit-rates/", params=params)
    cheap = min(body["results"], key=lambda r: r["value_exc_vat"])
    assert (cheap["valid_from"], cheap["valid_to"]) == (
        "2025-01-15T00:30:00Z",
        "2025-01-15T04:30:00Z",
    )
    cosy = "/v1/products/COSY-22-12-08/electricity-tariffs/E-1R-COSY-22-12-08-C"
    _, body = await get(f"{cosy}/standard-unit-rates/", params=params)
    rows = sorted(body["results"], key=lambda r: r["valid_from"])
    assert [r["valid_from"][11:16] for r in rows] == [
        "00:00", "04:00", "07:00", "13:00", "16:00", "19:00", "22:00",
    ]  # fmt: skip
    by_start = {r["valid_from"][11:16]: r["value_exc_vat"] for r in rows}
    assert by_start["16:00"] > by_start["00:00"] > by_start["04:00"] == by_start["13:00"]


async def test_variable_prices_change_each_quarter_in_separate_rows(get) -> None:
    url = "/v1/products/VAR-22-11-01/electricity-tariffs/E-1R-VAR-22-11-01-C"
    _, body = await get(
        f"{url}/standard-unit-rates/",
        params={"period_from": "2025-03-01T00:00Z", "period_to": "2025-05-01T00:00Z"},
    )
    assert [(r["valid_from"], r["valid_to"]) for r in body["results"]] == [
        ("2025-03-31T23:00:00Z", "2025-06-30T23:00:00Z"),
        ("2025-01-01T00:00:00Z", "2025-03-31T23:00:00Z"),
    ]
    _, current = await get(f"{url}/standard-unit-rates/", params={"period_from": "2025-06-18"})
    assert current["results"][0]["valid_to"] is None  # the latest price is open-ended
    # 18 June is within a month of 1 July: the next quarter's price is already announced.
    assert current["count"] == 2
    assert current["results"][0]["valid_from"] == "2025-06-30T23:00:00Z"
    assert current["results"][1]["valid_to"] == "2025-06-30T23:00:00Z"
    _, standing = await get(f"{url}/standing-charges/", params={"period_from": "2025-05-18"})
    assert [r["valid_to"] for r in standing["results"]] == [None, "2025-06-30T23:00:00Z"]


async def test_economy_7_has_day_and_night_rates_but_no_standard_rate(get) -> None:
    url = "/v1/products/VAR-22-11-01/electricity-tariffs/E-2R-VAR-22-11-01-L"
    params = {"period_from": "2025-06-18T00:00Z"}
    _, day = await get(f"{url}/day-unit-rates/", params=params)
    _, night = await get(f"{url}/night-unit-rates/", params=params)
    assert day["results"][0]["value_exc_vat"] > night["results"][0]["value_exc_vat"]
    status, _ = await get(f"{url}/standard-unit-rates/", params=params)
    assert status == 404


async def test_fixed_rates_are_one_open_ended_row(get) -> None:
    url = "/v1/products/OE-FIX-12M-24-11-01/electricity-tariffs/E-1R-OE-FIX-12M-24-11-01-C"
    _, body = await get(f"{url}/standard-unit-rates/")
    assert body["count"] == 1
    assert body["results"][0]["valid_from"] == "2024-11-01T00:00:00Z"
    assert body["results"][0]["valid_to"] is None
    _, standing = await get(f"{url}/standing-charges/")
    assert standing["results"][0]["valid_to"] is None


async def test_tracker_publishes_each_day_the_day_before(sim: SimulatorHandle, get) -> None:
    url = "/v1/products/SILVER-24-12-31/gas-tariffs/G-1R-SILVER-24-12-31-C"
    params = {"period_from": "2025-06-17T00:00+01:00"}
    sim.clock.set(datetime(2025, 6, 18, 9, 0, tzinfo=UTC))  # 10:00 BST
    _, morning = await get(f"{url}/standard-unit-rates/", params=params)
    assert morning["count"] == 2  # yesterday and today
    sim.clock.set(datetime(2025, 6, 18, 10, 0, tzinfo=UTC))  # 11:00 BST
    _, later = await get(f"{url}/standard-unit-rates/", params=params)
    assert later["count"] == 3
    assert later["results"][0]["valid_from"] == "2025-06-18T23:00:00Z"
    electricity = "/v1/products/SILVER-24-12-31/electricity-tariffs/E-1R-SILVER-24-12-31-C"
    _, elec = await get(f"{electricity}/standard-unit-rates/", params=params)
    assert elec["results"][0]["value_exc_vat"] > later["results"][0]["value_exc_vat"]


async def test_export_rates_carry_no_vat(get) -> None:
    url = "/v1/products/AGILE-OUTGOING-19-05-13/electricity-tariffs/E-1R-AGILE-OUTGOING-19-05-13-C"
    _, body = await get(f"{url}/standard-unit-rates/", params={"period_from": "2025-06-17"})
    assert all(r["value_inc_vat"] == r["value_exc_vat"] for r in body["results"])
    code = "OUTGOING-FIX-12M-19-05-13"
    fixed = f"/v1/products/{code}/electricity-tariffs/E-1R-{code}-C"
    _, rate = await get(f"{fixed}/standard-unit-rates/")
    assert rate["results"][0]["value_inc_vat"] == rate["results"][0]["value_exc_vat"] > 0
    _, standing = await get(f"{url}/standing-charges/")
    assert standing["results"][0]["value_exc_vat"] == 0


@pytest.mark.parametrize(
    "path",
    [
        "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-Z/standard-unit-rates/",
        "/v1/products/VAR-22-11-01/electricity-tariffs/E-1R-AGILE-24-10-01-C/standard-unit-rates/",
        "/v1/products/AGILE-24-10-01/gas-tariffs/E-1R-AGILE-24-10-01-C/standard-unit-rates/",
        "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C/day-unit-rates/",
        "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C/other-rates/",
        "/v1/products/AGILE-24-10-01/electricity-tariffs/nonsense/standard-unit-rates/",
        "/v1/products/AGILE-24-10-01/electricity-tariffs/G-1R-AGILE-24-10-01-C/standard-unit-rates/",
    ],
)
async def test_unknown_tariffs_and_charge_kinds_are_not_found(get, path: str) -> None:
    assert await get(path) == (404, {"detail": "Not found."})


async def test_rates_before_a_product_launch_are_empty(sim: SimulatorHandle, get) -> None:
    sim.clock.set(datetime(2024, 6, 1, tzinfo=UTC))
    _, body = await get(f"{AGILE}/standard-unit-rates/")
    assert body["count"] == 0


async def test_agile_day_counts_over_a_year(sim: SimulatorHandle, get) -> None:
    rows = await _all(get, f"{AGILE}/standard-unit-rates/", period_from="2025-03-29T00:00Z",
                      period_to="2025-04-01T00:00Z")  # fmt: skip
    days = Counter(r["valid_from"][:10] for r in rows)
    assert sum(days.values()) == 3 * 48
