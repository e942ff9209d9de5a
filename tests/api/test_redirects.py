"""A redirect is never followed: credentials go only to the base URL the user chose.

A loopback server answers every request with a redirect to the simulator on another port (another
origin). Were the client to follow it, the simulator would serve the data, with the API key or the
token attached; the simulator's request log proves nothing reached it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.octopus_kraken.api import Fuel, OctopusClient, OctopusError
from octopus_simulator.scenario import ACCOUNT_AGILE, AGILE_IMPORT_MPAN, AGILE_METER_SERIAL
from octopus_simulator.server import SimulatorHandle


@pytest.fixture(params=[301, 302, 303, 307, 308])
async def redirector(
    request: pytest.FixtureRequest, octopus_simulator: SimulatorHandle
) -> AsyncIterator[tuple[str, list[web.Request]]]:
    """A loopback server redirecting every path to the same path on the simulator."""
    seen: list[web.Request] = []
    status: int = request.param

    async def handle(incoming: web.Request) -> web.Response:
        seen.append(incoming)
        return web.Response(
            status=status, headers={"Location": octopus_simulator.url + incoming.path_qs}
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/"), seen
    await server.close()


async def test_a_redirect_to_another_origin_is_not_followed_with_the_api_key(
    session: aiohttp.ClientSession,
    octopus_simulator: SimulatorHandle,
    redirector: tuple[str, list[web.Request]],
) -> None:
    url, seen = redirector
    client = OctopusClient(session, octopus_simulator.api_key, base_url=url, retry_base_delay=0)
    day = datetime(2025, 3, 10, tzinfo=UTC)

    with pytest.raises(OctopusError):
        await client.async_get_consumption(
            Fuel.ELECTRICITY,
            AGILE_IMPORT_MPAN,
            AGILE_METER_SERIAL,
            period_from=day,
            period_to=day + timedelta(days=1),
        )
    with pytest.raises(OctopusError):
        await client.async_get_account(ACCOUNT_AGILE)

    assert len(seen) == 2  # the consumption request and the token request, each once
    assert seen[0].headers.get("Authorization", "").startswith("Basic ")  # it was a keyed call
    assert len(octopus_simulator.request_log) == 0


async def test_the_same_redirect_would_reach_the_simulator_if_followed(
    session: aiohttp.ClientSession,
    octopus_simulator: SimulatorHandle,
    redirector: tuple[str, list[web.Request]],
) -> None:
    """The control: the set-up above really does lead to the API when redirects are followed."""
    url, _seen = redirector
    async with session.get(url + "/v1/products/") as response:
        assert response.status == 200
    assert len(octopus_simulator.request_log) == 1
