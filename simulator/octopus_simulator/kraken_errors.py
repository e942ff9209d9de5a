"""Kraken's GraphQL error shape: a message plus ``extensions`` with the KT code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import GraphQLError, Node

AUTHORIZATION = "AUTHORIZATION"
VALIDATION = "VALIDATION"
APPLICATION = "APPLICATION"

# code -> (errorType, message, errorDescription)
CODES: dict[str, tuple[str, str, str]] = {
    "KT-CT-1111": (AUTHORIZATION, "Unauthorized.", "Unauthorized."),
    "KT-CT-1112": (AUTHORIZATION, "Authentication failed.", "'Authorization' header not provided."),
    "KT-CT-1120": (AUTHORIZATION, "Signature of the JWT has expired.", "Token has expired."),
    "KT-CT-1124": (AUTHORIZATION, "Signature of the JWT has expired.", "Token has expired."),
    "KT-CT-1134": (VALIDATION, "Invalid data.", "Refresh token has expired."),
    "KT-CT-1135": (VALIDATION, "Invalid data.", "Invalid refresh token."),
    "KT-CT-1139": (VALIDATION, "Invalid data.", "Authentication failed."),
    "KT-CT-1188": (
        VALIDATION,
        "Query complexity limit exceeded.",
        "Query complexity limit exceeded.",
    ),
    # Not in the reference: the wording of the node allowance (10,000 per request) is a guess.
    "KT-CT-1189": (
        VALIDATION,
        "Query node limit exceeded.",
        "Query exceeds the maximum number of nodes.",
    ),
    "KT-CT-1199": (AUTHORIZATION, "Too many requests.", "Too many requests."),
    "KT-CT-4177": (AUTHORIZATION, "Unauthorized.", "Unauthorized."),
    "KT-CT-9218": (AUTHORIZATION, "Unauthorized.", "Unauthorized."),
    # Not in the reference: the code the simulator uses for preferences out of bounds.
    "KT-CT-4321": (VALIDATION, "Invalid data.", "Serializer validation error."),
    "KT-CT-4340": (
        APPLICATION,
        "Unable to fetch planned dispatches.",
        "Unable to fetch planned dispatches.",
    ),
    "KT-CT-4341": (
        APPLICATION,
        "Unable to fetch completed dispatches.",
        "Unable to fetch completed dispatches.",
    ),
    "KT-CT-4360": (
        APPLICATION,
        "Device status could not be fetched.",
        "Device status could not be fetched.",
    ),
    "KT-CT-4354": (APPLICATION, "Unable to cancel boost charge.", "Unable to cancel boost charge."),
    "KT-CT-4357": (
        APPLICATION,
        "Unable to trigger boost charge.",
        "Unable to trigger boost charge.",
    ),
    "KT-CT-4358": (APPLICATION, "Unable to suspend device.", "Unable to suspend device."),
    "KT-CT-4359": (APPLICATION, "Unable to unsuspend device.", "Unable to unsuspend device."),
    "KT-GB-4039": (
        APPLICATION,
        "Unable to query smart meter telemetry data.",
        "Unable to query smart meter telemetry data.",
    ),
    "KT-GB-4040": (
        VALIDATION,
        "'start', 'end', and 'grouping' must all be provided.",
        "'start', 'end', and 'grouping' must all be provided.",
    ),
    "KT-GB-4041": (
        VALIDATION,
        "'end' should be later than 'start'.",
        "'end' should be later than 'start'.",
    ),
    "KT-GB-4042": (
        APPLICATION,
        "Too many requests. Please wait before trying again.",
        "Too many requests. Please wait before trying again.",
    ),
    "KT-GB-4050": (VALIDATION, "Smart meter not found.", "Smart meter not found."),
    "KT-GB-4051": (
        VALIDATION,
        "The start of the range is too far in the past.",
        "The start of the range is too far in the past.",
    ),
    "KT-GB-4056": (
        APPLICATION,
        "No Device Network (HAN) record found for the device.",
        "No Device Network (HAN) record found for the device.",
    ),
}


class KrakenError(GraphQLError):
    """A GraphQL error carrying a Kraken error code in its extensions."""

    def __init__(
        self,
        code: str,
        *,
        description: str | None = None,
        nodes: Sequence[Node] | None = None,
        **extra: Any,
    ) -> None:
        error_type, message, default_description = CODES[code]
        extensions: dict[str, Any] = {
            "errorType": error_type,
            "errorCode": code,
            "errorDescription": description or default_description,
            "errorClass": error_type,
        }
        extensions.update(extra)
        super().__init__(message, nodes=nodes, extensions=extensions)
        self.code = code


def validation_errors(message: str, *input_path: str) -> list[dict[str, Any]]:
    """``extensions.validationErrors`` as Kraken lists them for bad input."""
    return [{"message": message, "inputPath": list(input_path)}]
