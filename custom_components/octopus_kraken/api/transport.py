"""HTTP transport: timeouts, retries with jittered backoff, rate limits, request counts, logging.

The transport knows nothing of REST or GraphQL payloads. It sends one logical request, retrying
5xx answers, timeouts and connection errors; a 429 raises at once (the caller decides when to come
back). A rate limit applies to the account or client, not to one caller: after a 429 (or a
KT-CT-1199 the GraphQL layer reports through ``start_cool_down``) every request of this client,
REST and GraphQL alike (one host, one account), fails fast with ``OctopusRateLimitError`` until
the cool-down ends, without touching the network. Logs name the endpoint template and
operation, never a URL with identifiers in it, a header, a query string or a body.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
import json
import logging
import random
import time
from typing import Any

import aiohttp
from yarl import URL

from .exceptions import OctopusRateLimitError, OctopusUnavailableError

_LOGGER = logging.getLogger(__name__)

_RETRY_MAX_DELAY = 30.0
# How long an API rests after a rate limit that names no Retry-After. Kraken's allowance is
# counted per hour; five minutes lets a burst drain without leaving data stale for long.
DEFAULT_RATE_LIMIT_COOL_DOWN = 300.0


@dataclass(slots=True)
class CoolDown:
    """When the API may be asked again after a rate limit; share one between clients of a key.

    The allowance belongs to the API user, not to one client: entries with the same key, and a
    client rebuilt by a reload, keep resting until the same moment.
    """

    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Response:
    """A received HTTP response (status below 500, not 429)."""

    status: int
    body: bytes
    retry_after: float | None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _is_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return True


class Transport:
    """Sends requests through an injected ``aiohttp.ClientSession``."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        request_timeout: float,
        max_retries: int,
        user_agent: str,
        retry_base_delay: float,
        cool_down: CoolDown | None = None,
    ) -> None:
        self._session = session
        self.base_url = URL(base_url.rstrip("/"))
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._max_retries = max(0, max_retries)
        self._user_agent = user_agent
        self._retry_base_delay = max(0.0, retry_base_delay)
        self.counts: Counter[str] = Counter()
        self._cool_down = cool_down if cool_down is not None else CoolDown()

    def start_cool_down(self, retry_after: float | None, *, reason: str) -> float:
        """Pause every request for ``retry_after`` seconds (or the default).

        Logged once at WARNING when a pause starts; a longer wait only extends it. Returns the
        seconds now left to wait.
        """
        now = datetime.now(UTC)
        wait = DEFAULT_RATE_LIMIT_COOL_DOWN if retry_after is None else max(retry_after, 1.0)
        until = now + timedelta(seconds=wait)
        current = self._cool_down.until
        if current is None or current <= now:
            _LOGGER.warning(
                "The Octopus API rate-limited this account (%s): pausing every request for %.0f s",
                reason,
                wait,
            )
        if current is None or until > current:
            self._cool_down.until = current = until
        return (current - now).total_seconds()

    def cool_down_left(self) -> float:
        """Seconds until the API may be asked again (0 when it may be asked now)."""
        until = self._cool_down.until
        if until is None:
            return 0.0
        return max(0.0, (until - datetime.now(UTC)).total_seconds())

    def url(self, path: str) -> URL:
        """An absolute URL for ``path`` (already percent-encoded) under the base URL."""
        return URL(str(self.base_url) + path, encoded=True)

    def follow(self, link: str) -> URL:
        """The URL of a ``next`` link, kept on the base URL's origin.

        Credentials go only where the user pointed the client, whatever host a link names.
        """
        target = URL(link)
        return self.base_url.origin().join(URL(target.raw_path_qs, encoded=True))

    def _backoff(self, attempt: int) -> float:
        ceiling = min(_RETRY_MAX_DELAY, self._retry_base_delay * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)

    async def request(
        self,
        method: str,
        url: URL,
        *,
        operation: str,
        log_path: str,
        params: dict[str, str] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        auth: aiohttp.BasicAuth | None = None,
        retry_unreadable: bool = False,
        retry: bool = True,
    ) -> Response:
        """One logical request: retried on 5xx, timeouts and connection errors (``retry``).

        A request that changes something passes ``retry=False``: it may have taken effect
        although its answer was lost, so the caller checks instead of sending it again.

        With ``retry_unreadable`` (safe to repeat: reads), a 200 whose body is not JSON (cut off
        on the way) is retried like a 5xx; unreadable to the end, it is unavailable.

        Raises ``OctopusRateLimitError`` on 429 or during a cool-down and
        ``OctopusUnavailableError`` once retries are spent; returns every other response for
        the caller to interpret.
        """
        all_headers = {"User-Agent": self._user_agent, "Accept": "application/json"}
        if headers:
            all_headers.update(headers)
        attempt = 0
        while True:
            try:
                return await self._attempt(
                    method,
                    url,
                    operation=operation,
                    log_path=log_path,
                    params=params,
                    json=json,
                    headers=all_headers,
                    auth=auth,
                    retry_unreadable=retry_unreadable,
                )
            except OctopusUnavailableError:
                if not retry or attempt >= self._max_retries:
                    raise
                delay = self._backoff(attempt)
                attempt += 1
                _LOGGER.debug(
                    "Retrying %s %s (%s) in %.2f s, attempt %d of %d",
                    method,
                    log_path,
                    operation,
                    delay,
                    attempt,
                    self._max_retries,
                )
                await asyncio.sleep(delay)

    async def _attempt(
        self,
        method: str,
        url: URL,
        *,
        operation: str,
        log_path: str,
        params: dict[str, str] | None,
        json: Any,
        headers: dict[str, str],
        auth: aiohttp.BasicAuth | None,
        retry_unreadable: bool,
    ) -> Response:
        if (left := self.cool_down_left()) > 0:
            _LOGGER.debug("Not sending %s (%s): cooling down for %.0f s", log_path, operation, left)
            raise OctopusRateLimitError("Cooling down after a rate limit", retry_after=left)
        self.counts[operation] += 1
        started = time.monotonic()
        try:
            async with self._session.request(
                method,
                url,
                params=params,
                json=json,
                headers=headers,
                auth=auth,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                body = await response.read()
                status = response.status
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
        except TimeoutError:
            self._log(method, log_path, operation, "timeout", started)
            raise OctopusUnavailableError(f"Timeout calling {log_path}") from None
        except aiohttp.ClientError as err:
            self._log(method, log_path, operation, err.__class__.__name__, started)
            raise OctopusUnavailableError(
                f"Cannot reach the Octopus API ({err.__class__.__name__})"
            ) from None
        self._log(method, log_path, operation, status, started)
        if status == 429:
            left = self.start_cool_down(retry_after, reason=f"HTTP 429 on {log_path}")
            raise OctopusRateLimitError(
                f"Rate limited on {log_path}", retry_after=left, status=status
            )
        if status >= 500:
            raise OctopusUnavailableError(f"HTTP {status} from {log_path}", status=status)
        if retry_unreadable and status == 200 and not _is_json(body):
            raise OctopusUnavailableError(f"Unreadable answer from {log_path}", status=status)
        return Response(status=status, body=body, retry_after=retry_after)

    @staticmethod
    def _log(
        method: str, log_path: str, operation: str, outcome: int | str, started: float
    ) -> None:
        _LOGGER.debug(
            "%s %s (%s) -> %s in %.0f ms",
            method,
            log_path,
            operation,
            outcome,
            (time.monotonic() - started) * 1000,
        )
