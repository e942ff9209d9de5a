"""Meter points and consumption: auth, ownership, filters, ordering, grouping, data gaps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import aiohttp
import pytest

from octopus_simulator.scenario import (
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    GAS_METER_SERIAL,
    GAS_MPRN,
    NEIGHBOUR_API_KEY,
    NEIGHBOUR_METER_SERIAL,
    NEIGHBOUR_MPAN,
)
from octopus_simulator.server import SimulatorHandle

IMPORT = (
    f"/v1/electricity-meter-points/{AGILE_IMPORT_MPAN}/meters/{AGILE_METER_SERIAL}/consumption/"
)
EXPORT = (
    f"/v1/electricity-meter-points/{AGILE_EXPORT_MPAN}/meters/{AGILE_METER_SERIAL}/consumption/"
)
GAS = f"/v1/gas-meter-points/{GAS_MPRN}/meters/{GAS_METER_SERIAL}/consumption/"
ROW_KEYS = {"consumption", "interval_start", "interval_end"}


async def test_meter_point_detail_gives_the_gsp(get, auth: aiohttp.BasicAuth) -> None:
    status, body = await get(f"/v1/electricity-meter-points/{AGILE_IMPORT_MPAN}/", auth=auth)
    assert status == 200
    assert body == {"gsp": "_C", "mpan": AGILE_IMPORT_MPAN, "profile_class": 1}
    status, body = await get("/v1/electricity-meter-points/1234567890123/", auth=auth)
    assert (status, body) == (404, {"detail": "Not found."})


@pytest.mark.parametrize("path", [IMPORT, f"/v1/electricity-meter-points/{AGILE_IMPORT_MPAN}/"])
async def test_missing_or_wrong_credentials_are_refused(get, path: str) -> None:
    status, body = await get(path)
    assert (status, body) == (401, {"detail": "Authentication credentials were not provided."})
    status, body = await get(path, auth=aiohttp.BasicAuth("sk_live_wrong", ""))
    assert (status, body) == (401, {"detail": "Invalid API key."})
    status, body = await get(path, headers={"Authorization": "Basic !!!notbase64"})
    assert (status, body) == (401, {"detail": "Invalid API key."})


async def test_consumption_is_complete_up_to_the_previous_local_midnight_newest_first(
    get, auth: aiohttp.BasicAuth
) -> None:
    status, body = await get(IMPORT, auth=auth)
    assert status == 200
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 100
    first = body["results"][0]
    assert set(first) == ROW_KEYS
    assert first["interval_start"] == "2025-06-17T22:30:00Z"  # 23:30 BST, last half hour of 17th
    assert first["interval_end"] == "2025-06-17T23:00:00Z"
    assert isinstance(first["consumption"], float | int)
    assert body["results"][1]["interval_start"] == "2025-06-17T22:00:00Z"


async def test_consumption_filters_orders_and_pages(
    sim: SimulatorHandle, get, auth: aiohttp.BasicAuth
) -> None:
    params = {
        "period_from": "2025-06-10T00:00:00+01:00",
        "period_to": "2025-06-12T00:00:00+01:00",
        "order_by": "period",
        "page_size": "60",
    }
    _, body = await get(IMPORT, auth=auth, params=params)
    assert body["count"] == 96
    assert body["results"][0]["interval_start"] == "2025-06-09T23:00:00Z"
    assert body["next"].startswith(f"{sim.url}{IMPORT}?")
    assert "order_by=period" in body["next"]
    _, second = await get(body["next"], auth=auth)
    assert second["results"][-1]["interval_end"] == "2025-06-11T23:00:00Z"
    status, _ = await get(IMPORT, auth=auth, params={"period_to": "2025-06-12"})
    assert status == 400
    status, body = await get(IMPORT, auth=auth, params={"order_by": "sideways"})
    assert status == 400
    assert "order_by" in body


async def test_consumption_page_size_is_capped_at_25000(get, auth: aiohttp.BasicAuth) -> None:
    _, body = await get(IMPORT, auth=auth, params={"page_size": "99999"})
    assert len(body["results"]) == min(25000, body["count"])
    assert body["count"] > 17000  # a year of half hours and more


async def test_zoneless_datetimes_are_uk_local(get, auth: aiohttp.BasicAuth) -> None:
    _, body = await get(
        IMPORT,
        auth=auth,
        params={"period_from": "2025-06-10T00:00", "period_to": "2025-06-10T01:00"},
    )
    assert [r["interval_start"] for r in body["results"]] == [
        "2025-06-09T23:30:00Z",
        "2025-06-09T23:00:00Z",
    ]


@pytest.mark.parametrize(
    ("group_by", "first_start", "first_end"),
    [
        ("hour", "2025-06-17T22:00:00Z", "2025-06-17T23:00:00Z"),
        ("day", "2025-06-16T23:00:00Z", "2025-06-17T23:00:00Z"),
        ("week", "2025-06-15T23:00:00Z", "2025-06-22T23:00:00Z"),
        ("month", "2025-05-31T23:00:00Z", "2025-06-30T23:00:00Z"),
        ("quarter", "2025-03-31T23:00:00Z", "2025-06-30T23:00:00Z"),
    ],
)
async def test_group_by_sums_over_uk_local_periods(
    get, auth: aiohttp.BasicAuth, group_by: str, first_start: str, first_end: str
) -> None:
    params = {"period_from": "2025-06-16T00:00", "period_to": "2025-06-18T00:00"}
    _, halves = await get(IMPORT, auth=auth, params=params)
    _, grouped = await get(IMPORT, auth=auth, params={**params, "group_by": group_by})
    assert grouped["results"][0]["interval_start"] == first_start
    assert grouped["results"][0]["interval_end"] == first_end
    total = sum(Decimal(str(r["consumption"])) for r in halves["results"])
    assert sum(Decimal(str(r["consumption"])) for r in grouped["results"]) == total
    status, _ = await get(IMPORT, auth=auth, params={"group_by": "fortnight"})
    assert status == 400


async def test_winter_days_group_on_utc_midnight_and_clock_change_days_have_46_slots(
    get, auth: aiohttp.BasicAuth
) -> None:
    _, body = await get(
        IMPORT,
        auth=auth,
        params={"period_from": "2025-03-30T00:00", "period_to": "2025-03-31T00:00"},
    )
    assert body["count"] == 46
    _, day = await get(
        IMPORT,
        auth=auth,
        params={"period_from": "2025-01-10", "period_to": "2025-01-11", "group_by": "day"},
    )
    assert day["results"][0]["interval_start"] == "2025-01-10T00:00:00Z"


async def test_someone_elses_meter_or_a_wrong_serial_is_not_found(
    get, auth: aiohttp.BasicAuth
) -> None:
    point = f"/v1/electricity-meter-points/{NEIGHBOUR_MPAN}"
    neighbour = f"{point}/meters/{NEIGHBOUR_METER_SERIAL}/consumption/"
    assert await get(neighbour, auth=auth) == (404, {"detail": "Not found."})
    _, theirs = await get(neighbour, auth=aiohttp.BasicAuth(NEIGHBOUR_API_KEY, ""))
    assert theirs["count"] > 0
    wrong_serial = f"/v1/electricity-meter-points/{AGILE_IMPORT_MPAN}/meters/NOPE/consumption/"
    assert (await get(wrong_serial, auth=auth))[0] == 404
    unknown = "/v1/gas-meter-points/0000000000/meters/X/consumption/"
    assert (await get(unknown, auth=auth))[0] == 404


async def test_export_is_solar_shaped_and_gas_is_in_cubic_metres(
    get, auth: aiohttp.BasicAuth
) -> None:
    params = {"period_from": "2025-06-17T00:00", "period_to": "2025-06-18T00:00"}
    _, export = await get(EXPORT, auth=auth, params=params)
    by_hour = {r["interval_start"][11:16]: r["consumption"] for r in export["results"]}
    assert by_hour["01:00"] == 0
    assert by_hour["12:00"] > 0
    _, gas = await get(GAS, auth=auth, params={**params, "group_by": "day"})
    assert 0 < gas["results"][0]["consumption"] < 10  # m³ on a June day
    _, winter = await get(
        GAS,
        auth=auth,
        params={"period_from": "2025-01-15", "period_to": "2025-01-16", "group_by": "day"},
    )
    assert winter["results"][0]["consumption"] > gas["results"][0]["consumption"]


async def test_lag_missing_days_and_corrections_are_configurable(
    sim: SimulatorHandle, get, auth: aiohttp.BasicAuth
) -> None:
    sim.state.consumption.lag_days = 1
    _, body = await get(IMPORT, auth=auth, params={"page_size": "1"})
    assert body["results"][0]["interval_end"] == "2025-06-16T23:00:00Z"
    sim.state.consumption.lag_days = 0
    sim.state.consumption.delay = timedelta(hours=3)
    _, body = await get(IMPORT, auth=auth, params={"page_size": "1"})
    assert body["results"][0]["interval_end"] == "2025-06-18T10:00:00Z"
    sim.state.consumption.delay = None
    sim.state.consumption.missing_days.add((AGILE_IMPORT_MPAN, date(2025, 6, 15)))
    sim.state.consumption.missing_days.add(("*", date(2025, 6, 14)))
    params = {"period_from": "2025-06-13", "period_to": "2025-06-17", "group_by": "day"}
    _, days = await get(IMPORT, auth=auth, params=params)
    assert [r["interval_start"][:10] for r in days["results"]] == ["2025-06-15", "2025-06-12"]
    slot = datetime(2025, 6, 16, 12, 0, tzinfo=UTC)
    sim.state.consumption.corrections[AGILE_IMPORT_MPAN, slot] = Decimal("9.999")
    _, corrected = await get(
        IMPORT,
        auth=auth,
        params={"period_from": "2025-06-16T12:00Z", "period_to": "2025-06-16T12:30Z"},
    )
    assert corrected["results"][0]["consumption"] == 9.999


async def test_data_begins_when_the_meter_point_was_supplied(get, auth: aiohttp.BasicAuth) -> None:
    _, body = await get(
        IMPORT, auth=auth, params={"period_from": "2020-01-01", "period_to": "2024-06-02"}
    )
    assert body["count"] == 48
    assert body["results"][-1]["interval_start"] == "2024-05-31T23:00:00Z"
