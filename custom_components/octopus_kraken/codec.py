"""Turn the API's frozen dataclasses into JSON and back, for the coordinators' caches.

Decimals travel as strings (no float rounding), datetimes as ISO 8601, enums as their values,
tuples as lists. Reading is driven by the dataclasses' type hints, so a cache written by an older
version with a missing optional field still loads, and a wrong shape raises ``ValueError``.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
import types
from typing import Any, Union, get_args, get_origin, get_type_hints

from homeassistant.util import dt as dt_util


def to_json(value: Any) -> Any:
    """Encode a dataclass (or a container of them) as JSON-compatible data."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    return value


def from_json[T](cls: type[T], data: Any) -> T:
    """Decode ``data`` written by :func:`to_json` into ``cls``."""
    return _decode(cls, data)  # type: ignore[no-any-return]


def _decode(tp: Any, data: Any) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        if data is None:
            return None
        members = [arg for arg in get_args(tp) if arg is not type(None)]
        return _decode(members[0], data)
    if origin in (tuple, list):
        if not isinstance(data, list):
            raise ValueError(f"expected a list for {tp}")
        decoded = [_decode(get_args(tp)[0], item) for item in data]
        return tuple(decoded) if origin is tuple else decoded
    if origin is dict:
        key_type, value_type = get_args(tp)
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {tp}")
        return {_decode(key_type, k): _decode(value_type, v) for k, v in data.items()}
    if is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {tp.__name__}")
        hints = get_type_hints(tp)
        kwargs: dict[str, Any] = {}
        for field in fields(tp):
            if field.name in data:
                kwargs[field.name] = _decode(hints[field.name], data[field.name])
            elif field.default is MISSING and field.default_factory is MISSING:
                raise ValueError(f"{tp.__name__}.{field.name} missing")
        return tp(**kwargs)
    if tp is Decimal:
        try:
            return Decimal(str(data))
        except InvalidOperation as err:
            raise ValueError("not a decimal") from err
    if tp is datetime:
        parsed = dt_util.parse_datetime(str(data))
        if parsed is None or parsed.tzinfo is None:
            raise ValueError("not an aware datetime")
        return dt_util.as_utc(parsed)
    if tp is date:
        return date.fromisoformat(str(data))
    if tp is time:
        return time.fromisoformat(str(data))
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if tp in (str, int, float, bool):
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise ValueError(f"expected {tp.__name__}")
        return data
    return data
