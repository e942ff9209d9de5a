"""Cost tracker settings: the subentry's fields and how an energy sensor's state is read."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from homeassistant.components.sensor import ATTR_STATE_CLASS, SensorStateClass
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, UnitOfEnergy

from .domain.cost_tracking import PeriodSettings

SUBENTRY_TYPE = "cost_tracker"
CONF_NAME = "name"
CONF_ENTITY_ID = "entity_id"
CONF_WEEK_START = "week_start"
CONF_MONTH_DAY = "month_day"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# kWh per unit of the energy units a meter may report in.
KWH_PER_UNIT: dict[str, Decimal] = {
    UnitOfEnergy.WATT_HOUR: Decimal("0.001"),
    UnitOfEnergy.KILO_WATT_HOUR: Decimal(1),
    UnitOfEnergy.MEGA_WATT_HOUR: Decimal(1000),
}
TRACKED_STATE_CLASSES = (SensorStateClass.TOTAL_INCREASING, SensorStateClass.TOTAL)


def settings_from(subentry: ConfigSubentry) -> PeriodSettings:
    """The subentry's week start and month reset day."""
    return PeriodSettings(
        week_start=WEEKDAYS.index(subentry.data.get(CONF_WEEK_START, "monday")),
        month_day=int(subentry.data.get(CONF_MONTH_DAY, 1)),
    )


def energy_reading(state: Any) -> tuple[Decimal, bool, str | None] | None:
    """(kWh, increasing?, last_reset) of an energy sensor's state; ``None`` if unusable."""
    if state is None:
        return None
    factor = KWH_PER_UNIT.get(state.attributes.get(ATTR_UNIT_OF_MEASUREMENT))
    state_class = state.attributes.get(ATTR_STATE_CLASS)
    if factor is None or state_class not in TRACKED_STATE_CLASSES:
        return None
    try:
        value = Decimal(state.state)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    increasing = state_class == SensorStateClass.TOTAL_INCREASING
    return value * factor, increasing, state.attributes.get("last_reset")
