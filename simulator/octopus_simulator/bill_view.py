"""``GET /_sim/bill``: the biller's charges of a meter over UK days, as JSON.

Query: ``meter`` (MPAN or MPRN), ``from`` and ``to`` (ISO dates, inclusive; ``to`` defaults to
``from``), optional ``calorific_value`` (MJ/m³, gas from m³ meters) and ``night_window``
(``HH:MM-HH:MM`` in UTC, Economy 7; the meter's switched night window by default), optional
``tariff`` (a tariff code: bill the meter's consumption as if that tariff had been in force, as
a tariff comparison would).
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal, InvalidOperation

from aiohttp import web

from octopus_simulator.biller import DEFAULT_CALORIFIC_VALUE, bill_days
from octopus_simulator.catalogue import parse_tariff_code
from octopus_simulator.keys import SIM

MAX_DAYS = 400


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(
        text=web.json_response({"error": message}).text, content_type="application/json"
    )


def _window(text: str | None) -> tuple[time, time] | None:
    if not text:
        return None  # the meter's own, as the scenario's switches set it
    start, end = text.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


async def get_bill(request: web.Request) -> web.Response:
    """The bill of each day in the range, and the range's totals."""
    scenario = request.app[SIM].scenario
    query = request.query
    try:
        meter = query["meter"]
        first = date.fromisoformat(query["from"])
        last = date.fromisoformat(query.get("to", query["from"]))
        calorific = Decimal(query.get("calorific_value", str(DEFAULT_CALORIFIC_VALUE)))
        window = _window(query.get("night_window"))
        tariff = query.get("tariff") or None
        if tariff is not None and parse_tariff_code(tariff) is None:
            raise ValueError(f"unknown tariff {tariff}")
    except (KeyError, ValueError, InvalidOperation) as error:
        raise _bad(f"bad query: {error}") from None
    if not 0 <= (last - first).days < MAX_DAYS:
        raise _bad(f"from..to must span 1 to {MAX_DAYS} days")
    try:
        bills = bill_days(
            scenario,
            meter,
            first,
            last,
            calorific_value=calorific,
            night_window=window,
            tariff_code=tariff,
        )
    except KeyError:
        raise _bad(f"unknown meter {meter}") from None
    return web.json_response(
        {
            "days": [bill.as_dict() for bill in bills],
            "exact_pence": str(sum((b.exact for b in bills), Decimal(0))),
            "total_pence": str(sum((b.total for b in bills), Decimal(0))),
        }
    )


def add_routes(app: web.Application) -> None:
    """Register ``/_sim/bill``."""
    app.router.add_get("/_sim/bill", get_bill)
