"""Payloads of the REST and GraphQL APIs into the frozen dataclasses of ``models``.

Parsing is strict: a missing required field, a wrong type or a naive datetime raises
``OctopusResponseError`` (never a bare ``KeyError``/``TypeError``/``ValueError``). Lists come back
sorted ascending by start time, whatever order the API used.
"""

from __future__ import annotations

from .account import parse_account, parse_account_numbers, parse_octoplus
from .rest import (
    page_results,
    parse_consumption,
    parse_grid_supply_points,
    parse_meter_point,
    parse_product_detail,
    parse_products,
    parse_rates,
    parse_standing_charges,
)
from .smartflex import (
    parse_completed_dispatches,
    parse_devices,
    parse_planned_dispatches,
    parse_telemetry,
)

__all__ = [
    "page_results",
    "parse_account",
    "parse_account_numbers",
    "parse_completed_dispatches",
    "parse_consumption",
    "parse_devices",
    "parse_grid_supply_points",
    "parse_meter_point",
    "parse_octoplus",
    "parse_planned_dispatches",
    "parse_product_detail",
    "parse_products",
    "parse_rates",
    "parse_standing_charges",
    "parse_telemetry",
]
