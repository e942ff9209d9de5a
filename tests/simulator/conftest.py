"""Fixtures for the simulator's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from octopus_simulator.server import SimulatorHandle

# A summer afternoon (14:00 UK time): Agile prices for tomorrow are not yet published.
NOW = datetime(2025, 6, 18, 13, 0, tzinfo=UTC)

Gql = Callable[..., Awaitable[tuple[int, dict[str, Any]]]]


@pytest.fixture
async def sim(octopus_simulator: SimulatorHandle) -> SimulatorHandle:
    """The simulator with its clock standing at ``NOW``."""
    octopus_simulator.clock.set(NOW)
    return octopus_simulator


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain client session."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def auth(sim: SimulatorHandle) -> aiohttp.BasicAuth:
    """Basic auth with the default API key."""
    return aiohttp.BasicAuth(sim.api_key, "")


@pytest.fixture
def get(sim: SimulatorHandle, session: aiohttp.ClientSession) -> Callable[..., Awaitable[Any]]:
    """GET a path of the simulator; returns (status, json body)."""

    async def _get(path: str, **kwargs: Any) -> tuple[int, Any]:
        url = path if path.startswith("http") else f"{sim.url}{path}"
        async with session.get(url, **kwargs) as response:
            return response.status, await response.json(content_type=None)

    return _get


@pytest.fixture
def gql(sim: SimulatorHandle, session: aiohttp.ClientSession) -> Gql:
    """POST a GraphQL document; returns (status, json body)."""

    async def _gql(
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        operation_name: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": token} if token else {}
        payload: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name:
            payload["operationName"] = operation_name
        async with session.post(f"{sim.url}/v1/graphql/", json=payload, headers=headers) as r:
            return r.status, await r.json()

    return _gql


TOKEN_MUTATION = """
mutation ObtainKrakenToken($input: ObtainJSONWebTokenInput!) {
  obtainKrakenToken(input: $input) { token refreshToken refreshExpiresIn payload }
}
"""


@pytest.fixture
async def token(sim: SimulatorHandle, gql: Gql) -> str:
    """A valid Kraken token for the default key."""
    _, body = await gql(TOKEN_MUTATION, {"input": {"APIKey": sim.api_key}})
    return str(body["data"]["obtainKrakenToken"]["token"])
