"""What every REST handler shares: JSON numbers, errors in DRF's shapes, paging, periods, auth."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NoReturn, overload

from aiohttp import web

from octopus_simulator.timeutil import parse_api_datetime

if TYPE_CHECKING:
    from octopus_simulator.app import Simulator
    from octopus_simulator.scenario import User

NOT_FOUND = {"detail": "Not found."}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
INVALID_KEY = {"detail": "Invalid API key."}


def number(value: Decimal) -> int | float:
    """A JSON number as the API writes it: ``11`` for whole values, ``11.55`` otherwise."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def json_error(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> NoReturn:
    """Abort with ``status`` and a JSON body (``{"detail": ...}`` or field errors)."""
    error_class = _ERRORS[status]
    raise error_class(
        text=web.json_response(body).text, content_type="application/json", headers=headers
    )


_ERRORS: dict[int, type[web.HTTPException]] = {
    400: web.HTTPBadRequest,
    401: web.HTTPUnauthorized,
    404: web.HTTPNotFound,
}


def base_url(request: web.Request) -> str:
    """``http://host:port`` of this server as the client addressed it."""
    return f"{request.scheme}://{request.host}"


def parse_period(request: web.Request) -> tuple[datetime | None, datetime | None]:
    """``period_from`` (inclusive) and ``period_to`` (exclusive); 400 on bad input."""
    values: dict[str, datetime | None] = {}
    for name in ("period_from", "period_to"):
        raw = request.query.get(name)
        if raw is None or raw == "":
            values[name] = None
            continue
        try:
            values[name] = parse_api_datetime(raw)
        except ValueError:
            json_error(400, {name: ["Enter a valid date/time."]})
    if values["period_to"] is not None and values["period_from"] is None:
        json_error(400, {"period_to": ["period_to requires period_from to be provided."]})
    return values["period_from"], values["period_to"]


def parse_bool(request: web.Request, name: str) -> bool | None:
    """A boolean filter (``true``/``false``); ``None`` when absent."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    lowered = raw.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    json_error(400, {name: ["Select a valid choice."]})


class Mapped[T](Sequence[dict[str, Any]]):
    """``[render(row) for row in rows]`` (newest first with ``reverse``), rendered when read.

    ``rows`` may itself be lazy: paging then renders (and makes) only the page's rows.
    """

    __slots__ = ("_render", "_reverse", "_rows")

    def __init__(
        self, rows: Sequence[T], render: Callable[[T], dict[str, Any]], *, reverse: bool = False
    ) -> None:
        self._rows = rows
        self._render = render
        self._reverse = reverse

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        count = len(self._rows)
        if not isinstance(index, slice):
            if index < 0:
                index += count
            if not 0 <= index < count:
                raise IndexError(index)
            return self._render(self._rows[count - 1 - index if self._reverse else index])
        picked = range(count)[index]
        if picked.step != 1:
            return [self[i] for i in picked]
        if not picked:
            return []
        if self._reverse:
            chunk = list(self._rows[count - picked.stop : count - picked.start])
            chunk.reverse()
        else:
            chunk = list(self._rows[picked.start : picked.stop])
        return [self._render(row) for row in chunk]


def paginate(
    request: web.Request, items: Sequence[dict[str, Any]], *, max_size: int, default_size: int = 100
) -> dict[str, Any]:
    """DRF page-number pagination with absolute ``next``/``previous`` links on this host."""
    try:
        page = int(request.query.get("page", "1"))
    except ValueError:
        json_error(404, {"detail": "Invalid page."})
    try:
        size = int(request.query.get("page_size", str(default_size)))
    except ValueError:
        size = default_size
    size = min(max(size, 1), max_size)
    count = len(items)
    start = (page - 1) * size
    if page < 1 or (start >= count and page != 1):
        json_error(404, {"detail": "Invalid page."})
    url = request.url  # absolute, built from the Host header the client sent
    params = [(k, v) for k, v in request.query.items() if k != "page"]
    next_url = None
    if start + size < count:
        next_url = str(url.with_query([*params, ("page", str(page + 1))]))
    previous_url = None
    if page > 1:
        previous_url = str(
            url.with_query(params if page == 2 else [*params, ("page", str(page - 1))])
        )
    return {
        "count": count,
        "next": next_url,
        "previous": previous_url,
        "results": list(items[start : start + size]),
    }


def authenticate(request: web.Request, sim: Simulator) -> User:
    """HTTP Basic auth with the API key as user name; 401 in DRF's words otherwise."""
    header = request.headers.get("Authorization", "")
    challenge = {"WWW-Authenticate": 'Basic realm="api"'}
    if not header.lower().startswith("basic "):
        json_error(401, NO_CREDENTIALS, challenge)
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        json_error(401, INVALID_KEY, challenge)
    api_key = decoded.partition(":")[0]
    user = sim.scenario.user_for_key(api_key)
    if user is None:
        json_error(401, INVALID_KEY, challenge)
    return user


def optional_user(request: web.Request, sim: Simulator) -> User | None:
    """The user of a valid Basic auth header, or ``None`` (public endpoints never refuse)."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return sim.scenario.user_for_key(decoded.partition(":")[0])
