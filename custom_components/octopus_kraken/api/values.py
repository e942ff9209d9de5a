"""Strict readers of JSON values: each returns the expected type or raises OctopusResponseError.

JSON is decoded with ``parse_float=Decimal``, so numbers arrive as ``int`` or ``Decimal``; GraphQL
decimals arrive as strings. Every datetime returned is aware and in UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
import functools
import json
from typing import Any

from .exceptions import OctopusResponseError

type JSONObject = Mapping[str, Any]


def decode_json(body: bytes) -> Any:
    """Decode a response body; floats become exact ``Decimal``s, NaN and Infinity are refused."""

    def _refuse_constant(name: str) -> Any:
        raise ValueError(f"non-finite number {name}")

    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError) as err:
        raise OctopusResponseError(f"Malformed JSON: {err.__class__.__name__}") from None


def strict[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Turn any stray lookup or conversion error of a parser into OctopusResponseError."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except OctopusResponseError:
            raise
        except (
            KeyError,
            IndexError,
            TypeError,
            ValueError,
            AttributeError,
            ArithmeticError,
        ) as err:
            raise OctopusResponseError(
                f"Unexpected payload in {func.__name__}: {err.__class__.__name__}"
            ) from err

    return wrapper


def _fail(where: str, expected: str, value: object) -> OctopusResponseError:
    return OctopusResponseError(f"{where}: expected {expected}, got {type(value).__name__}")


def as_object(value: object, where: str) -> JSONObject:
    """A JSON object."""
    if not isinstance(value, Mapping):
        raise _fail(where, "object", value)
    return value


def as_list(value: object, where: str) -> list[Any]:
    """A JSON array."""
    if not isinstance(value, list):
        raise _fail(where, "array", value)
    return value


def opt_list(obj: JSONObject, key: str) -> list[Any]:
    """An array that may be missing or null (read as empty)."""
    value = obj.get(key)
    return [] if value is None else as_list(value, key)


def req_str(obj: JSONObject, key: str) -> str:
    """A required string."""
    value = obj.get(key)
    if not isinstance(value, str):
        raise _fail(key, "string", value)
    return value


def opt_str(obj: JSONObject, key: str) -> str | None:
    """A string that may be missing or null."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(key, "string", value)
    return value


def req_bool(obj: JSONObject, key: str) -> bool:
    """A required boolean."""
    value = obj.get(key)
    if not isinstance(value, bool):
        raise _fail(key, "boolean", value)
    return value


def opt_bool(obj: JSONObject, key: str, default: bool = False) -> bool:
    """A boolean that may be missing or null."""
    value = obj.get(key)
    return default if value is None else req_bool(obj, key)


def opt_int(obj: JSONObject, key: str) -> int | None:
    """An integer that may be missing or null (a decimal with no fraction is accepted)."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise _fail(key, "integer", value)
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _fail(key, "integer", value) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise _fail(key, "integer", value)
    return int(number)


def to_decimal(value: object, where: str) -> Decimal:
    """A finite decimal from a JSON number or a decimal string."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise _fail(where, "number", value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _fail(where, "number", value) from None
    if not number.is_finite():
        raise _fail(where, "finite number", value)
    return number


def req_decimal(obj: JSONObject, key: str) -> Decimal:
    """A required number."""
    return to_decimal(obj.get(key), key)


def opt_decimal(obj: JSONObject, key: str) -> Decimal | None:
    """A number that may be missing or null."""
    value = obj.get(key)
    return None if value is None else to_decimal(value, key)


def to_datetime(value: object, where: str) -> datetime:
    """An aware ISO 8601 datetime (``Z`` or an offset), converted to UTC."""
    if not isinstance(value, str):
        raise _fail(where, "datetime string", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise OctopusResponseError(f"{where}: not an ISO 8601 datetime") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise OctopusResponseError(f"{where}: datetime without a time zone")
    return parsed.astimezone(UTC)


def req_datetime(obj: JSONObject, key: str) -> datetime:
    """A required aware datetime, in UTC."""
    return to_datetime(obj.get(key), key)


def opt_datetime(obj: JSONObject, key: str) -> datetime | None:
    """An aware datetime that may be missing or null, in UTC."""
    value = obj.get(key)
    return None if value is None else to_datetime(value, key)


def format_datetime(value: datetime) -> str:
    """A query-string datetime: UTC, ``Z`` form, whole seconds unless there are microseconds."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    utc = value.astimezone(UTC)
    if utc.microsecond:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
