"""Fixtures shared by every test package: the Octopus API simulator."""

from __future__ import annotations

import logging

pytest_plugins = ["octopus_simulator.pytest_plugin"]

# The Home Assistant harness turns SQL echo on for every query the recorder makes; in a suite
# that imports statistics that is megabytes of output hiding the failures that matter.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
