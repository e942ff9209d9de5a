"""The one exception hierarchy of the Octopus API client.

Every failure the client can meet surfaces as an ``OctopusError``: callers never see aiohttp,
``asyncio`` timeouts, or the ``KeyError``/``ValueError`` of a malformed payload.
``code`` carries the Kraken error code (``KT-CT-1139``) where there is one, ``status`` the HTTP
status where the failure came from one.
"""

from __future__ import annotations


class OctopusError(Exception):
    """Base class of every error the API client raises."""

    def __init__(
        self,
        message: str = "Octopus API error",
        *,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class OctopusAuthError(OctopusError):
    """The API key (or a token derived from it) is not accepted: the user must re-authenticate."""

    def __init__(
        self,
        message: str = "Authentication failed",
        *,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)


class OctopusRateLimitError(OctopusError):
    """Too many requests; wait ``retry_after`` seconds (when known) before asking again.

    Kraken's KT-CT-1199 has ``errorType`` AUTHORIZATION but is never a credentials problem.
    """

    def __init__(
        self,
        message: str = "Rate limited",
        *,
        retry_after: float | None = None,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.retry_after = retry_after


class OctopusNotFoundError(OctopusError):
    """The resource does not exist (HTTP 404): an unknown product, tariff, meter point or meter."""

    def __init__(
        self,
        message: str = "Not found",
        *,
        code: str | None = None,
        status: int | None = 404,
    ) -> None:
        super().__init__(message, code=code, status=status)


class OctopusProductUnavailableError(OctopusNotFoundError):
    """A product or tariff refuses this key (HTTP 401, 403 or 404): restricted, retired or unknown.

    Products are public, so this is never the key's fault: it concerns one meter's prices, and
    must not start re-authentication (the account's own requests tell whether the key is good).
    """

    def __init__(
        self,
        message: str = "Product unavailable",
        *,
        code: str | None = None,
        status: int | None = 404,
    ) -> None:
        super().__init__(message, code=code, status=status)


class OctopusUnavailableError(OctopusError):
    """The API could not be reached or failed on its side (5xx, timeout, connection error)."""

    def __init__(
        self,
        message: str = "Octopus API unavailable",
        *,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)


class OctopusResponseError(OctopusError):
    """The API answered with something the client cannot understand (malformed or unexpected)."""

    def __init__(
        self,
        message: str = "Invalid response",
        *,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)


class OctopusGraphQLError(OctopusError):
    """A GraphQL error with a Kraken code that has no more specific exception."""

    def __init__(self, code: str | None, message: str, *, status: int | None = None) -> None:
        super().__init__(message, code=code, status=status)


class OctopusQueryTooLargeError(OctopusGraphQLError):
    """KT-CT-1188 / KT-CT-1189: a query over Kraken's complexity or node allowance.

    Neither a credentials problem nor a rate limit: the same query fails again at once, so it is
    not repeated on the spot; a smaller query (or a later try, when the data behind it shrank)
    may pass.
    """


class OctopusBoostRefusedError(OctopusGraphQLError):
    """KT-CT-4357: a boost charge was refused; ``reasons`` are e.g. ``BC_DEVICE_DISCONNECTED``."""

    def __init__(
        self,
        reasons: tuple[str, ...],
        message: str = "Boost charge refused",
        *,
        code: str | None = "KT-CT-4357",
    ) -> None:
        super().__init__(code, message)
        self.reasons = reasons
