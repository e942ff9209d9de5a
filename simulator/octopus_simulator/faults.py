"""Faults on demand: the failures a client must survive, injected for the next N requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
import random


class FaultKind(StrEnum):
    """What goes wrong."""

    SERVER_ERROR = "server_error"  # 503 with an HTML body, as a load balancer sends it
    TIMEOUT = "timeout"  # the response comes after the client gave up
    RATE_LIMIT = "rate_limit"  # HTTP 429 with Retry-After
    GRAPHQL_RATE_LIMIT = "graphql_rate_limit"  # KT-CT-1199 in a 200 response
    MALFORMED_JSON = "malformed_json"  # 200 with a truncated JSON body
    EXPIRED_TOKEN = "expired_token"  # the presented token has expired (GraphQL)
    AUTH_ERROR = "auth_error"  # 401 on REST, KT-CT-1139/1111 on GraphQL
    NOT_FOUND = "not_found"  # 404 "Not found." (a retired product, even to its customers)
    LOST_TIMEOUT = "lost_timeout"  # carried out, but answered only after the client gave up
    LOST_502 = "lost_502"  # carried out, but a proxy answers 502 Bad Gateway instead
    CONNECTION_RESET = "connection_reset"  # the connection drops before any answer (not done)
    RATE_LIMIT_NO_RETRY_AFTER = "rate_limit_no_retry_after"  # HTTP 429 naming no wait
    QUERY_TOO_COMPLEX = "query_too_complex"  # KT-CT-1188: over the complexity allowance
    TOO_MANY_NODES = "too_many_nodes"  # KT-CT-1189: over the node allowance
    EMPTY_PAGE = "empty_page"  # 200 ``results: []`` whose ``next`` leads to the real page
    EMPTY_BODY = "empty_body"  # 200 with nothing in the body (carried out)


GRAPHQL_ONLY = frozenset(
    {
        FaultKind.GRAPHQL_RATE_LIMIT,
        FaultKind.EXPIRED_TOKEN,
        FaultKind.QUERY_TOO_COMPLEX,
        FaultKind.TOO_MANY_NODES,
    }
)
REST_ONLY = frozenset({FaultKind.EMPTY_PAGE})
GRAPHQL_PATH = "/v1/graphql/"


def applies_to(kind: FaultKind, path: str) -> bool:
    """Whether a fault of ``kind`` can hit a request to ``path`` (GraphQL or REST)."""
    if kind in GRAPHQL_ONLY:
        return path == GRAPHQL_PATH
    if kind in REST_ONLY:
        return path != GRAPHQL_PATH
    return True


@dataclass(slots=True)
class Fault:
    """A pending fault and how many more requests it hits."""

    kind: FaultKind
    remaining: int
    path_contains: str | None = None
    operation: str | None = None
    retry_after: int | None = None
    delay: float | None = None

    def matches(self, path: str, fields: tuple[str, ...], operation: str | None) -> bool:
        """Whether this fault applies to a request."""
        if not applies_to(self.kind, path):
            return False
        if self.path_contains is not None and self.path_contains not in path:
            return False
        return self.operation is None or self.operation == operation or self.operation in fields

    def as_dict(self) -> dict[str, object]:
        """JSON form for ``GET /_sim/faults``."""
        return {
            "kind": self.kind.value,
            "remaining": self.remaining,
            "path_contains": self.path_contains,
            "operation": self.operation,
            "retry_after": self.retry_after,
            "delay": self.delay,
        }


class FaultInjector:
    """Queue of faults; the first matching one with hits left is applied to a request."""

    def __init__(self, timeout_seconds: float = 60.0) -> None:
        self.timeout_seconds = timeout_seconds  # how long a "timeout" stalls by default
        self.default_retry_after = 60
        self._faults: list[Fault] = []
        self._random: tuple[float, tuple[FaultKind, ...], random.Random] | None = None

    def fail_randomly(
        self, rate: float, kinds: Sequence[FaultKind | str], *, seed: int = 0
    ) -> None:
        """Fail each request with probability ``rate``, with a kind drawn from ``kinds``.

        Seeded, so a soak is repeatable; queued faults go first. ``rate=0`` stops it.
        """
        chosen = tuple(FaultKind(kind) for kind in kinds)
        self._random = (rate, chosen, random.Random(seed)) if rate > 0 and chosen else None

    def inject(
        self,
        kind: FaultKind | str,
        count: int = 1,
        *,
        path_contains: str | None = None,
        retry_after: int | None = None,
        operation: str | None = None,
        delay: float | None = None,
    ) -> Fault:
        """Make the next ``count`` matching requests fail with ``kind``."""
        if count < 1:
            raise ValueError("count must be at least 1")
        fault = Fault(FaultKind(kind), count, path_contains, operation, retry_after, delay)
        self._faults.append(fault)
        return fault

    def take(
        self, path: str, fields: tuple[str, ...] = (), operation: str | None = None
    ) -> Fault | None:
        """Consume one hit of the first fault matching a request."""
        for fault in self._faults:
            if fault.matches(path, fields, operation):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        if self._random is not None:
            rate, kinds, rng = self._random
            if rng.random() < rate:
                usable = [k for k in kinds if applies_to(k, path)]
                if usable:
                    return Fault(rng.choice(usable), 1)
        return None

    def clear(self) -> None:
        """Drop all pending faults."""
        self._faults.clear()

    @property
    def pending(self) -> list[Fault]:
        """Faults still waiting for requests."""
        return list(self._faults)
