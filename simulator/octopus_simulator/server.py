"""Starting the simulator: on the running event loop (tests) or in a background thread."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
import threading

from aiohttp import web

from octopus_simulator.app import Simulator, create_app
from octopus_simulator.clock import SimClock
from octopus_simulator.faults import FaultInjector
from octopus_simulator.requestlog import RequestLog
from octopus_simulator.scenario import DEFAULT_API_KEY, Scenario


@dataclass(slots=True)
class SimulatorHandle:
    """What a test holds: where the server is and the levers to pull."""

    url: str
    simulator: Simulator
    api_key: str = DEFAULT_API_KEY
    _stop: object = field(default=None, repr=False)

    @property
    def state(self) -> Scenario:
        """The simulated world (accounts, meters, devices, rules) — mutable."""
        return self.simulator.scenario

    @property
    def clock(self) -> SimClock:
        """The simulator clock."""
        return self.simulator.clock

    @property
    def faults(self) -> FaultInjector:
        """Fault injection: ``faults.inject(kind, count=1, *, path_contains=None, ...)``."""
        return self.simulator.faults

    @property
    def request_log(self) -> RequestLog:
        """Every API request served so far."""
        return self.simulator.request_log

    def reset_log(self) -> None:
        """Forget the requests served so far."""
        self.simulator.request_log.clear()

    def count(self, path_contains: str | None = None, operation: str | None = None) -> int:
        """How many requests matched (see ``RequestLog.count``)."""
        return self.simulator.request_log.count(path_contains, operation)


@asynccontextmanager
async def start_simulator(
    simulator: Simulator | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    access_log: bool = True,
) -> AsyncIterator[SimulatorHandle]:
    """Serve on the running loop until the context exits; port 0 picks a free port.

    ``access_log=False`` logs no line per request (the request log keeps them all anyway).
    """
    sim = simulator if simulator is not None else Simulator()
    # handler_cancellation: a client that gives up (timeout fault) ends its handler at once.
    runner = web.AppRunner(
        create_app(sim),
        handler_cancellation=True,
        shutdown_timeout=0.5,
        **({} if access_log else {"access_log": None}),
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server
    assert server is not None
    sockets = getattr(server, "sockets", None) or []
    bound_port = sockets[0].getsockname()[1] if sockets else port
    api_key = sim.scenario.users[0].api_key if sim.scenario.users else DEFAULT_API_KEY
    try:
        yield SimulatorHandle(f"http://{host}:{bound_port}", sim, api_key)
    finally:
        await runner.cleanup()


class ThreadStopper:
    """Stops a simulator served from a thread: call it (or ``set()`` it, like an event)."""

    def __init__(self, event: threading.Event, thread: threading.Thread) -> None:
        self._event = event
        self._thread = thread

    def __call__(self) -> None:
        """Stop the server and wait for its thread to end."""
        self._event.set()
        self._thread.join(timeout=10)

    set = __call__  # early callers treated the stopper as a threading.Event


def run_in_thread(
    simulator: Simulator | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> tuple[SimulatorHandle, ThreadStopper]:
    """Serve from a daemon thread (for benchmarks and scripts); ``stop()`` ends it."""
    ready = threading.Event()
    stop = threading.Event()
    holder: list[SimulatorHandle] = []

    async def serve() -> None:
        async with start_simulator(simulator, host=host, port=port) as handle:
            holder.append(handle)
            ready.set()
            await asyncio.to_thread(stop.wait)

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    if not ready.wait(timeout=30):  # pragma: no cover - only when the machine is stuck
        raise RuntimeError("the simulator did not start")
    return holder[0], ThreadStopper(stop, thread)
