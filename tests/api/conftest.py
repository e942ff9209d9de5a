"""Fixtures of the API client tests: an aiohttp session, the simulator and a scripted stub."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.octopus_kraken.api import OctopusClient
from octopus_simulator.server import SimulatorHandle

from .stub import STUB_API_KEY, Stub


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Allow sockets (the harness blocks them; connections stay limited to 127.0.0.1)."""


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A session the tests own (the client never closes the one it is given)."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def stub() -> AsyncIterator[Stub]:
    """A scripted server on loopback."""
    stub = Stub()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stub.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    stub.server = server
    yield stub
    await server.close()


@pytest.fixture
def stub_client(session: aiohttp.ClientSession, stub: Stub) -> OctopusClient:
    """A client of the stub, retrying twice without delay."""
    return OctopusClient(
        session, STUB_API_KEY, base_url=stub.url + "/", max_retries=2, retry_base_delay=0
    )


type ClientFactory = Callable[..., OctopusClient]


@pytest.fixture
def make_client(
    session: aiohttp.ClientSession,
    octopus_simulator: SimulatorHandle,
) -> ClientFactory:
    """Build a client of the simulator (retrying without delay unless told otherwise)."""

    def factory(**kwargs: Any) -> OctopusClient:
        kwargs.setdefault("retry_base_delay", 0)
        api_key = kwargs.pop("api_key", octopus_simulator.api_key)
        return OctopusClient(session, api_key, base_url=octopus_simulator.url, **kwargs)

    return factory


@pytest.fixture
def client(make_client: ClientFactory) -> OctopusClient:
    """A client of the simulator with the default key."""
    return make_client()
