"""The simulator's state and its aiohttp application."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
import json

from aiohttp import web

from octopus_simulator import bill_view, control, graphql_view, rest_meters, rest_products
from octopus_simulator.clock import SimClock
from octopus_simulator.consumption import (
    Interval,
    SlotCache,
    settled_before,
    slot_values,
    uncorrected_slots,
)
from octopus_simulator.faults import Fault, FaultInjector, FaultKind
from octopus_simulator.keys import SIM
from octopus_simulator.ratelimit import RateLimiter
from octopus_simulator.requestlog import LoggedRequest, RequestLog
from octopus_simulator.restutil import INVALID_KEY, NOT_FOUND
from octopus_simulator.scenario import Scenario, default_scenario
from octopus_simulator.timeutil import DAY, local_date
from octopus_simulator.tokens import TokenStore

SERVICE_UNAVAILABLE_HTML = (
    "<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
    "<center><h1>503 Service Temporarily Unavailable</h1></center></body></html>"
)
BAD_GATEWAY_HTML = (
    "<html><head><title>502 Bad Gateway</title></head><body>"
    "<center><h1>502 Bad Gateway</h1></center></body></html>"
)


class Simulator:
    """Everything the server knows: the world, the clock, faults, tokens, limits and the log."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        clock: SimClock | None = None,
        faults: FaultInjector | None = None,
    ) -> None:
        self.scenario = scenario if scenario is not None else default_scenario()
        self.clock = clock if clock is not None else SimClock()
        self.faults = faults if faults is not None else FaultInjector()
        self.request_log = RequestLog()
        self.tokens = TokenStore()
        self.limiter = RateLimiter()
        self.slot_cache: SlotCache = {}
        # Running kWh totals over settled days, per (meter point, first day of data).
        self._settled_kwh: dict[tuple[str, date], list[Decimal]] = {}
        self._empty_pages = 0

    def now(self) -> datetime:
        """The simulated time."""
        return self.clock.now()

    def slots(self, identifier: str, day: date) -> list[Interval]:
        """Half hours of a local day for an MPAN/MPRN (settled days are cached)."""
        return slot_values(
            self.scenario, identifier, day, self.slot_cache, settled_before(self.now())
        )

    def day_totals_wh(self, identifier: str, day: date) -> Decimal:
        """Wh metered from the start of data to the start of local ``day``.

        Settled days (the ones ``slot_cache`` keeps) are summed once into running totals, so a
        reading costs the unsettled days only, not every day since the meter's data began.
        """
        first = local_date(self.scenario.electricity_point(identifier)[2].data_from)
        settled = settled_before(self.now())
        cut = max(first, min(day, settled))
        running = self._settled_kwh.setdefault((identifier, first), [Decimal(0)])
        while first + (len(running) - 1) * DAY < cut:
            current = first + (len(running) - 1) * DAY
            rows = uncorrected_slots(self.scenario, identifier, current, self.slot_cache, settled)
            running.append(running[-1] + sum((r.value for r in rows), Decimal(0)))
        total = running[(cut - first).days] + self._corrected_kwh(identifier, first, cut, settled)
        current = cut
        while current < day:
            total += sum((r.value for r in self.slots(identifier, current)), Decimal(0))
            current += DAY
        return total * 1000

    def _corrected_kwh(self, identifier: str, first: date, cut: date, settled: date) -> Decimal:
        """What corrections add to the settled days ``[first, cut)`` of a meter."""
        delta = Decimal(0)
        for (meter, start), value in self.scenario.consumption.corrections.items():
            day = local_date(start)
            if meter != identifier or not first <= day < cut:
                continue
            rows = uncorrected_slots(self.scenario, identifier, day, self.slot_cache, settled)
            delta += sum((value - r.value for r in rows if r.start == start), Decimal(0))
        return delta

    async def apply_http_fault(
        self,
        fault: Fault,
        handler: Callable[[], Awaitable[web.StreamResponse]],
        request: web.Request,
    ) -> web.StreamResponse:
        """Turn a transport-level fault into the response a client would see."""
        if fault.kind is FaultKind.CONNECTION_RESET:
            # Dropped before the server did anything: the client reads a closed connection.
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=204)  # never reaches the client
        if fault.kind is FaultKind.RATE_LIMIT_NO_RETRY_AFTER:
            return web.json_response({"detail": "Request was throttled."}, status=429)
        if fault.kind is FaultKind.EMPTY_BODY:
            await handler()  # carried out; the body is lost on the way
            return web.Response(status=200, body=b"", content_type="application/json")
        if fault.kind is FaultKind.EMPTY_PAGE:
            return await self._empty_page(handler, request)
        if fault.kind is FaultKind.SERVER_ERROR:
            return web.Response(status=503, text=SERVICE_UNAVAILABLE_HTML, content_type="text/html")
        if fault.kind is FaultKind.RATE_LIMIT:
            seconds = fault.retry_after or self.faults.default_retry_after
            return web.json_response(
                {"detail": f"Request was throttled. Expected available in {seconds} seconds."},
                status=429,
                headers={"Retry-After": str(seconds)},
            )
        if fault.kind is FaultKind.AUTH_ERROR:
            return web.json_response(INVALID_KEY, status=401)
        if fault.kind is FaultKind.NOT_FOUND:
            return web.json_response(NOT_FOUND, status=404)
        if fault.kind in (FaultKind.LOST_TIMEOUT, FaultKind.LOST_502):
            response = await handler()  # the server does the work; the client never hears
            if fault.kind is FaultKind.LOST_502:
                return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")
            await asyncio.sleep(
                fault.delay if fault.delay is not None else self.faults.timeout_seconds
            )
            return response
        if fault.kind is FaultKind.TIMEOUT:
            await asyncio.sleep(
                fault.delay if fault.delay is not None else self.faults.timeout_seconds
            )
            return await handler()
        response = await handler()  # MALFORMED_JSON: a body cut off half way
        body = response.body if isinstance(response, web.Response) else b""
        raw = body if isinstance(body, bytes) else b""
        return web.Response(
            status=200, body=raw[: max(1, len(raw) // 2)], content_type="application/json"
        )

    async def _empty_page(
        self, handler: Callable[[], Awaitable[web.StreamResponse]], request: web.Request
    ) -> web.StreamResponse:
        """A page with no results whose ``next`` asks for the same page again.

        Only list endpoints have pages: any other answer is served as it is.
        """
        response = await handler()
        body = response.body if isinstance(response, web.Response) else None
        try:
            page = json.loads(body) if isinstance(body, bytes) else None
        except ValueError:
            page = None
        if response.status != 200 or not isinstance(page, dict) or "results" not in page:
            return response
        self._empty_pages += 1
        # A marker keeps each such link distinct, as a real server's cursor would be.
        link = request.url.update_query(after_empty=str(self._empty_pages))
        return web.json_response(
            {"count": page.get("count"), "next": str(link), "previous": None, "results": []}
        )


@web.middleware
async def _log_and_faults(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Log every API request; apply REST faults (GraphQL applies its own after parsing)."""
    sim = request.app[SIM]
    if request.path.startswith("/_sim/"):
        return await handler(request)
    status = 500
    arrived = sim.now()  # a request answered late (or never) was still sent now
    try:
        fault = None
        if request.path != graphql_view.GRAPHQL_PATH:
            fault = sim.faults.take(request.path)
        if fault is not None:
            request["fault"] = fault.kind.value
            response = await sim.apply_http_fault(fault, lambda: handler(request), request)
        else:
            response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as error:
        status = error.status
        raise
    finally:
        sim.request_log.append(
            LoggedRequest(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                operation_name=request.get("operation_name"),
                status=status,
                at=arrived,
                fields=request.get("fields", ()),
                fault=request.get("fault"),
            )
        )


def create_app(sim: Simulator | None = None) -> web.Application:
    """The aiohttp application serving REST, GraphQL and the ``/_sim/`` controls."""
    app = web.Application(middlewares=[_log_and_faults])
    app[SIM] = sim if sim is not None else Simulator()
    rest_products.add_routes(app)
    rest_meters.add_routes(app)
    graphql_view.add_routes(app)
    control.add_routes(app)
    bill_view.add_routes(app)
    return app
