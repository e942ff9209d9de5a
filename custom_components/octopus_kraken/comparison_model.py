"""Tariff comparison settings: the subentry's fields and the meter they name (no Home Assistant)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .meters import METER_CHOICES, MeterConfig

SUBENTRY_TYPE = "tariff_comparison"
CONF_NAME = "name"
CONF_METER = "meter"  # "import", "export" or "gas"
CONF_PRODUCT = "product_code"
CONF_TARIFF = "tariff_code"


def compared_meter(meters: Iterable[MeterConfig], data: Mapping[str, Any]) -> MeterConfig | None:
    """The entry's meter a comparison's settings name (the first of its kind)."""
    kind = METER_CHOICES.get(str(data.get(CONF_METER)))
    return next((meter for meter in meters if meter.kind is kind), None)


def meter_choices(meters: Iterable[MeterConfig]) -> list[str]:
    """The meter words (import, export, gas) an entry's meters allow, in that order."""
    kinds = {meter.kind for meter in meters}
    return [word for word, kind in METER_CHOICES.items() if kind in kinds]
