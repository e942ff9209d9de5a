"""A scripted HTTP server for the transport edge cases the simulator has no reason to produce.

Everything ordinary (every call, every fault mode) is tested against the simulator; this stub
serves the odd cases: foreign ``next`` links, endless pagination, unusual statuses and token
payloads. It listens on loopback and records every request.
"""

from __future__ import annotations

import base64
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

STUB_API_KEY = "sk_live_stub_secret_key"


def make_jwt(claims: dict[str, Any]) -> str:
    """An unsigned JWT with ``claims`` (the client only reads them)."""

    def segment(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(claims)}.signature"


def token_payload(
    *,
    lifetime: timedelta = timedelta(hours=1),
    issued: datetime | None = None,
    refresh_token: str | None = "refresh-1",
    refresh_expires_in: float | None = None,
    include_payload: bool = True,
    serial: int = 0,
) -> dict[str, Any]:
    """An ``obtainKrakenToken`` response body."""
    issued = issued or datetime.now(UTC)
    claims = {
        "sub": "kraken|account-user:1",
        "iat": int(issued.timestamp()),
        "exp": int((issued + lifetime).timestamp()),
        "n": serial,
    }
    if refresh_expires_in is None:
        refresh_expires_in = (issued + timedelta(days=7)).timestamp()
    return {
        "data": {
            "obtainKrakenToken": {
                "token": make_jwt(claims),
                "refreshToken": refresh_token,
                "refreshExpiresIn": refresh_expires_in,
                "payload": claims if include_payload else None,
            }
        }
    }


@dataclass(slots=True)
class Recorded:
    """A request the stub received."""

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


type Reply = Callable[[web.Request, Any], web.StreamResponse] | web.StreamResponse


@dataclass(slots=True)
class Stub:
    """Replies queued per test; a token request gets a fresh token unless one is queued."""

    server: TestServer | None = None
    replies: deque[Reply] = field(default_factory=deque)
    token_replies: deque[Reply] = field(default_factory=deque)
    requests: list[Recorded] = field(default_factory=list)
    tokens_issued: int = 0

    @property
    def url(self) -> str:
        """The base URL."""
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    def reply(self, status: int = 200, body: Any = None, **kwargs: Any) -> None:
        """Queue a JSON (or raw bytes/str) reply."""
        self.replies.append(_response(status, body, **kwargs))

    def token_reply(self, status: int = 200, body: Any = None, **kwargs: Any) -> None:
        """Queue the reply to the next token request."""
        self.token_replies.append(_response(status, body, **kwargs))

    def count(self, operation: str | None = None) -> int:
        """Requests received (of one GraphQL operation if given)."""
        return sum(
            1
            for r in self.requests
            if operation is None
            or (isinstance(r.body, dict) and r.body.get("operationName") == operation)
        )

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        self.requests.append(
            Recorded(
                request.method,
                request.path,
                request.raw_path,
                dict(request.query),
                dict(request.headers),
                body,
            )
        )
        if isinstance(body, dict) and body.get("operationName") == "ObtainKrakenToken":
            if self.token_replies:
                return _resolve(self.token_replies.popleft(), request, body)
            self.tokens_issued += 1
            return web.json_response(token_payload(serial=self.tokens_issued))
        if not self.replies:
            return web.json_response({"detail": "nothing queued"}, status=418)
        reply = self.replies[0] if len(self.replies) == 1 and _sticky(self.replies[0]) else None
        return _resolve(reply or self.replies.popleft(), request, body)


def _sticky(reply: Reply) -> bool:
    return bool(getattr(reply, "sticky", False))


def _resolve(reply: Reply, request: web.Request, body: Any) -> web.StreamResponse:
    if isinstance(reply, web.StreamResponse):
        return reply
    return reply(request, body)


def _response(
    status: int, body: Any, *, headers: dict[str, str] | None = None, sticky: bool = False
) -> Reply:
    def build(_: web.Request, __: Any) -> web.StreamResponse:
        if isinstance(body, bytes | str):
            return web.Response(status=status, body=body, headers=headers)
        return web.json_response(body, status=status, headers=headers)

    build.sticky = sticky  # type: ignore[attr-defined]
    return build
