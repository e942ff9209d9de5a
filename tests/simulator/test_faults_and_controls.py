"""Fault injection, the request log and the ``/_sim/`` control endpoints."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from octopus_simulator.faults import FaultInjector, FaultKind
from octopus_simulator.scenario import AGILE_IMPORT_MPAN, AGILE_METER_SERIAL, CHARGER_DEVICE_ID
from octopus_simulator.server import SimulatorHandle

from .conftest import NOW, TOKEN_MUTATION, Gql

PRODUCTS = "/v1/products/"
VIEWER = "query Viewer { viewer { id } }"
CONSUMPTION = (
    f"/v1/electricity-meter-points/{AGILE_IMPORT_MPAN}/meters/{AGILE_METER_SERIAL}/consumption/"
)


async def test_server_error_is_a_503_with_an_html_body_for_count_requests(
    sim: SimulatorHandle, session: aiohttp.ClientSession
) -> None:
    sim.faults.inject("server_error", count=2, path_contains="/products/")
    for _ in range(2):
        async with session.get(f"{sim.url}{PRODUCTS}") as response:
            assert response.status == 503
            assert response.content_type == "text/html"
            assert "503" in await response.text()
    async with session.get(f"{sim.url}{PRODUCTS}") as response:
        assert response.status == 200
    assert [entry.fault for entry in sim.request_log] == ["server_error", "server_error", None]


async def test_a_path_filter_leaves_other_paths_alone(
    sim: SimulatorHandle, session: aiohttp.ClientSession
) -> None:
    sim.faults.inject(FaultKind.SERVER_ERROR, path_contains="/consumption/")
    async with session.get(f"{sim.url}{PRODUCTS}") as response:
        assert response.status == 200
    assert len(sim.faults.pending) == 1


async def test_not_found_is_a_404_even_with_the_customers_key(
    sim: SimulatorHandle, session: aiohttp.ClientSession
) -> None:
    sim.faults.inject("not_found", path_contains="/products/")
    auth = aiohttp.BasicAuth(sim.api_key, "")
    async with session.get(f"{sim.url}{PRODUCTS}", auth=auth) as response:
        assert response.status == 404
        assert await response.json() == {"detail": "Not found."}
    async with session.get(f"{sim.url}{PRODUCTS}", auth=auth) as response:
        assert response.status == 200


async def test_rate_limit_is_a_429_with_retry_after(
    sim: SimulatorHandle, session: aiohttp.ClientSession
) -> None:
    sim.faults.inject("rate_limit", retry_after=120)
    async with session.get(f"{sim.url}{PRODUCTS}") as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "120"
        assert "120 seconds" in (await response.json())["detail"]
    sim.faults.inject("rate_limit")
    async with session.get(f"{sim.url}{PRODUCTS}") as response:
        assert response.headers["Retry-After"] == "60"


async def test_timeout_answers_only_after_the_client_gave_up(
    sim: SimulatorHandle, session: aiohttp.ClientSession
) -> None:
    sim.faults.inject("timeout", delay=2.0)
    with pytest.raises(TimeoutError):
        async with session.get(
            f"{sim.url}{PRODUCTS}", timeout=aiohttp.ClientTimeout(total=0.2)
        ) as response:
            await response.read()
    sim.faults.inject("timeout", delay=0.05)
    async with session.get(f"{sim.url}{PRODUCTS}") as response:
        assert response.status == 200  # a slow answer is still an answer


async def test_malformed_json_is_a_200_with_a_truncated_body(
    sim: SimulatorHandle, session: aiohttp.ClientSession, gql: Gql
) -> None:
    sim.faults.inject("malformed_json", path_contains="/products/")
    async with session.get(f"{sim.url}{PRODUCTS}") as response:
        assert response.status == 200
        with pytest.raises(ValueError):
            await response.json()
    sim.faults.inject("malformed_json", operation="ObtainKrakenToken")
    async with session.post(
        f"{sim.url}/v1/graphql/",
        json={"query": TOKEN_MUTATION, "variables": {"input": {"APIKey": "x"}}},
    ) as response:
        text = await response.text()
        assert text.startswith('{"data"')
        with pytest.raises(ValueError):
            await response.json()


async def test_auth_error_on_rest_is_a_401(
    sim: SimulatorHandle, session: aiohttp.ClientSession, auth: aiohttp.BasicAuth
) -> None:
    sim.faults.inject("auth_error", path_contains="/consumption/")
    async with session.get(f"{sim.url}{CONSUMPTION}", auth=auth) as response:
        assert response.status == 401
        assert await response.json() == {"detail": "Invalid API key."}


async def test_graphql_faults_use_kraken_error_codes(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    sim.faults.inject("graphql_rate_limit")
    _, body = await gql(VIEWER, token=token)
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["errorCode"] == "KT-CT-1199"
    assert error["extensions"]["errorType"] == "AUTHORIZATION"
    assert error["path"] == ["viewer"]
    assert error["locations"] == [{"line": 1, "column": 16}]
    sim.faults.inject("auth_error", operation="ObtainKrakenToken")
    _, refused = await gql(TOKEN_MUTATION, {"input": {"APIKey": sim.api_key}})
    assert refused["errors"][0]["extensions"]["errorCode"] == "KT-CT-1139"
    sim.faults.inject("auth_error")
    _, unauthorised = await gql(VIEWER, token=token)
    assert unauthorised["errors"][0]["extensions"]["errorCode"] == "KT-CT-1111"
    sim.faults.inject("server_error", path_contains="/graphql/")
    status, _ = await gql_status(sim, VIEWER, token)
    assert status == 503


async def gql_status(sim: SimulatorHandle, query: str, token: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{sim.url}/v1/graphql/", json={"query": query}, headers={"Authorization": token}
        ) as response,
    ):
        return response.status, await response.text()


async def test_expired_token_fault_expires_the_presented_token(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    sim.faults.inject("expired_token")
    _, body = await gql(VIEWER, token=token)
    assert body["errors"][0]["extensions"]["errorCode"] == "KT-CT-1120"
    _, still = await gql(VIEWER, token=token)
    assert still["errors"][0]["extensions"]["errorCode"] == "KT-CT-1120"
    _, fresh = await gql(TOKEN_MUTATION, {"input": {"APIKey": sim.api_key}})
    assert "errors" not in fresh  # no Authorization header: the fault has nothing to expire


async def test_graphql_only_faults_skip_rest_requests(
    sim: SimulatorHandle, session: aiohttp.ClientSession
) -> None:
    sim.faults.inject("graphql_rate_limit")
    async with session.get(f"{sim.url}{PRODUCTS}") as response:
        assert response.status == 200
    assert sim.faults.pending[0].remaining == 1


async def test_request_log_counts_paths_and_operations(
    sim: SimulatorHandle, gql: Gql, get, token: str
) -> None:
    sim.reset_log()
    await get(PRODUCTS)
    await get("/v1/products/NOPE/")
    await gql(VIEWER, token=token)
    await gql(
        'query Combined { viewer { id } devices(accountNumber: "A-1234ABCD") { id } }', token=token
    )
    assert sim.count() == 4
    assert sim.count(path_contains="/products/") == 2
    assert sim.count(operation="Viewer") == 1
    assert sim.count(operation="devices") == 1
    assert sim.count(operation="viewer") == 2
    entry = sim.request_log[1]
    assert (entry.method, entry.status, entry.at) == ("GET", 404, NOW)
    assert sim.request_log[2].operation_name == "Viewer"
    assert sim.request_log[3].fields == ("viewer", "devices")


async def test_control_clock(sim: SimulatorHandle, session: aiohttp.ClientSession) -> None:
    async with session.get(f"{sim.url}/_sim/clock") as response:
        assert (await response.json())["now"] == NOW.isoformat()
    async with session.post(f"{sim.url}/_sim/clock", json={"advance": 90}) as response:
        assert (await response.json())["now"] == (NOW + timedelta(seconds=90)).isoformat()
    async with session.post(
        f"{sim.url}/_sim/clock", json={"set": "2025-01-01T12:00:00Z"}
    ) as response:
        body = await response.json()
        assert body == {"now": "2025-01-01T12:00:00+00:00", "mode": "fixed", "offset_seconds": 0.0}
    async with session.post(
        f"{sim.url}/_sim/clock", json={"follow": True, "offset": 60}
    ) as response:
        assert (await response.json())["mode"] == "follow"
    async with session.post(f"{sim.url}/_sim/clock", json={"set": "garbage"}) as response:
        assert response.status == 400
    async with session.post(f"{sim.url}/_sim/clock", data="nope") as response:
        assert response.status == 400
    async with session.post(f"{sim.url}/_sim/clock", json=[1]) as response:
        assert response.status == 400


async def test_control_faults_and_requests(
    sim: SimulatorHandle, session: aiohttp.ClientSession
) -> None:
    async with session.post(
        f"{sim.url}/_sim/faults", json={"kind": "rate_limit", "count": 2, "retry_after": 5}
    ) as response:
        assert response.status == 201
        assert (await response.json())["remaining"] == 2
    async with session.get(f"{sim.url}/_sim/faults") as response:
        assert [f["kind"] for f in await response.json()] == ["rate_limit"]
    async with session.get(f"{sim.url}{PRODUCTS}") as response:
        assert response.status == 429
    async with session.get(f"{sim.url}/_sim/requests") as response:
        (entry,) = await response.json()
        assert entry["status"] == 429
        assert entry["fault"] == "rate_limit"
    async with session.delete(f"{sim.url}/_sim/faults") as response:
        assert response.status == 200
    assert sim.faults.pending == []
    async with session.delete(f"{sim.url}/_sim/requests") as response:
        assert response.status == 200
    assert sim.count() == 0
    async with session.post(f"{sim.url}/_sim/faults", json={"kind": "earthquake"}) as response:
        assert response.status == 400
    async with session.post(
        f"{sim.url}/_sim/faults", json={"kind": "timeout", "count": 0}
    ) as response:
        assert response.status == 400


async def test_control_scenario(sim: SimulatorHandle, session: aiohttp.ClientSession) -> None:
    async with session.get(f"{sim.url}/_sim/scenario") as response:
        body = await response.json()
        assert body["api_keys"][0] == "sk_test_simulator"
        assert body["accounts"][0]["mpans"][0] == AGILE_IMPORT_MPAN
    tweaks = {
        "agile_publication_delay_minutes": 30,
        "consumption_lag_days": 2,
        "missing_days": [{"meter": AGILE_IMPORT_MPAN, "date": "2025-06-10"}],
        "corrections": [
            {
                "meter": AGILE_IMPORT_MPAN,
                "interval_start": "2025-06-10T10:00:00Z",
                "consumption": 1.5,
            }
        ],
        "device": {
            "id": CHARGER_DEVICE_ID,
            "at_home": False,
            "boost_refusals": ["BC_DEVICE_NOT_AT_HOME"],
        },
    }
    async with session.post(f"{sim.url}/_sim/scenario", json=tweaks) as response:
        assert response.status == 200
    state = sim.state
    assert state.publication.agile_delay == timedelta(minutes=30)
    assert state.consumption.lag_days == 2
    assert (AGILE_IMPORT_MPAN, datetime(2025, 6, 10).date()) in state.consumption.missing_days
    assert (
        state.consumption.corrections[AGILE_IMPORT_MPAN, datetime(2025, 6, 10, 10, tzinfo=UTC)]
        == 1.5
    )
    assert state.device(CHARGER_DEVICE_ID)[1].at_home is False
    for bad in (
        {"device": {"id": "nope"}},
        {"device": {"id": CHARGER_DEVICE_ID, "name": "x"}},
        {"missing_days": [{"meter": "x"}]},
    ):
        async with session.post(f"{sim.url}/_sim/scenario", json=bad) as response:
            assert response.status == 400


def test_the_injector_refuses_nonsense_and_describes_faults() -> None:
    injector = FaultInjector()
    with pytest.raises(ValueError):
        injector.inject("server_error", count=0)
    fault = injector.inject("timeout", delay=1.5, operation="Viewer")
    assert fault.as_dict()["delay"] == 1.5
    assert injector.take("/v1/graphql/", ("viewer",), "Other") is None
    assert injector.take("/v1/graphql/", ("viewer",), "Viewer") is fault
    injector.inject("server_error")
    injector.clear()
    assert injector.pending == []


async def test_a_client_disconnecting_during_a_timeout_ends_the_handler(
    sim: SimulatorHandle,
) -> None:
    sim.faults.inject("timeout", delay=30)
    async with aiohttp.ClientSession() as session:
        task = asyncio.ensure_future(session.get(f"{sim.url}{PRODUCTS}"))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
