"""Kraken tokens and the authorisation errors of the GraphQL API."""

from __future__ import annotations

import base64
from datetime import timedelta
import json

import pytest

from octopus_simulator.server import SimulatorHandle

from .conftest import NOW, TOKEN_MUTATION, Gql

VIEWER = "query Viewer { viewer { accounts { number } } }"
ERROR_KEYS = {"message", "locations", "path", "extensions"}
EXTENSION_KEYS = {"errorType", "errorCode", "errorDescription", "errorClass"}


def _error(body: dict, code: str) -> dict:
    (error,) = body["errors"]
    assert set(error) >= ERROR_KEYS
    assert set(error["extensions"]) >= EXTENSION_KEYS
    assert error["extensions"]["errorCode"] == code
    return error


async def test_an_api_key_buys_an_hour_long_token_and_a_week_long_refresh_token(
    sim: SimulatorHandle, gql: Gql
) -> None:
    status, body = await gql(TOKEN_MUTATION, {"input": {"APIKey": sim.api_key}})
    assert status == 200
    result = body["data"]["obtainKrakenToken"]
    assert set(result) == {"token", "refreshToken", "refreshExpiresIn", "payload"}
    assert result["payload"]["exp"] == int((NOW + timedelta(hours=1)).timestamp())
    assert result["refreshExpiresIn"] == int((NOW + timedelta(days=7)).timestamp())
    claims = json.loads(base64.urlsafe_b64decode(result["token"].split(".")[1] + "=="))
    assert claims["exp"] == result["payload"]["exp"]
    _, viewer = await gql(VIEWER, token=result["token"])
    assert viewer == {
        "data": {"viewer": {"accounts": [{"number": "A-1234ABCD"}, {"number": "A-5678EF90"}]}}
    }
    _, prefixed = await gql(VIEWER, token=f"JWT {result['token']}")
    assert prefixed == viewer


async def test_a_wrong_api_key_is_kt_ct_1139(gql: Gql) -> None:
    _, body = await gql(TOKEN_MUTATION, {"input": {"APIKey": "sk_live_nope"}})
    assert body["data"] == {"obtainKrakenToken": None}
    error = _error(body, "KT-CT-1139")
    assert error["path"] == ["obtainKrakenToken"]
    assert error["extensions"]["errorType"] == "VALIDATION"
    assert error["extensions"]["validationErrors"][0]["inputPath"] == ["input", "APIKey"]
    _, empty = await gql(TOKEN_MUTATION, {"input": {}})
    _error(empty, "KT-CT-1139")


async def test_no_authorization_header_is_kt_ct_1112_and_a_forged_token_kt_ct_1111(
    gql: Gql, token: str
) -> None:
    _, body = await gql(VIEWER)
    assert body["data"] == {"viewer": None}
    error = _error(body, "KT-CT-1112")
    assert error["extensions"]["errorType"] == "AUTHORIZATION"
    assert error["locations"] == [{"line": 1, "column": 16}]
    _, forged = await gql(VIEWER, token=token[:-3] + "abc")
    _error(forged, "KT-CT-1111")
    _, garbage = await gql(VIEWER, token="not-a-jwt")
    _error(garbage, "KT-CT-1111")


async def test_a_token_expires_after_an_hour_of_simulator_time(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    sim.clock.advance(timedelta(minutes=59))
    _, fresh = await gql(VIEWER, token=token)
    assert "errors" not in fresh
    sim.clock.advance(timedelta(minutes=1))
    _, expired = await gql(VIEWER, token=token)
    error = _error(expired, "KT-CT-1120")
    assert error["extensions"]["errorType"] == "AUTHORIZATION"


async def test_the_expired_token_code_is_configurable(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    sim.state.auth.expired_token_code = "KT-CT-1124"
    sim.clock.advance(timedelta(hours=2))
    _, body = await gql(VIEWER, token=token)
    _error(body, "KT-CT-1124")


async def test_a_refresh_token_buys_a_new_token_until_it_expires(
    sim: SimulatorHandle, gql: Gql
) -> None:
    _, body = await gql(TOKEN_MUTATION, {"input": {"APIKey": sim.api_key}})
    refresh = body["data"]["obtainKrakenToken"]["refreshToken"]
    sim.clock.advance(timedelta(days=6))
    _, renewed = await gql(TOKEN_MUTATION, {"input": {"refreshToken": refresh}})
    new_token = renewed["data"]["obtainKrakenToken"]["token"]
    _, viewer = await gql(VIEWER, token=new_token)
    assert "errors" not in viewer
    sim.clock.advance(timedelta(days=1))
    _, late = await gql(TOKEN_MUTATION, {"input": {"refreshToken": refresh}})
    _error(late, "KT-CT-1134")
    _, unknown = await gql(TOKEN_MUTATION, {"input": {"refreshToken": "nope"}})
    _error(unknown, "KT-CT-1135")


async def test_a_refresh_token_of_a_removed_user_is_refused(sim: SimulatorHandle, gql: Gql) -> None:
    _, body = await gql(TOKEN_MUTATION, {"input": {"APIKey": sim.api_key}})
    token = body["data"]["obtainKrakenToken"]["token"]
    refresh = body["data"]["obtainKrakenToken"]["refreshToken"]
    sim.state.users.pop(0)
    _, renewed = await gql(TOKEN_MUTATION, {"input": {"refreshToken": refresh}})
    _error(renewed, "KT-CT-1135")
    _, viewer = await gql(VIEWER, token=token)
    _error(viewer, "KT-CT-1111")


async def test_the_token_mutation_can_be_rate_limited(sim: SimulatorHandle, gql: Gql) -> None:
    sim.state.rate_limits["obtainKrakenToken"] = (2, timedelta(minutes=1))
    for _ in range(2):
        _, ok = await gql(TOKEN_MUTATION, {"input": {"APIKey": sim.api_key}})
        assert "errors" not in ok
    _, limited = await gql(TOKEN_MUTATION, {"input": {"APIKey": sim.api_key}})
    error = _error(limited, "KT-CT-1199")
    assert error["extensions"]["errorType"] == "AUTHORIZATION"


@pytest.mark.parametrize("prefix", ["", "JWT ", "Bearer "])
async def test_token_prefixes_are_accepted(gql: Gql, token: str, prefix: str) -> None:
    _, body = await gql(VIEWER, token=f"{prefix}{token}")
    assert "errors" not in body
