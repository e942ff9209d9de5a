"""Every answer the reference leaves open can be switched, by scenario field and by ``/_sim/``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from octopus_simulator.choices import NightWindow
from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    CHARGER_DEVICE_ID,
    ESME_DEVICE_ID,
    NEIGHBOUR_API_KEY,
    NEIGHBOUR_MPAN,
    default_scenario,
)
from octopus_simulator.server import SimulatorHandle
from octopus_simulator.switches import SWITCHES, apply_switches

from .conftest import NOW, TOKEN_MUTATION, Gql

TELEMETRY = """query T($deviceId: String!, $start: DateTime, $end: DateTime,
  $grouping: TelemetryGrouping) {
  smartMeterTelemetry(deviceId: $deviceId, start: $start, end: $end, grouping: $grouping) {
    readAt consumptionDelta costDelta } }"""
DEVICES = """query D($accountNumber: String!) {
  devices(accountNumber: $accountNumber) { id status { currentState } } }"""
COMPLETED = """query C($accountNumber: String!) {
  completedDispatches(accountNumber: $accountNumber) { start end } }"""
PREFERENCES = """mutation P($input: SmartFlexDevicePreferencesInput!) {
  setDevicePreferences(input: $input) { id } }"""
AGREEMENTS = """query A($accountNumber: String!) { account(accountNumber: $accountNumber) {
  electricityAgreements(active: true) { tariff { ... on TariffType { tariffCode } }
  meterPoint { mpan } } } }"""
GO = "/v1/products/GO-VAR-22-10-14/electricity-tariffs/E-1R-GO-VAR-22-10-14-C"
FIXED = "/v1/products/OE-FIX-12M-24-11-01/electricity-tariffs/E-1R-OE-FIX-12M-24-11-01-C"
E7 = "/v1/products/VAR-22-11-01/electricity-tariffs/E-2R-VAR-22-11-01-C"
TRACKER = "/v1/products/SILVER-24-12-31/electricity-tariffs/E-1R-SILVER-24-12-31-C"
FLUX_IMPORT = (
    "/v1/products/INTELLI-FLUX-IMPORT-23-07-14/electricity-tariffs/"
    "E-1R-INTELLI-FLUX-IMPORT-23-07-14-C"
)
FLUX_EXPORT = (
    "/v1/products/INTELLI-FLUX-EXPORT-23-07-14/electricity-tariffs/"
    "E-1R-INTELLI-FLUX-EXPORT-23-07-14-C"
)
OUTGOING = "/v1/products/AGILE-OUTGOING-19-05-13/electricity-tariffs/E-1R-AGILE-OUTGOING-19-05-13-C"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def _switch(session: aiohttp.ClientSession, sim: SimulatorHandle, body: dict) -> int:
    async with session.post(f"{sim.url}/_sim/scenario", json=body) as response:
        return response.status


async def _last_valid_to(get, url: str) -> datetime | None:
    _, body = await get(f"{url}/standard-unit-rates/", params={"period_from": "2025-06-17T00:00Z"})
    newest = body["results"][0]
    return _utc(newest["valid_to"]) if newest["valid_to"] else None


async def _token(gql: Gql, key: str) -> str:
    _, body = await gql(TOKEN_MUTATION, {"input": {"APIKey": key}})
    return str(body["data"]["obtainKrakenToken"]["token"])


# --- Telemetry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", SWITCHES["no_home_mini"])
async def test_a_meter_without_a_home_mini_answers_as_switched(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str, answer: str
) -> None:
    assert await _switch(session, sim, {"no_home_mini": answer}) == 200
    assert await _switch(session, sim, {"without_home_mini": [ESME_DEVICE_ID]}) == 200
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
    if answer == "empty":
        assert body == {"data": {"smartMeterTelemetry": []}}
    elif answer == "null":
        assert body == {"data": {"smartMeterTelemetry": None}}
    else:
        assert body["data"]["smartMeterTelemetry"] is None
        assert body["errors"][0]["extensions"]["errorCode"] == answer


async def test_the_default_for_a_meter_without_a_home_mini_is_no_han_record(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    sim.state.telemetry_unavailable.add(ESME_DEVICE_ID)
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
    assert body["errors"][0]["extensions"]["errorCode"] == "KT-GB-4056"


async def test_a_stale_home_mini_keeps_answering_its_last_reading(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str
) -> None:
    went_quiet = NOW - timedelta(hours=5)
    spell = {"device": ESME_DEVICE_ID, "from": went_quiet.isoformat(), "mode": "stale"}
    assert await _switch(session, sim, {"home_mini_quiet": [spell]}) == 200
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
    (reading,) = body["data"]["smartMeterTelemetry"]
    assert NOW - _utc(reading["readAt"]) > timedelta(hours=5)


async def test_a_home_mini_silent_for_a_while_answers_empty_then_comes_back(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str
) -> None:
    spell = {
        "device": ESME_DEVICE_ID,
        "from": (NOW - timedelta(hours=1)).isoformat(),
        "until": (NOW + timedelta(hours=2)).isoformat(),
        "mode": "empty",
    }
    assert await _switch(session, sim, {"home_mini_quiet": [spell]}) == 200
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
    assert body["data"]["smartMeterTelemetry"] == []
    ranged = {
        "deviceId": ESME_DEVICE_ID,
        "start": (NOW - timedelta(hours=2)).isoformat(),
        "end": NOW.isoformat(),
        "grouping": "HALF_HOURLY",
    }
    _, body = await gql(TELEMETRY, ranged, token)
    starts = [_utc(r["readAt"]) for r in body["data"]["smartMeterTelemetry"]]
    assert starts == [NOW - timedelta(hours=2), NOW - timedelta(hours=1, minutes=30)]
    sim.clock.set(NOW + timedelta(hours=3))
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, await _token(gql, sim.api_key))
    (reading,) = body["data"]["smartMeterTelemetry"]
    assert NOW + timedelta(hours=3) - _utc(reading["readAt"]) < timedelta(minutes=1)


# --- Publication -------------------------------------------------------------------------------

MIDNIGHT_TONIGHT = datetime(2025, 6, 18, 23, 0, tzinfo=UTC)  # 00:00 BST on the 19th
MIDNIGHT_TOMORROW = MIDNIGHT_TONIGHT + timedelta(days=1)


@pytest.mark.parametrize(
    ("mode", "before", "after"),
    [
        ("through_tomorrow", MIDNIGHT_TOMORROW, MIDNIGHT_TOMORROW),
        ("today_then_tomorrow", MIDNIGHT_TONIGHT, MIDNIGHT_TOMORROW),
        ("today_only", MIDNIGHT_TONIGHT, MIDNIGHT_TONIGHT),
    ],
)
@pytest.mark.parametrize(
    ("family", "url"), [("go", GO), ("fixed", FIXED), ("flux", FLUX_IMPORT), ("variable", None)]
)
async def test_non_agile_rates_are_listed_as_far_ahead_as_switched(
    sim: SimulatorHandle,
    session: aiohttp.ClientSession,
    get,
    family: str,
    url: str | None,
    mode: str,
    before: datetime,
    after: datetime,
) -> None:
    url = url or "/v1/products/VAR-22-11-01/electricity-tariffs/E-1R-VAR-22-11-01-C"
    body = {"ahead": {family: mode}, "ahead_time": "17:00"}
    assert await _switch(session, sim, body) == 200
    assert await _last_valid_to(get, url) == before  # 14:00 UK
    sim.clock.set(datetime(2025, 6, 18, 16, 0, tzinfo=UTC))  # 17:00 UK
    assert await _last_valid_to(get, url) == after


async def test_by_default_fixed_rates_are_open_ended_and_go_runs_through_tomorrow(get) -> None:
    assert await _last_valid_to(get, FIXED) is None
    assert await _last_valid_to(get, GO) == MIDNIGHT_TOMORROW


async def test_economy_7_day_and_night_rates_follow_their_own_switch(
    sim: SimulatorHandle, get
) -> None:
    apply_switches(sim.state, {"ahead": {"economy7": "today_only"}})
    for register in ("day", "night"):
        _, body = await get(f"{E7}/{register}-unit-rates/")
        assert _utc(body["results"][0]["valid_to"]) == MIDNIGHT_TONIGHT
    assert await _last_valid_to(get, E7.replace("E-2R", "E-1R")) is None  # single rate: default


async def test_time_of_use_rates_cannot_be_switched_to_open_ended(
    sim: SimulatorHandle, session: aiohttp.ClientSession
) -> None:
    assert await _switch(session, sim, {"ahead": {"go": "open_ended"}}) == 400
    assert await _switch(session, sim, {"ahead": {"agile": "today_only"}}) == 400


@pytest.mark.parametrize(
    ("published_at", "unpublished"), [("11:00", []), ("15:00", ["2025-06-18"])]
)
async def test_trackers_publication_time_and_days_without_one_are_switches(
    sim: SimulatorHandle,
    session: aiohttp.ClientSession,
    get,
    published_at: str,
    unpublished: list[str],
) -> None:
    body = {"tracker_time": published_at, "tracker_unpublished": unpublished}
    assert await _switch(session, sim, body) == 200
    sim.clock.set(datetime(2025, 6, 18, 13, 30, tzinfo=UTC))  # 14:30 UK
    expected = MIDNIGHT_TONIGHT if unpublished else MIDNIGHT_TOMORROW
    assert await _last_valid_to(get, TRACKER) == expected
    sim.clock.set(datetime(2025, 6, 18, 14, 30, tzinfo=UTC))  # 15:30 UK
    assert await _last_valid_to(get, TRACKER) == expected
    sim.clock.set(datetime(2025, 6, 19, 10, 30, tzinfo=UTC))  # next day, 11:30 UK
    assert await _last_valid_to(get, TRACKER) == (
        MIDNIGHT_TOMORROW if published_at == "15:00" else MIDNIGHT_TOMORROW + timedelta(days=1)
    )


async def test_a_late_tracker_publication_time_holds_tomorrow_back(
    sim: SimulatorHandle, get
) -> None:
    apply_switches(sim.state, {"tracker_time": "15:00"})
    assert await _last_valid_to(get, TRACKER) == MIDNIGHT_TONIGHT  # 14:00 UK
    sim.clock.set(datetime(2025, 6, 18, 14, 0, tzinfo=UTC))  # 15:00 UK
    assert await _last_valid_to(get, TRACKER) == MIDNIGHT_TOMORROW


@pytest.mark.parametrize("listed", SWITCHES["export_standing_charges"])
async def test_export_tariffs_may_list_no_standing_charges_at_all(
    sim: SimulatorHandle, session: aiohttp.ClientSession, get, gql: Gql, token: str, listed: bool
) -> None:
    assert await _switch(session, sim, {"export_standing_charges": listed}) == 200
    _, body = await get(f"{OUTGOING}/standing-charges/")
    assert (body["count"] > 0) is listed
    _, imported = await get(
        "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C/standing-charges/"
    )
    assert imported["count"] > 0  # import tariffs keep theirs
    query = """query S($n: String!) { account(accountNumber: $n) { electricityAgreements(
      active: true) { tariff { ... on TariffType { tariffCode standingCharge } } } } }"""
    _, body = await gql(query, {"n": ACCOUNT_AGILE}, token)
    export = next(
        a["tariff"]
        for a in body["data"]["account"]["electricityAgreements"]
        if "OUTGOING" in a["tariff"]["tariffCode"]
    )
    assert (export["standingCharge"] is not None) is listed


# --- Products and meter points -----------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 401])
async def test_a_restricted_product_answers_only_to_its_customers_key(
    sim: SimulatorHandle, session: aiohttp.ClientSession, get, status: int
) -> None:
    assert await _switch(session, sim, {"restricted_products": {"AGILE-24-10-01": status}}) == 200
    detail = "/v1/products/AGILE-24-10-01/"
    rates = "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C/"
    for path in (detail, f"{rates}standard-unit-rates/", f"{rates}standing-charges/"):
        assert (await get(path))[0] == status
        neighbour = aiohttp.BasicAuth(NEIGHBOUR_API_KEY, "")
        assert (await get(path, auth=neighbour))[0] == status
        assert (await get(path, auth=aiohttp.BasicAuth(sim.api_key, "")))[0] == 200
    _, listing = await get("/v1/products/")
    assert "AGILE-24-10-01" not in {p["code"] for p in listing["results"]}
    assert (await get("/v1/products/GO-VAR-22-10-14/"))[0] == 200  # others stay public


@pytest.mark.parametrize("rule", SWITCHES["meter_point_auth"])
async def test_the_meter_point_endpoint_needs_the_authentication_switched(
    sim: SimulatorHandle, session: aiohttp.ClientSession, get, rule: str
) -> None:
    assert await _switch(session, sim, {"meter_point_auth": rule}) == 200
    path = f"/v1/electricity-meter-points/{AGILE_IMPORT_MPAN}/"
    own = aiohttp.BasicAuth(sim.api_key, "")
    neighbour = aiohttp.BasicAuth(NEIGHBOUR_API_KEY, "")
    assert (await get(path, auth=own))[0] == 200
    assert (await get(path))[0] == (200 if rule == "public" else 401)
    assert (await get(path, auth=neighbour))[0] == (404 if rule == "owner_only" else 200)
    assert (await get(f"/v1/electricity-meter-points/{NEIGHBOUR_MPAN}/", auth=neighbour))[0] == 200


# --- Economy 7 and Intelligent Octopus Flux ----------------------------------------------------


def test_night_windows_in_utc_and_uk_time_differ_in_summer() -> None:
    summer_0700_utc = datetime(2025, 6, 18, 7, 0, tzinfo=UTC)  # 08:00 BST
    assert NightWindow().is_night(summer_0700_utc)
    assert not NightWindow(zone="Europe/London").is_night(summer_0700_utc)
    over_midnight = NightWindow(time(23), time(6))
    assert over_midnight.is_night(datetime(2025, 6, 18, 23, 30, tzinfo=UTC))
    assert not over_midnight.is_night(datetime(2025, 6, 18, 6, 0, tzinfo=UTC))


@pytest.mark.parametrize("window", SWITCHES["economy7_night"])
async def test_economy_7_telemetry_costs_follow_the_switched_night_window(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str, get, window: dict
) -> None:
    _, _, point = sim.state.electricity_point(AGILE_IMPORT_MPAN)
    point.agreements[-1].tariff_code = "E-2R-VAR-22-11-01-C"
    assert (
        await _switch(session, sim, {"economy7_night": {**window, "mpan": AGILE_IMPORT_MPAN}})
        == 200
    )
    period = {"period_from": "2025-06-18T00:00Z", "period_to": "2025-06-18T10:00Z"}
    _, day = await get(f"{E7}/day-unit-rates/", params=period)
    _, night = await get(f"{E7}/night-unit-rates/", params=period)
    assert day["count"] == night["count"] == 1
    day_rate = Decimal(str(day["results"][0]["value_exc_vat"]))
    night_rate = Decimal(str(night["results"][0]["value_exc_vat"]))
    variables = {
        "deviceId": ESME_DEVICE_ID,
        "start": "2025-06-18T00:00:00+00:00",
        "end": "2025-06-18T10:00:00+00:00",
        "grouping": "HALF_HOURLY",
    }
    _, body = await gql(TELEMETRY, variables, token)
    expected = NightWindow(
        time.fromisoformat(window["start"]), time.fromisoformat(window["end"]), window["zone"]
    )
    for row in body["data"]["smartMeterTelemetry"]:
        rate = night_rate if expected.is_night(_utc(row["readAt"])) else day_rate
        kwh = Decimal(row["consumptionDelta"]) / 1000
        assert Decimal(row["costDelta"]) == (kwh * rate).quantize(Decimal("0.01"))


async def test_intelligent_flux_has_its_own_three_band_import_and_export_rates(get) -> None:
    params = {"period_from": "2025-06-17T23:00Z", "period_to": "2025-06-18T23:00Z"}
    _, imported = await get(f"{FLUX_IMPORT}/standard-unit-rates/", params=params)
    _, exported = await get(f"{FLUX_EXPORT}/standard-unit-rates/", params=params)
    import_starts = sorted(_utc(r["valid_from"]) for r in imported["results"])
    assert [s.hour for s in import_starts] == [18, 1, 4, 15, 18]  # 19:00 the day before, then
    # 02:00, 05:00, 16:00 and 19:00 BST
    assert len({r["value_inc_vat"] for r in imported["results"]}) == 3
    assert {r["valid_from"] for r in exported["results"]} == {
        r["valid_from"] for r in imported["results"]
    }
    assert all(r["value_exc_vat"] == r["value_inc_vat"] for r in exported["results"])  # no VAT
    assert all(r["value_exc_vat"] != r["value_inc_vat"] for r in imported["results"])
    _, go = await get(
        "/v1/products/INTELLI-VAR-24-10-29/electricity-tariffs/E-1R-INTELLI-VAR-24-10-29-C/"
        "standard-unit-rates/",
        params=params,
    )
    assert {r["value_inc_vat"] for r in go["results"]}.isdisjoint(
        {r["value_inc_vat"] for r in imported["results"]}
    )


async def test_a_meter_can_be_switched_onto_intelligent_flux(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str
) -> None:
    start = "2025-06-17T23:00:00Z"
    for mpan, code in (
        (AGILE_IMPORT_MPAN, "E-1R-INTELLI-FLUX-IMPORT-23-07-14-C"),
        (AGILE_EXPORT_MPAN, "E-1R-INTELLI-FLUX-EXPORT-23-07-14-C"),
    ):
        body = {"tariff": {"meter": mpan, "tariff_code": code, "from": start}}
        assert await _switch(session, sim, body) == 200
    _, body = await gql(AGREEMENTS, {"accountNumber": ACCOUNT_AGILE}, token)
    codes = {
        a["meterPoint"]["mpan"]: a["tariff"]["tariffCode"]
        for a in body["data"]["account"]["electricityAgreements"]
    }
    assert codes == {
        AGILE_IMPORT_MPAN: "E-1R-INTELLI-FLUX-IMPORT-23-07-14-C",
        AGILE_EXPORT_MPAN: "E-1R-INTELLI-FLUX-EXPORT-23-07-14-C",
    }
    bad = {"tariff": {"meter": AGILE_IMPORT_MPAN, "tariff_code": "E-1R-NOPE-C", "from": start}}
    assert await _switch(session, sim, bad) == 400


# --- SmartFlex ---------------------------------------------------------------------------------


async def _state(gql: Gql, token: str) -> str:
    _, body = await gql(DEVICES, {"accountNumber": ACCOUNT_AGILE}, token)
    (device,) = body["data"]["devices"]
    return str(device["status"]["currentState"])


@pytest.mark.parametrize("state", SWITCHES["unplugged_state"])
async def test_an_unplugged_device_reports_the_switched_state(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str, state: str
) -> None:
    assert await _switch(session, sim, {"unplugged_state": state}) == 200
    sim.state.device(CHARGER_DEVICE_ID)[1].connected = False
    assert await _state(gql, token) == state


@pytest.mark.parametrize("state", SWITCHES["no_plan_state"])
async def test_a_plugged_in_device_without_a_plan_reports_the_switched_state(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str, state: str
) -> None:
    assert (
        await _switch(session, sim, {"no_plan_state": state, "unplugged_state": "SETUP_COMPLETE"})
        == 200
    )
    # Plugged in since yesterday evening: tonight's plan is done by 14:00 the next day.
    sim.state.device(CHARGER_DEVICE_ID)[1].connected = True
    assert await _state(gql, token) == state


@pytest.mark.parametrize("minutes", SWITCHES["completed_dispatch_lag_minutes"])
async def test_completed_dispatches_appear_after_the_switched_lag(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str, minutes: int
) -> None:
    assert await _switch(session, sim, {"completed_dispatch_lag_minutes": minutes}) == 200
    _, body = await gql(COMPLETED, {"accountNumber": ACCOUNT_AGILE}, token)
    ends = [_utc(d["end"]) for d in body["data"]["completedDispatches"]]
    assert ends
    assert max(ends) <= NOW - timedelta(minutes=minutes)
    assert max(ends) > NOW - timedelta(minutes=minutes) - timedelta(days=1)


async def test_completed_dispatches_are_kept_for_the_switched_retention(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str
) -> None:
    assert await _switch(session, sim, {"completed_dispatch_retention_days": 2}) == 200
    _, body = await gql(COMPLETED, {"accountNumber": ACCOUNT_AGILE}, token)
    starts = [_utc(d["start"]) for d in body["data"]["completedDispatches"]]
    assert starts
    assert min(starts) >= NOW - timedelta(days=3)


def _preferences(target: int) -> dict[str, Any]:
    return {
        "input": {
            "deviceId": CHARGER_DEVICE_ID,
            "mode": "CHARGE",
            "unit": "PERCENTAGE",
            "schedules": [{"dayOfWeek": "MONDAY", "time": "07:00", "max": str(target)}],
        }
    }


async def test_a_lost_502_answer_still_changes_the_device(
    sim: SimulatorHandle, session: aiohttp.ClientSession, token: str
) -> None:
    sim.faults.inject("lost_502", operation="setDevicePreferences")
    payload = {"query": PREFERENCES, "variables": _preferences(90)}
    headers = {"Authorization": token}
    async with session.post(f"{sim.url}/v1/graphql/", json=payload, headers=headers) as response:
        assert response.status == 502
    assert sim.state.device(CHARGER_DEVICE_ID)[1].schedule_for("MONDAY").max == Decimal(90)


@pytest.mark.parametrize("lost", ["timeout", "502"])
async def test_every_mutation_can_lose_its_answer_after_taking_effect(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str, lost: str
) -> None:
    assert await _switch(session, sim, {"mutation_answer_lost": lost}) == 200
    sim.faults.timeout_seconds = 0.5
    assert await _token(gql, sim.api_key)  # the token mutation is not a device mutation
    payload = {"query": PREFERENCES, "variables": _preferences(60)}
    headers = {"Authorization": token}
    if lost == "timeout":
        with pytest.raises(TimeoutError):
            async with session.post(
                f"{sim.url}/v1/graphql/",
                json=payload,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=0.2),
            ) as response:
                await response.read()
    else:
        async with session.post(f"{sim.url}/v1/graphql/", json=payload, headers=headers) as r:
            assert r.status == 502
    assert sim.state.device(CHARGER_DEVICE_ID)[1].schedule_for("MONDAY").max == Decimal(60)
    assert await _switch(session, sim, {"mutation_answer_lost": None}) == 200
    _, body = await gql(PREFERENCES, _preferences(70), token)
    assert body["data"]["setDevicePreferences"]["id"] == CHARGER_DEVICE_ID


async def test_the_expired_token_code_is_a_switch(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql, token: str
) -> None:
    assert await _switch(session, sim, {"expired_token_code": "KT-CT-1124"}) == 200
    sim.clock.set(NOW + timedelta(hours=2))
    _, body = await gql(DEVICES, {"accountNumber": ACCOUNT_AGILE}, token)
    assert body["errors"][0]["extensions"]["errorCode"] == "KT-CT-1124"


# --- The catalogue of switches -----------------------------------------------------------------


def _body_for(name: str, value: Any) -> dict[str, Any]:
    if name == "home_mini_quiet":
        return {name: [{"device": ESME_DEVICE_ID, "from": NOW.isoformat(), "mode": value}]}
    if name == "ahead":
        family = "fixed" if value == "open_ended" else "go"
        return {name: {family: value}}
    if name == "tracker_unpublished":
        return {name: [NOW.date().isoformat()] if value else []}
    if name == "restricted_products":
        return {name: {} if value is None else {"AGILE-24-10-01": value}}
    return {name: value}


@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, values in SWITCHES.items() for value in values]
)
def test_every_listed_switch_value_applies_to_a_scenario(name: str, value: Any) -> None:
    scenario = default_scenario()
    apply_switches(scenario, _body_for(name, value))


def test_a_scenario_without_switches_keeps_the_long_standing_defaults() -> None:
    scenario = default_scenario()
    choices = scenario.choices
    assert choices.no_home_mini.value == "KT-GB-4056"
    assert choices.unplugged_state == choices.no_plan_state == "SMART_CONTROL_CAPABLE"
    assert choices.economy7_night == NightWindow(time(0, 30), time(7, 30), "UTC")
    assert scenario.publication.ahead == {}
    assert scenario.publication.export_standing_charges
    assert scenario.dispatch.completed_lag == timedelta(hours=12)
    assert choices.mutation_answer_lost is None
    assert date(2025, 6, 18) not in scenario.publication.tracker_unpublished
