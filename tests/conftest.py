"""Fixtures shared by every test package: the Octopus API simulator."""

from __future__ import annotations

pytest_plugins = ["octopus_simulator.pytest_plugin"]
