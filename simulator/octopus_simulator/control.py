"""``/_sim/``: control the simulator over HTTP (clock, faults, request log, scenario tweaks)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from aiohttp import web

from octopus_simulator.keys import SIM
from octopus_simulator.switches import apply_switches
from octopus_simulator.timeutil import parse_api_datetime


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(
        text=web.json_response({"error": message}).text, content_type="application/json"
    )


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise _bad("invalid JSON") from None
    if not isinstance(body, dict):
        raise _bad("expected a JSON object")
    return body


async def get_clock(request: web.Request) -> web.Response:
    """``GET /_sim/clock``."""
    return web.json_response(request.app[SIM].clock.as_dict())


async def post_clock(request: web.Request) -> web.Response:
    """``POST /_sim/clock``: ``{"set": iso}``, ``{"advance": seconds}`` or ``{"follow": true}``."""
    clock = request.app[SIM].clock
    body = await _body(request)
    try:
        if "set" in body:
            clock.set(parse_api_datetime(str(body["set"])))
        if "advance" in body:
            clock.advance(timedelta(seconds=float(body["advance"])))
        if body.get("follow"):
            clock.follow_system(timedelta(seconds=float(body.get("offset", 0))))
    except (TypeError, ValueError) as error:
        raise _bad(str(error)) from None
    return web.json_response(clock.as_dict())


async def get_faults(request: web.Request) -> web.Response:
    """``GET /_sim/faults``: pending faults."""
    return web.json_response([f.as_dict() for f in request.app[SIM].faults.pending])


async def post_faults(request: web.Request) -> web.Response:
    """``POST /_sim/faults`` with ``kind``, ``count``, ``path_contains``, ``retry_after``..."""
    faults = request.app[SIM].faults
    body = await _body(request)
    try:
        fault = faults.inject(
            body["kind"],
            int(body.get("count", 1)),
            path_contains=body.get("path_contains"),
            retry_after=body.get("retry_after"),
            operation=body.get("operation"),
            delay=body.get("delay"),
        )
    except (KeyError, ValueError) as error:
        raise _bad(f"bad fault: {error}") from None
    return web.json_response(fault.as_dict(), status=201)


async def delete_faults(request: web.Request) -> web.Response:
    """``DELETE /_sim/faults``: drop pending faults."""
    request.app[SIM].faults.clear()
    return web.json_response({"cleared": True})


async def get_requests(request: web.Request) -> web.Response:
    """``GET /_sim/requests``: the request log."""
    return web.json_response([entry.as_dict() for entry in request.app[SIM].request_log])


async def delete_requests(request: web.Request) -> web.Response:
    """``DELETE /_sim/requests``: empty the log."""
    request.app[SIM].request_log.clear()
    return web.json_response({"cleared": True})


async def get_scenario(request: web.Request) -> web.Response:
    """``GET /_sim/scenario``: the identifiers a developer needs to configure a client."""
    scenario = request.app[SIM].scenario
    return web.json_response(
        {
            "seed": scenario.seed,
            "api_keys": [u.api_key for u in scenario.users],
            "accounts": [
                {
                    "number": a.number,
                    "mpans": [p.mpan for p in a.electricity_meter_points()],
                    "mprns": [p.mprn for p in a.gas_meter_points()],
                    "devices": [d.id for d in a.devices],
                }
                for a in scenario.accounts
            ],
        }
    )


def _device(request: web.Request, device_id: str) -> Any:
    try:
        return request.app[SIM].scenario.device(device_id)[1]
    except KeyError:
        raise _bad(f"unknown device {device_id}") from None


async def post_scenario(request: web.Request) -> web.Response:
    """``POST /_sim/scenario``: tweak the world.

    Keys: every switch of ``switches.apply_switches`` (the simulator's README lists them),
    ``consumption_lag_days``,
    ``missing_days`` ([{"meter": mpan/mprn or "*", "date": "YYYY-MM-DD"}]),
    ``corrections`` ([{"meter", "interval_start", "consumption"}]),
    ``device`` ({"id", and any of connected, at_home, fully_charged, boost_refusals,
    planned_dispatches_unavailable, completed_dispatches_unavailable, smart_control_fails,
    status_current}).
    """
    sim = request.app[SIM]
    scenario = sim.scenario
    body = await _body(request)
    try:
        apply_switches(scenario, body)
        if "consumption_lag_days" in body:
            scenario.consumption.lag_days = int(body["consumption_lag_days"])
        for item in body.get("missing_days", []):
            scenario.consumption.missing_days.add((item["meter"], date.fromisoformat(item["date"])))
        for item in body.get("corrections", []):
            start = parse_api_datetime(item["interval_start"])
            scenario.consumption.corrections[item["meter"], start] = Decimal(
                str(item["consumption"])
            )
        if "device" in body:
            changes = dict(body["device"])
            device = _device(request, changes.pop("id"))
            allowed = {
                "connected", "at_home", "fully_charged", "boost_refusals", "status_current",
                "planned_dispatches_unavailable", "completed_dispatches_unavailable",
                "smart_control_fails",
            }  # fmt: skip
            for name, value in changes.items():
                if name not in allowed:
                    raise _bad(f"cannot set {name}")
                setattr(device, name, value)
    except (KeyError, TypeError, ValueError) as error:
        raise _bad(f"bad tweak: {error}") from None
    return web.json_response({"ok": True})


def add_routes(app: web.Application) -> None:
    """Register the control endpoints."""
    app.router.add_get("/_sim/clock", get_clock)
    app.router.add_post("/_sim/clock", post_clock)
    app.router.add_get("/_sim/faults", get_faults)
    app.router.add_post("/_sim/faults", post_faults)
    app.router.add_delete("/_sim/faults", delete_faults)
    app.router.add_get("/_sim/requests", get_requests)
    app.router.add_delete("/_sim/requests", delete_requests)
    app.router.add_get("/_sim/scenario", get_scenario)
    app.router.add_post("/_sim/scenario", post_scenario)
