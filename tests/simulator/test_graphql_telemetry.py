"""Home Mini telemetry: latest reading, grouped ranges, errors and the rate limit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import aiohttp
import pytest

from octopus_simulator.scenario import (
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    ESME_DEVICE_ID,
    GSME_DEVICE_ID,
    NEIGHBOUR_API_KEY,
)
from octopus_simulator.server import SimulatorHandle

from .conftest import NOW, TOKEN_MUTATION, Gql

TELEMETRY = """
query Telemetry(
  $deviceId: String!, $start: DateTime, $end: DateTime, $grouping: TelemetryGrouping
) {
  smartMeterTelemetry(deviceId: $deviceId, start: $start, end: $end, grouping: $grouping) {
    readAt consumption consumptionDelta demand export costDelta costDeltaWithTax
  }
}
"""
FIELDS = {
    "readAt", "consumption", "consumptionDelta", "demand", "export", "costDelta",
    "costDeltaWithTax",
}  # fmt: skip


def _code(body: dict) -> str:
    return str(body["errors"][0]["extensions"]["errorCode"])


async def test_without_a_range_the_latest_reading_comes_back(gql: Gql, token: str) -> None:
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
    (reading,) = body["data"]["smartMeterTelemetry"]
    assert set(reading) == FIELDS
    assert reading["readAt"] == (NOW - timedelta(seconds=20)).isoformat()
    assert Decimal(reading["consumption"]) > 12_345_678
    assert Decimal(reading["demand"]) > 0
    assert Decimal(reading["export"]) > 0  # the property exports through the same meter


async def test_half_hourly_groups_match_the_meters_half_hours(
    sim: SimulatorHandle, gql: Gql, token: str, get, session: aiohttp.ClientSession
) -> None:
    variables = {
        "deviceId": ESME_DEVICE_ID,
        "start": "2025-06-18T08:00:00+00:00",
        "end": "2025-06-18T10:00:00+00:00",
        "grouping": "HALF_HOURLY",
    }
    _, body = await gql(TELEMETRY, variables, token)
    readings = body["data"]["smartMeterTelemetry"]
    assert [r["readAt"] for r in readings] == [
        "2025-06-18T08:00:00+00:00", "2025-06-18T08:30:00+00:00",
        "2025-06-18T09:00:00+00:00", "2025-06-18T09:30:00+00:00",
    ]  # fmt: skip
    sim.state.consumption.delay = timedelta(0)  # let REST show today's half hours too
    path = (
        f"/v1/electricity-meter-points/{AGILE_IMPORT_MPAN}/meters/{AGILE_METER_SERIAL}/consumption/"
    )
    _, rest = await get(
        path,
        auth=aiohttp.BasicAuth(sim.api_key, ""),
        params={
            "period_from": "2025-06-18T08:00Z",
            "period_to": "2025-06-18T10:00Z",
            "order_by": "period",
        },
    )
    for reading, row in zip(readings, rest["results"], strict=True):
        assert Decimal(reading["consumptionDelta"]) == Decimal(str(row["consumption"])) * 1000
        assert Decimal(reading["demand"]) == Decimal(reading["consumptionDelta"]) * 2
        assert Decimal(reading["costDeltaWithTax"]) >= Decimal(reading["costDelta"]) or (
            Decimal(reading["costDelta"]) < 0
        )
    registers = [Decimal(r["consumption"]) for r in readings]
    assert registers == sorted(registers)


async def test_ten_second_groups_stop_at_now(gql: Gql, token: str) -> None:
    variables = {
        "deviceId": ESME_DEVICE_ID,
        "start": (NOW - timedelta(minutes=1)).isoformat(),
        "end": (NOW + timedelta(minutes=5)).isoformat(),
        "grouping": "TEN_SECONDS",
    }
    _, body = await gql(TELEMETRY, variables, token)
    assert len(body["data"]["smartMeterTelemetry"]) == 6


async def test_zoneless_times_are_utc(gql: Gql, token: str) -> None:
    variables = {
        "deviceId": ESME_DEVICE_ID,
        "start": "2025-06-18T08:00:00",
        "end": "2025-06-18T09:00:00",
        "grouping": "ONE_HOUR",
    }
    _, body = await gql(TELEMETRY, variables, token)
    assert body["data"]["smartMeterTelemetry"][0]["readAt"] == "2025-06-18T08:00:00+00:00"


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"start": "2025-06-18T08:00:00Z"}, "KT-GB-4040"),
        (
            {
                "start": "2025-06-18T09:00:00Z",
                "end": "2025-06-18T08:00:00Z",
                "grouping": "ONE_MINUTE",
            },
            "KT-GB-4041",
        ),
        (
            {
                "start": "2025-04-01T00:00:00Z",
                "end": "2025-04-01T01:00:00Z",
                "grouping": "ONE_HOUR",
            },
            "KT-GB-4051",
        ),
        (
            {"start": "yesterday", "end": "2025-04-01T01:00:00Z", "grouping": "ONE_HOUR"},
            "KT-GB-4039",
        ),
        ({"deviceId": "FF-FF-FF-FF-FF-FF-FF-FF"}, "KT-GB-4050"),
        ({"deviceId": GSME_DEVICE_ID}, "KT-GB-4050"),
    ],
)
async def test_telemetry_errors(gql: Gql, token: str, variables: dict, code: str) -> None:
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID, **variables}, token)
    assert body["data"]["smartMeterTelemetry"] is None
    assert _code(body) == code


async def test_no_han_record_and_someone_elses_meter(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    _, neighbour = await gql(TOKEN_MUTATION, {"input": {"APIKey": NEIGHBOUR_API_KEY}})
    other = neighbour["data"]["obtainKrakenToken"]["token"]
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, other)
    assert _code(body) == "KT-GB-4050"
    sim.state.telemetry_unavailable.add(ESME_DEVICE_ID)
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
    assert _code(body) == "KT-GB-4056"


async def test_telemetry_is_limited_per_hour(sim: SimulatorHandle, gql: Gql, token: str) -> None:
    sim.state.rate_limits["smartMeterTelemetry"] = (2, timedelta(hours=1))
    for _ in range(2):
        _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
        assert "errors" not in body
    _, limited = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
    assert _code(limited) == "KT-CT-1199"


async def test_a_meter_without_history_reads_its_base_register(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    _, _, point = sim.state.electricity_point(AGILE_IMPORT_MPAN)
    point.data_from = NOW + timedelta(days=1)
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
    assert body["data"]["smartMeterTelemetry"][0]["consumption"] == "12345678.00"


@pytest.mark.parametrize("code", ["E-1R-UNKNOWN-1-C"])
async def test_cost_is_zero_where_no_tariff_applies(
    sim: SimulatorHandle, gql: Gql, token: str, code: str
) -> None:
    _, _, point = sim.state.electricity_point(AGILE_IMPORT_MPAN)
    point.agreements[-1].tariff_code = code
    _, body = await gql(TELEMETRY, {"deviceId": ESME_DEVICE_ID}, token)
    assert body["data"]["smartMeterTelemetry"][0]["costDelta"] == "0.00"
