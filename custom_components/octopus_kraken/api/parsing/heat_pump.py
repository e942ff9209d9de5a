"""``heatPumpStatus`` into a ``HeatPumpStatus``.

``isConnected`` is in the reference and parsed strictly. The zone and hot-water fields are not
defined there (their names come from public clients): each is read when it has the expected
type and left ``None`` otherwise, so a guess that turns out wrong never fails the connection.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..models import HeatPumpStatus
from ..values import JSONObject, as_object, strict


def _flag(obj: JSONObject, key: str) -> bool | None:
    value = obj.get(key)
    return value if isinstance(value, bool) else None


def _celsius(obj: JSONObject, key: str) -> Decimal | None:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _optional_object(data: JSONObject, key: str) -> JSONObject:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


@strict
def parse_heat_pump_status(raw: object) -> HeatPumpStatus | None:
    """The status (``None`` when the account has no heat pump: ``heatPumpStatus`` is null)."""
    if raw is None:
        return None
    data = as_object(raw, "heatPumpStatus")
    connected = data.get("isConnected")
    if connected is not None and not isinstance(connected, bool):
        raise ValueError("isConnected is not a boolean")
    climate = _optional_object(data, "climateControlStatus")
    water = _optional_object(data, "waterTemperatureStatus")
    return HeatPumpStatus(
        is_connected=connected,
        climate_control_enabled=_flag(climate, "climateControlEnabled"),
        climate_target_temperature=_celsius(climate, "targetClimateControlTemperature"),
        climate_current_temperature=_celsius(climate, "currentClimateControlTemperature"),
        water_heating_enabled=_flag(water, "waterTemperatureEnabled"),
        water_current_temperature=_celsius(water, "currentWaterTemperature"),
    )
