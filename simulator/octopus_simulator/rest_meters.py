"""Meter point detail and consumption (HTTP Basic auth with the API key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from octopus_simulator.choices import MeterPointAuth
from octopus_simulator.consumption import GROUPINGS, group, intervals
from octopus_simulator.keys import SIM
from octopus_simulator.restutil import (
    NOT_FOUND,
    authenticate,
    json_error,
    number,
    paginate,
    parse_period,
)
from octopus_simulator.timeutil import iso_z

if TYPE_CHECKING:
    pass

CONSUMPTION_MAX_PAGE_SIZE = 25_000


async def electricity_meter_point(request: web.Request) -> web.Response:
    """``GET /v1/electricity-meter-points/{mpan}/``: the GSP and profile class of an MPAN."""
    sim = request.app[SIM]
    rule = sim.scenario.choices.meter_point_auth
    user = None if rule is MeterPointAuth.PUBLIC else authenticate(request, sim)
    try:
        account, _, point = sim.scenario.electricity_point(request.match_info["mpan"])
    except KeyError:
        json_error(404, NOT_FOUND)
    if rule is MeterPointAuth.OWNER_ONLY and (
        user is None or account.number not in user.account_numbers
    ):
        json_error(404, NOT_FOUND)
    return web.json_response(
        {"gsp": point.gsp, "mpan": point.mpan, "profile_class": point.profile_class}
    )


async def consumption(request: web.Request) -> web.Response:
    """Half-hourly (or grouped) consumption of one meter, newest first unless ``order_by``."""
    sim = request.app[SIM]
    user = authenticate(request, sim)
    identifier = request.match_info["point"]
    serial = request.match_info["serial"]
    scenario = sim.scenario
    try:
        if request.match_info["fuel"] == "electricity":
            account, _, elec = scenario.electricity_point(identifier)
            serials = {m.serial_number for m in elec.meters}
        else:
            account, _, gas = scenario.gas_point(identifier)
            serials = {m.serial_number for m in gas.meters}
    except KeyError:
        json_error(404, NOT_FOUND)
    # Another customer's meter looks exactly like an unknown one.
    if serial not in serials or account.number not in user.account_numbers:
        json_error(404, NOT_FOUND)
    period_from, period_to = parse_period(request)
    order_by = request.query.get("order_by", "-period")
    if order_by not in ("period", "-period"):
        json_error(400, {"order_by": ["Select a valid choice."]})
    group_by = request.query.get("group_by")
    if group_by not in (None, "", *GROUPINGS):
        json_error(
            400,
            {
                "group_by": [
                    f"Select a valid choice. {group_by} is not one of the available choices."
                ]
            },
        )
    rows = intervals(scenario, identifier, sim.now(), period_from, period_to, sim.slot_cache)
    if group_by:
        rows = group(rows, group_by)
    if order_by == "-period":
        rows.reverse()
    items = [
        {
            "consumption": number(row.value),
            "interval_start": iso_z(row.start),
            "interval_end": iso_z(row.end),
        }
        for row in rows
    ]
    return web.json_response(paginate(request, items, max_size=CONSUMPTION_MAX_PAGE_SIZE))


def add_routes(app: web.Application) -> None:
    """Register the authenticated meter endpoints."""
    app.router.add_get("/v1/electricity-meter-points/{mpan}/", electricity_meter_point)
    app.router.add_get(
        r"/v1/{fuel:electricity|gas}-meter-points/{point}/meters/{serial}/consumption/",
        consumption,
    )
