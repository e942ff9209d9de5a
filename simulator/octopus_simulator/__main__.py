"""``python -m octopus_simulator --port 8099 --seed 1 [--now ISO] [--api-key KEY]``."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib

from octopus_simulator.app import Simulator
from octopus_simulator.clock import SimClock
from octopus_simulator.scenario import DEFAULT_API_KEY, default_scenario
from octopus_simulator.server import start_simulator
from octopus_simulator.timeutil import parse_api_datetime


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="octopus_simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", help="start the clock here (ISO 8601) and keep it standing")
    parser.add_argument("--tick", action="store_true", help="with --now: let the clock run on")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="the default user's API key")
    return parser.parse_args(argv)


def build_simulator(args: argparse.Namespace) -> Simulator:
    """The simulator the options describe."""
    scenario = default_scenario(args.seed)
    scenario.users[0].api_key = args.api_key
    clock = SimClock()
    if args.now:
        start = parse_api_datetime(args.now)
        if args.tick:
            clock.follow_system(start - SimClock.system_now())
        else:
            clock.set(start)
    return Simulator(scenario, clock=clock)


async def serve(args: argparse.Namespace) -> None:
    """Serve until interrupted."""
    simulator = build_simulator(args)
    async with start_simulator(simulator, host=args.host, port=args.port) as handle:
        print(f"Octopus simulator on {handle.url} (API key {args.api_key})", flush=True)
        print(
            f"Clock: {simulator.clock.now().isoformat()}; controls under {handle.url}/_sim/",
            flush=True,
        )
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":  # pragma: no cover - exercised through main()
    main()
