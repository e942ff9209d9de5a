"""Transport, GraphQL and token edge cases, served by the scripted stub."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from custom_components.octopus_kraken.api import (
    DEFAULT_USER_AGENT,
    Fuel,
    OctopusAuthError,
    OctopusClient,
    OctopusError,
    OctopusGraphQLError,
    OctopusNotFoundError,
    OctopusRateLimitError,
    OctopusResponseError,
    OctopusUnavailableError,
)

from .stub import STUB_API_KEY, Stub, make_jwt, token_payload

VIEWER = {"data": {"viewer": {"accounts": [{"number": "A-1"}]}}}


def _page(results: list[Any], next_link: str | None) -> dict[str, Any]:
    return {"count": len(results), "next": next_link, "previous": None, "results": results}


def _gsp(group: str) -> dict[str, str]:
    return {"group_id": group}


async def test_requests_identify_the_client_and_only_private_endpoints_send_the_key(
    stub: Stub, stub_client: OctopusClient
) -> None:
    stub.reply(body=_page([_gsp("_A")], None))
    stub.reply(body=_page([], None))
    await stub_client.async_get_grid_supply_points("SW1A 1AA")
    await stub_client.async_get_consumption(Fuel.GAS, "8879876503", "E6S 1/2")
    public, private = stub.requests
    assert public.headers["User-Agent"] == DEFAULT_USER_AGENT
    assert public.query == {"postcode": "SW1A 1AA"}
    assert "Authorization" not in public.headers
    expected = base64.b64encode(f"{STUB_API_KEY}:".encode()).decode()
    assert private.headers["Authorization"] == f"Basic {expected}"
    # A serial with a space and a slash stays one path segment.
    assert private.raw_path.split("?")[0] == (
        "/v1/gas-meter-points/8879876503/meters/E6S%201%2F2/consumption/"
    )
    assert private.query["order_by"] == "period"
    assert private.query["page_size"] == "25000"


async def test_next_links_are_followed_on_the_configured_origin_only(
    stub: Stub, stub_client: OctopusClient
) -> None:
    stub.reply(
        body=_page([_gsp("_A")], "https://evil.example/v1/industry/grid-supply-points/?page=2")
    )
    stub.reply(body=_page([_gsp("_B")], None))
    assert await stub_client.async_get_grid_supply_points() == ["_A", "_B"]
    assert [r.query for r in stub.requests] == [{}, {"page": "2"}]
    assert stub_client.stats.by_operation == {"rest:grid-supply-points": 2}


async def test_endless_pagination_is_refused(stub: Stub, stub_client: OctopusClient) -> None:
    link = stub.url + "/v1/industry/grid-supply-points/?page=2"
    stub.reply(body=_page([_gsp("_A")], link))
    stub.reply(body=_page([_gsp("_A")], link))
    with pytest.raises(OctopusResponseError, match="does not end"):
        await stub_client.async_get_grid_supply_points()


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, {"period_to": ["requires period_from"]}, OctopusError),
        (403, {"detail": "forbidden"}, OctopusAuthError),
        (302, b"", OctopusError),
        (200, b"[1, 2", OctopusUnavailableError),  # cut off: retried, then unavailable
        (200, [], OctopusResponseError),
    ],
)
async def test_unexpected_rest_answers_raise_the_client_exceptions(
    stub: Stub, stub_client: OctopusClient, status: int, body: Any, error: type[Exception]
) -> None:
    for _ in range(3):  # the answer stays the same when the client asks again
        stub.reply(status, body)
    with pytest.raises(error) as info:
        await stub_client.async_get_electricity_meter_point("1200000000001")
    assert isinstance(info.value, OctopusError)
    if status != 200:
        assert info.value.status == status


async def test_rate_limit_reads_an_http_date_retry_after(
    stub: Stub, stub_client: OctopusClient
) -> None:
    when = datetime.now(UTC) + timedelta(seconds=120)
    stub.reply(429, {}, headers={"Retry-After": when.strftime("%a, %d %b %Y %H:%M:%S GMT")})
    with pytest.raises(OctopusRateLimitError) as info:
        await stub_client.async_get_products()
    assert info.value.retry_after is not None
    assert 100 < info.value.retry_after <= 120
    assert stub.count() == 1


async def test_an_unreachable_server_is_unavailable_after_the_retries(
    session: aiohttp.ClientSession, stub: Stub
) -> None:
    url = stub.url
    assert stub.server is not None
    await stub.server.close()
    client = OctopusClient(session, "k", base_url=url, max_retries=1, retry_base_delay=0)
    with pytest.raises(OctopusUnavailableError, match="Cannot reach"):
        await client.async_get_products()
    assert client.stats.total == 2


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        (401, b"<html>denied</html>", OctopusAuthError, None),
        (403, {"detail": "forbidden"}, OctopusAuthError, None),
        (404, b"not here", OctopusNotFoundError, None),
        (400, b"bad", OctopusError, None),
        (400, {"errors": [{"message": "Syntax error"}]}, OctopusGraphQLError, None),
        (200, {"errors": [{"message": "odd", "extensions": {"errorCode": 7}}]}, OctopusError, None),
        (200, {"errors": "everything broke"}, OctopusResponseError, None),
        (200, {"errors": [{"extensions": []}]}, OctopusResponseError, None),
        (200, {"data": None}, OctopusResponseError, None),
        (200, {"data": {"viewer": None}}, OctopusResponseError, None),
        (200, {"data": []}, OctopusResponseError, None),
        (200, b'{"data": ', OctopusUnavailableError, None),  # cut off: retried
        (
            200,
            {"errors": [{"message": "Too complex", "extensions": {"errorCode": "KT-CT-1188"}}]},
            OctopusGraphQLError,
            "KT-CT-1188",
        ),
        (
            200,
            {"errors": [{"message": "Slow down", "extensions": {"errorCode": "KT-GB-4042"}}]},
            OctopusRateLimitError,
            "KT-GB-4042",
        ),
        (
            200,
            {"errors": [{"message": "Refresh", "extensions": {"errorCode": "KT-CT-1135"}}]},
            OctopusAuthError,
            "KT-CT-1135",
        ),
        (401, {"data": {"viewer": {"accounts": []}}}, OctopusAuthError, None),
        (418, {"data": {"viewer": {"accounts": []}}}, OctopusError, None),
    ],
)
async def test_unexpected_graphql_answers_raise_the_client_exceptions(
    stub: Stub,
    stub_client: OctopusClient,
    status: int,
    body: Any,
    error: type[Exception],
    code: str | None,
) -> None:
    for _ in range(3):  # the answer stays the same when the client asks again
        stub.reply(status, body)
    with pytest.raises(error) as info:
        await stub_client.async_get_account_numbers()
    assert isinstance(info.value, OctopusError)
    assert info.value.code == code


async def test_a_graphql_server_error_is_retried(stub: Stub, stub_client: OctopusClient) -> None:
    stub.reply(502, b"<html>Bad gateway</html>")
    stub.reply(body=VIEWER)
    assert await stub_client.async_get_account_numbers() == ["A-1"]
    assert stub_client.stats.by_operation == {
        "graphql:ObtainKrakenToken": 1,
        "graphql:AccountNumbers": 2,
    }


async def test_the_token_is_sent_bare_and_reused(stub: Stub, stub_client: OctopusClient) -> None:
    stub.reply(body=VIEWER)
    stub.reply(body=VIEWER)
    await stub_client.async_get_account_numbers()
    await stub_client.async_get_account_numbers()
    token_request, first, second = stub.requests
    assert token_request.body["variables"] == {"input": {"APIKey": STUB_API_KEY}}
    assert "Authorization" not in token_request.headers
    assert first.headers["Authorization"] == second.headers["Authorization"]
    assert first.headers["Authorization"].count(".") == 2  # the JWT itself, no prefix
    assert first.body["operationName"] == "AccountNumbers"


def _expired(code: str = "KT-CT-1124") -> dict[str, Any]:
    return {"errors": [{"message": "Token expired", "extensions": {"errorCode": code}}]}


async def test_an_expired_token_is_refreshed_with_the_refresh_token_once(
    stub: Stub, stub_client: OctopusClient
) -> None:
    stub.reply(body=_expired())
    stub.reply(body=VIEWER)
    assert await stub_client.async_get_account_numbers() == ["A-1"]
    inputs = [
        r.body["variables"]["input"]
        for r in stub.requests
        if r.body["operationName"] == "ObtainKrakenToken"
    ]
    assert inputs == [{"APIKey": STUB_API_KEY}, {"refreshToken": "refresh-1"}]


async def test_a_token_that_stays_expired_is_the_apis_trouble_not_a_bad_key(
    stub: Stub, stub_client: OctopusClient
) -> None:
    """The key has just obtained a new token: asking the user for it again would not help."""
    stub.reply(body=_expired("KT-CT-1120"))
    stub.reply(body=_expired("KT-CT-1120"))
    with pytest.raises(OctopusUnavailableError):
        await stub_client.async_get_account_numbers()
    assert stub.count("ObtainKrakenToken") == 2


async def test_a_refused_refresh_token_falls_back_to_the_api_key(
    stub: Stub, stub_client: OctopusClient
) -> None:
    stub.reply(body=_expired())
    stub.token_reply(body=token_payload())
    stub.token_reply(body=_expired("KT-CT-1135"))
    stub.token_reply(body=token_payload(serial=2))
    stub.reply(body=VIEWER)
    assert await stub_client.async_get_account_numbers() == ["A-1"]
    inputs = [
        r.body["variables"]["input"]
        for r in stub.requests
        if r.body["operationName"] == "ObtainKrakenToken"
    ]
    assert inputs == [
        {"APIKey": STUB_API_KEY},
        {"refreshToken": "refresh-1"},
        {"APIKey": STUB_API_KEY},
    ]


async def test_a_rejected_api_key_is_an_auth_error(stub: Stub, stub_client: OctopusClient) -> None:
    stub.token_reply(
        body={
            "errors": [
                {
                    "message": "Invalid data.",
                    "path": ["obtainKrakenToken"],
                    "extensions": {
                        "errorType": "VALIDATION",
                        "errorCode": "KT-CT-1139",
                        "errorDescription": "Authentication failed.",
                    },
                }
            ],
            "data": {"obtainKrakenToken": None},
        }
    )
    with pytest.raises(OctopusAuthError) as info:
        await stub_client.async_get_account_numbers()
    assert info.value.code == "KT-CT-1139"


async def test_a_token_rate_limit_is_not_an_auth_error(
    stub: Stub, stub_client: OctopusClient
) -> None:
    stub.token_reply(
        body={
            "errors": [
                {
                    "message": "Too many requests.",
                    "extensions": {"errorType": "AUTHORIZATION", "errorCode": "KT-CT-1199"},
                }
            ]
        },
        headers={"Retry-After": "30"},
    )
    with pytest.raises(OctopusRateLimitError) as info:
        await stub_client.async_get_account_numbers()
    assert info.value.retry_after == 30
    assert not isinstance(info.value, OctopusAuthError)


async def test_tokens_are_read_from_the_jwt_when_the_payload_is_missing(
    stub: Stub, stub_client: OctopusClient
) -> None:
    stub.token_reply(body=token_payload(include_payload=False, refresh_expires_in=604800))
    stub.reply(body=VIEWER)
    await stub_client.async_get_account_numbers()
    token = stub_client._graphql.tokens.token
    assert token is not None
    assert token.expires_at > datetime.now(UTC) + timedelta(minutes=55)
    assert token.refresh_expires_at is not None
    assert token.refresh_expires_at > datetime.now(UTC) + timedelta(days=6)


@pytest.mark.parametrize(
    "token_data",
    [
        {"token": "opaque", "payload": None},
        {"token": "a.bm90IGpzb24.c", "payload": None},
        {"token": make_jwt({"sub": "x"}), "payload": {"sub": "x"}},
        {"token": make_jwt({"exp": "soon"}), "payload": None},
        {"token": make_jwt({"exp": 1e20}), "payload": None},
        {"token": make_jwt({"exp": 253402300799, "iat": 0}), "payload": None},
        {"token": None},
    ],
)
async def test_an_unreadable_token_is_a_response_error(
    stub: Stub, stub_client: OctopusClient, token_data: dict[str, Any]
) -> None:
    stub.token_reply(body={"data": {"obtainKrakenToken": token_data}})
    with pytest.raises(OctopusResponseError):
        await stub_client.async_get_account_numbers()


async def test_a_server_clock_that_is_wrong_does_not_cause_a_refresh_every_call(
    stub: Stub, stub_client: OctopusClient
) -> None:
    # The server believes it is 2000: its token "expired" decades ago by our clock, yet it is
    # valid for an hour by the server's; the client honours the lifetime, not the wall clock.
    stub.token_reply(body=token_payload(issued=datetime(2000, 1, 1, tzinfo=UTC)))
    stub.reply(body=VIEWER)
    stub.reply(body=VIEWER)
    await stub_client.async_get_account_numbers()
    await stub_client.async_get_account_numbers()
    assert stub.count("ObtainKrakenToken") == 1


async def test_a_token_nearly_expired_is_refreshed_before_use(
    stub: Stub, stub_client: OctopusClient
) -> None:
    stub.token_reply(body=token_payload(lifetime=timedelta(minutes=4)))
    stub.reply(body=VIEWER)
    stub.reply(body=VIEWER)
    await stub_client.async_get_account_numbers()
    await stub_client.async_get_account_numbers()
    # Four minutes left is inside the five-minute margin: the second call refreshes first.
    assert stub.count("ObtainKrakenToken") == 2
    assert stub.requests[2].body["variables"]["input"] == {"refreshToken": "refresh-1"}


async def test_an_expired_refresh_token_is_not_offered(
    stub: Stub, stub_client: OctopusClient
) -> None:
    stub.token_reply(body=token_payload(lifetime=timedelta(minutes=1), refresh_expires_in=60))
    stub.reply(body=VIEWER)
    stub.reply(body=VIEWER)
    await stub_client.async_get_account_numbers()
    await stub_client.async_get_account_numbers()
    inputs = [
        r.body["variables"]["input"]
        for r in stub.requests
        if r.body["operationName"] == "ObtainKrakenToken"
    ]
    assert inputs == [{"APIKey": STUB_API_KEY}, {"APIKey": STUB_API_KEY}]


async def test_the_client_describes_itself_without_secrets(stub_client: OctopusClient) -> None:
    assert STUB_API_KEY not in repr(stub_client)
    assert stub_client.base_url.startswith("http://127.0.0.1:")


async def test_a_refresh_without_a_new_refresh_token_keeps_the_old_one(
    stub: Stub, stub_client: OctopusClient
) -> None:
    stub.reply(body=_expired())
    stub.token_reply(body=token_payload())
    stub.token_reply(body=token_payload(refresh_token=None, serial=2))
    stub.reply(body=VIEWER)
    await stub_client.async_get_account_numbers()
    token = stub_client._graphql.tokens.token
    assert token is not None
    assert token.refresh_token == "refresh-1"
    assert token.refresh_expires_at is not None
