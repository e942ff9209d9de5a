"""Kraken tokens: HS256 JWTs that last an hour of simulator time, plus 7-day refresh tokens."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
import hashlib
import hmac
import json
from typing import Any

from octopus_simulator.kraken_errors import KrakenError, validation_errors
from octopus_simulator.scenario import AuthRules, User

ISSUER = "https://api.octopus.energy/v1/graphql/"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(slots=True)
class _Refresh:
    user_id: int
    expires_at: datetime


class TokenStore:
    """Issues and checks tokens; expiry is judged on the simulator clock, not the JWT library's."""

    def __init__(self, secret: bytes = b"octopus-simulator") -> None:
        self._secret = secret
        self._counter = 0
        self._refresh: dict[str, _Refresh] = {}
        self._revoked: set[str] = set()

    def _sign(self, message: str) -> str:
        return _b64(hmac.new(self._secret, message.encode(), hashlib.sha256).digest())

    def issue(self, user: User, now: datetime, rules: AuthRules) -> dict[str, Any]:
        """The ``obtainKrakenToken`` result for a user."""
        self._counter += 1
        issued = int(now.timestamp())
        payload = {
            "sub": f"kraken|account-user:{user.user_id}",
            "gty": "API-KEY",
            "email": user.email,
            "tokenUse": "access",
            "iss": ISSUER,
            "iat": issued,
            "exp": issued + int(rules.token_lifetime.total_seconds()),
            "origIat": issued,
            "jti": self._counter,  # keeps tokens issued in the same second distinct
        }
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        token = f"{header}.{body}.{self._sign(f'{header}.{body}')}"
        refresh = self._sign(f"refresh:{user.user_id}:{self._counter}").replace("-", "")[:40]
        refresh_expires = now + rules.refresh_lifetime
        self._refresh[refresh] = _Refresh(user.user_id, refresh_expires)
        return {
            "token": token,
            "payload": payload,
            "refreshToken": refresh,
            "refreshExpiresIn": int(refresh_expires.timestamp()),
        }

    def user_id_for(self, header: str, now: datetime, rules: AuthRules) -> int:
        """Validate an ``Authorization`` header value; raise the Kraken error if it fails."""
        token = header.strip()
        for prefix in ("JWT ", "Bearer "):
            token = token.removeprefix(prefix)
        parts = token.split(".")
        if len(parts) != 3 or not hmac.compare_digest(
            self._sign(f"{parts[0]}.{parts[1]}"), parts[2]
        ):
            raise KrakenError("KT-CT-1111")
        payload = json.loads(_unb64(parts[1]))
        if token in self._revoked or payload["exp"] <= now.timestamp():
            raise KrakenError(rules.expired_token_code)
        return int(payload["sub"].rpartition(":")[2])

    def user_id_for_refresh(self, refresh_token: str, now: datetime) -> int:
        """Validate a refresh token; KT-CT-1135 unknown, KT-CT-1134 expired."""
        entry = self._refresh.get(refresh_token)
        if entry is None:
            raise KrakenError(
                "KT-CT-1135",
                validationErrors=validation_errors(
                    "Invalid refresh token.", "input", "refreshToken"
                ),
            )
        if entry.expires_at <= now:
            raise KrakenError("KT-CT-1134")
        return entry.user_id

    def revoke(self, header: str) -> None:
        """Make a presented token count as expired from now on (the ``expired_token`` fault)."""
        token = header.strip()
        for prefix in ("JWT ", "Bearer "):
            token = token.removeprefix(prefix)
        self._revoked.add(token)
