"""Kraken token life cycle: obtain from the API key, cache, refresh early, share among callers.

``obtainKrakenToken`` is itself rate limited, so one token serves every request until about
five minutes before it expires. An ``asyncio.Lock`` makes concurrent callers wait for the one
token request in flight instead of starting their own.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
import logging

from .exceptions import OctopusAuthError, OctopusError, OctopusResponseError
from .models import KrakenToken
from .values import JSONObject, as_object, opt_str, req_str, strict, to_decimal

_LOGGER = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(minutes=5)

type ObtainToken = Callable[[dict[str, str]], Awaitable[JSONObject]]


def _jwt_claims(token: str) -> JSONObject:
    """The (unverified) claims of a JWT; the server verifies, the client only reads ``exp``."""
    try:
        segment = token.split(".")[1]
        decoded = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        claims = json.loads(decoded)
    except (IndexError, ValueError) as err:
        raise OctopusResponseError("Token is not a JWT") from err
    return as_object(claims, "token claims")


def _timestamp(value: object, where: str) -> datetime:
    return datetime.fromtimestamp(float(to_decimal(value, where)), UTC)


@strict
def parse_token(data: JSONObject, received_at: datetime) -> tuple[KrakenToken, timedelta]:
    """The token of ``obtainKrakenToken`` and the server clock's offset from ours.

    The expiry comes from the payload's ``exp`` (or the JWT's own claims). When the payload
    also has ``iat``, ``received_at - iat`` estimates clock skew, so a wrong clock on either
    side neither refreshes every request nor keeps a dead token.
    """
    result = as_object(data.get("obtainKrakenToken"), "obtainKrakenToken")
    token = req_str(result, "token")
    payload = result.get("payload")
    claims = as_object(payload, "payload") if payload else _jwt_claims(token)
    if "exp" not in claims:
        claims = _jwt_claims(token)
    expires_at = _timestamp(claims.get("exp"), "exp")
    skew = timedelta(0)
    if claims.get("iat") is not None:
        skew = received_at - _timestamp(claims["iat"], "iat")
    refresh_expires_at = None
    raw_refresh_expiry = result.get("refreshExpiresIn")
    if raw_refresh_expiry is not None:
        refresh_value = to_decimal(raw_refresh_expiry, "refreshExpiresIn")
        # Documented as a Unix timestamp; a small number can only be a duration in seconds.
        if refresh_value < 1_000_000_000:
            refresh_expires_at = received_at - skew + timedelta(seconds=float(refresh_value))
        else:
            refresh_expires_at = _timestamp(refresh_value, "refreshExpiresIn")
    return (
        KrakenToken(
            token=token,
            expires_at=expires_at,
            refresh_token=opt_str(result, "refreshToken"),
            refresh_expires_at=refresh_expires_at,
        ),
        skew,
    )


class TokenManager:
    """Holds the current Kraken token; ``async_get`` returns a valid one."""

    def __init__(self, api_key: str, obtain: ObtainToken) -> None:
        self._api_key = api_key
        self._obtain = obtain
        self._lock = asyncio.Lock()
        self._token: KrakenToken | None = None
        self._usable = False  # False once the API has called the cached token expired
        # Expiries on our clock (the server's plus the skew between the two clocks).
        self._expires_at = datetime.min.replace(tzinfo=UTC)
        self._refresh_expires_at: datetime | None = None
        self._finished = 0  # token requests finished, to tell waiters whether one just failed
        self._failure: OctopusError | None = None

    @property
    def token(self) -> KrakenToken | None:
        """The cached token, if any (its refresh token may outlive it)."""
        return self._token

    def _valid(self, now: datetime) -> str | None:
        token = self._token
        if token is None or not self._usable or now + REFRESH_MARGIN >= self._expires_at:
            return None
        return token.token

    def _refresh_token(self, now: datetime) -> str | None:
        token = self._token
        if token is None or token.refresh_token is None:
            return None
        expiry = self._refresh_expires_at
        if expiry is not None and now + REFRESH_MARGIN >= expiry:
            return None
        return token.refresh_token

    async def async_get(self) -> str:
        """A token valid for at least a few more minutes; obtained once for all waiters.

        Callers that waited while the one token request failed get its error too, rather than
        each sending a token request of their own into an API that is already refusing.
        """
        if (token := self._valid(datetime.now(UTC))) is not None:
            return token
        finished = self._finished
        async with self._lock:
            now = datetime.now(UTC)
            if (token := self._valid(now)) is not None:  # refreshed while this caller waited
                return token
            if self._finished != finished and self._failure is not None:
                raise self._failure  # the request this caller waited for failed
            try:
                token = await self._renew(now)
            except OctopusError as err:
                self._failure = err
                raise
            else:
                self._failure = None
            finally:
                self._finished += 1
            return token

    async def _renew(self, now: datetime) -> str:
        if (refresh_token := self._refresh_token(now)) is not None:
            try:
                return await self._store({"refreshToken": refresh_token})
            except OctopusAuthError as err:
                # Expired (KT-CT-1134) or refused (KT-CT-1135): the API key still works.
                _LOGGER.debug("Refresh token refused (%s); using the API key", err.code)
        return await self._store({"APIKey": self._api_key})

    async def _store(self, token_input: dict[str, str]) -> str:
        previous, previous_refresh_expiry = self._token, self._refresh_expires_at
        data = await self._obtain(token_input)
        token, skew = parse_token(data, datetime.now(UTC))
        try:
            expires_at = token.expires_at + skew
            refresh_expires_at = (
                None if token.refresh_expires_at is None else token.refresh_expires_at + skew
            )
        except OverflowError:
            raise OctopusResponseError("Token expiry out of range") from None
        if token.refresh_token is None and previous is not None and "refreshToken" in token_input:
            # A refresh that hands back no new refresh token leaves the old one in force.
            token = replace(
                token,
                refresh_token=previous.refresh_token,
                refresh_expires_at=previous.refresh_expires_at,
            )
            refresh_expires_at = previous_refresh_expiry
        self._token, self._usable = token, True
        self._expires_at, self._refresh_expires_at = expires_at, refresh_expires_at
        return token.token

    def invalidate(self, token: str) -> None:
        """Stop using ``token`` after the API called it expired (unless already replaced).

        The refresh token is kept: an expired access token is exactly what it is for.
        """
        if self._token is not None and self._token.token == token:
            self._usable = False
