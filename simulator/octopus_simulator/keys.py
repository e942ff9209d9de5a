"""The application key under which handlers find the simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from octopus_simulator.app import Simulator

SIM: web.AppKey[Simulator] = web.AppKey("sim")
