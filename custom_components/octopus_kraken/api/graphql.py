"""Kraken GraphQL: executing documents and turning ``errors[]`` into the client's exceptions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .auth import TokenManager
from .exceptions import (
    OctopusAuthError,
    OctopusBoostRefusedError,
    OctopusError,
    OctopusGraphQLError,
    OctopusNotFoundError,
    OctopusQueryTooLargeError,
    OctopusRateLimitError,
    OctopusResponseError,
    OctopusUnavailableError,
)
from .queries import OBTAIN_TOKEN, OBTAIN_TOKEN_MUTATION
from .transport import Response, Transport
from .values import JSONObject, as_list, as_object, decode_json

GRAPHQL_PATH = "/v1/graphql/"

# The token expired: refresh it once and repeat the request.
TOKEN_EXPIRED_CODES = frozenset({"KT-CT-1120", "KT-CT-1124"})
# Bad or missing credentials, or an account the key may not see: the user must act.
AUTH_CODES = frozenset(
    {"KT-CT-1111", "KT-CT-1112", "KT-CT-1134", "KT-CT-1135", "KT-CT-1139", "KT-CT-4177"}
)
# Too many requests. KT-CT-1199 says errorType AUTHORIZATION but is never a credentials problem;
# KT-GB-4042 is the Home Mini telemetry's own limit.
RATE_LIMIT_CODES = frozenset({"KT-CT-1199", "KT-GB-4042"})
# Only KT-CT-1199 is the account's allowance; KT-GB-4042 limits one kind of query.
ACCOUNT_RATE_LIMIT_CODE = "KT-CT-1199"
# The query is over Kraken's complexity (1188) or node (1189) allowance for one request.
TOO_LARGE_CODES = frozenset({"KT-CT-1188", "KT-CT-1189"})
BOOST_REFUSED_CODE = "KT-CT-4357"
NO_PLANNED_DISPATCHES_CODE = "KT-CT-4340"


@dataclass(frozen=True, slots=True)
class GraphQLErrorInfo:
    """One entry of a GraphQL response's ``errors``."""

    code: str | None
    message: str
    path: tuple[str | int, ...] = ()
    extensions: Mapping[str, Any] = field(default_factory=dict)


type ErrorFilter = Callable[[GraphQLErrorInfo], bool]


class _TokenExpiredError(Exception):
    def __init__(self, code: str | None) -> None:
        super().__init__(code)
        self.code = code


def _error_info(raw: object) -> GraphQLErrorInfo:
    item = as_object(raw, "error")
    extensions = item.get("extensions")
    extensions = as_object(extensions, "extensions") if extensions is not None else {}
    code = extensions.get("errorCode")
    message = item.get("message")
    path = item.get("path")
    return GraphQLErrorInfo(
        code=code if isinstance(code, str) else None,
        message=message if isinstance(message, str) else "GraphQL error",
        path=tuple(p for p in path if isinstance(p, str | int)) if isinstance(path, list) else (),
        extensions=extensions,
    )


def _raise_for_errors(errors: list[GraphQLErrorInfo], response: Response) -> None:
    """Raise the exception of the most telling error (rate limit first: it decides the wait)."""
    for info in errors:
        if info.code in RATE_LIMIT_CODES:
            raise OctopusRateLimitError(
                info.message, retry_after=response.retry_after, code=info.code
            )
    for info in errors:
        if info.code in TOKEN_EXPIRED_CODES:
            raise _TokenExpiredError(info.code)
    for info in errors:
        if info.code in AUTH_CODES:
            raise OctopusAuthError(info.message, code=info.code)
    info = errors[0]
    if info.code in TOO_LARGE_CODES:
        raise OctopusQueryTooLargeError(info.code, info.message)
    if info.code == BOOST_REFUSED_CODE:
        reasons = info.extensions.get("boostChargeRefusalReasons")
        raise OctopusBoostRefusedError(
            tuple(str(reason) for reason in reasons) if isinstance(reasons, list) else (),
            info.message,
        )
    raise OctopusGraphQLError(info.code, info.message)


def interpret(response: Response, tolerated: ErrorFilter | None = None) -> JSONObject:
    """The ``data`` of a GraphQL response, or the exception its errors or status call for."""
    try:
        payload = as_object(decode_json(response.body), "response")
    except OctopusResponseError:
        if response.status in (401, 403):
            raise OctopusAuthError(status=response.status) from None
        if response.status == 404:
            raise OctopusNotFoundError(f"{GRAPHQL_PATH} not found") from None
        if response.status != 200:
            raise OctopusError(f"HTTP {response.status}", status=response.status) from None
        raise
    if payload.get("errors"):
        try:
            errors = [_error_info(raw) for raw in as_list(payload["errors"], "errors")]
        except OctopusResponseError:
            raise OctopusResponseError("Malformed GraphQL errors") from None
        untolerated = [info for info in errors if tolerated is None or not tolerated(info)]
        if untolerated:
            _raise_for_errors(untolerated, response)
        # Every error was tolerated: the fields they hit read as missing.
        return as_object(payload.get("data") or {}, "data")
    if response.status in (401, 403):
        raise OctopusAuthError(status=response.status)
    if response.status != 200:
        raise OctopusError(f"HTTP {response.status}", status=response.status)
    data = payload.get("data")
    if data is None:
        raise OctopusResponseError("GraphQL response without data")
    return as_object(data, "data")


class GraphQLExecutor:
    """Sends documents with a valid token, refreshing it once if the API says it expired."""

    def __init__(self, transport: Transport, api_key: str) -> None:
        self._transport = transport
        self.tokens = TokenManager(api_key, self._obtain_token)

    async def _obtain_token(self, token_input: dict[str, str]) -> JSONObject:
        return await self.execute(
            OBTAIN_TOKEN, OBTAIN_TOKEN_MUTATION, {"input": token_input}, authenticated=False
        )

    async def execute(
        self,
        operation: str,
        document: str,
        variables: Mapping[str, Any] | None = None,
        *,
        authenticated: bool = True,
        tolerated: ErrorFilter | None = None,
    ) -> JSONObject:
        """Run ``document`` and return its ``data``; ``tolerated`` errors are not raised.

        A mutation (other than a token request) is sent once: after a timeout or 5xx it may have
        been carried out, so the error is raised for the caller to check, never sent again.
        """
        body = {"query": document, "variables": dict(variables or {}), "operationName": operation}
        # A query (or a token request) may be asked again after a cut-off answer; any other
        # mutation may have been carried out.
        repeatable = operation == OBTAIN_TOKEN or not document.lstrip().startswith("mutation")
        for attempt in range(2):
            token = await self.tokens.async_get() if authenticated else None
            response = await self._transport.request(
                "POST",
                self._transport.url(GRAPHQL_PATH),
                operation=f"graphql:{operation}",
                log_path=GRAPHQL_PATH,
                json=body,
                headers={"Authorization": token} if token else None,
                retry_unreadable=repeatable,
                retry=repeatable,
            )
            try:
                return interpret(response, tolerated)
            except OctopusRateLimitError as err:
                if err.code == ACCOUNT_RATE_LIMIT_CODE:
                    # The account's allowance is spent: rest every caller, not only this one.
                    err.retry_after = self._transport.start_cool_down(
                        err.retry_after, reason=f"{err.code} on {operation}"
                    )
                raise
            except _TokenExpiredError as err:
                if token is None:
                    raise OctopusAuthError("Token expired", code=err.code) from None
                if attempt:
                    # A token obtained a moment ago with the key, called expired again: the key
                    # works, so this is the API's trouble, not the user's (no reauth).
                    raise OctopusUnavailableError("A fresh token was refused") from None
                self.tokens.invalidate(token)
        raise AssertionError("unreachable")  # pragma: no cover
