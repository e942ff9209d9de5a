"""``OctopusClient``: one object for the Octopus REST API and the Kraken GraphQL API."""

from __future__ import annotations

import aiohttp

from .graphql import GraphQLExecutor
from .kraken import KrakenApi
from .models import RequestStats
from .rest import RestApi
from .transport import CoolDown, Transport

__version__ = "0.1.0"

DEFAULT_BASE_URL = "https://api.octopus.energy"
DEFAULT_USER_AGENT = f"octopus-kraken-ha/{__version__}"


class OctopusClient(RestApi, KrakenApi):
    """Async client of the Octopus Energy (and other Kraken suppliers') APIs.

    Built on an injected ``aiohttp.ClientSession`` (Home Assistant's shared session), which it
    never closes. Results are the frozen dataclasses of ``models``; failures are the exceptions
    of ``exceptions``. Requests are counted per operation (``stats``) for the economy benchmarks.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        request_timeout: float = 30.0,
        max_retries: int = 3,
        user_agent: str = DEFAULT_USER_AGENT,
        retry_base_delay: float = 1.0,
        cool_down: CoolDown | None = None,
    ) -> None:
        """``cool_down``: the rate-limit pause shared with other clients of the same key."""
        self._transport = Transport(
            session,
            base_url=base_url,
            request_timeout=request_timeout,
            max_retries=max_retries,
            user_agent=user_agent,
            retry_base_delay=retry_base_delay,
            cool_down=cool_down,
        )
        self._basic_auth = aiohttp.BasicAuth(api_key, "")
        self._graphql = GraphQLExecutor(self._transport, api_key)

    def __repr__(self) -> str:
        return f"OctopusClient(base_url={str(self._transport.base_url)!r})"

    @property
    def base_url(self) -> str:
        """The API's base URL, without a trailing slash."""
        return str(self._transport.base_url)

    @property
    def stats(self) -> RequestStats:
        """HTTP requests made so far (retries and token requests included), by operation."""
        return RequestStats(by_operation=dict(self._transport.counts))

    def reset_stats(self) -> None:
        """Start counting requests from zero."""
        self._transport.counts.clear()
