"""A heat pump on an account: listed by ``devices`` and read through ``heatPumpStatus``.

The reference defines ``heatPumpStatus { isConnected climateControlStatus {…}
waterTemperatureStatus {…} }`` but not the fields of the two status types; the names served
here (``climateControlEnabled``, ``targetClimateControlTemperature``,
``currentClimateControlTemperature``; ``waterTemperatureEnabled``, ``currentWaterTemperature``)
come from public clients and are a guess. ``detail_fields_known=False`` makes the API refuse
them, as it would if the guess were wrong; ``status_unavailable`` answers KT-CT-4360. The
device's GraphQL type name (``SmartFlexHeatPump``) and ``deviceType`` ``HEAT_PUMPS`` are guesses
too (the reference lists the interface, not this type).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from octopus_simulator.gqlcontext import GqlContext
from octopus_simulator.kraken_errors import KrakenError

HEAT_PUMP_DEVICE_ID = "00000000-0000-4000-a000-00000000beef"
_DETAIL_FIELDS = ("climateControlStatus", "waterTemperatureStatus")


@dataclass(slots=True)
class HeatPump:
    """What ``heatPumpStatus`` reports; settable by tests."""

    id: str = HEAT_PUMP_DEVICE_ID
    name: str = "Cosy 6"
    provider: str = "OCTOPUS"
    property_id: str = ""
    connected: bool = True
    climate_control_enabled: bool = True
    target_temperature: Decimal = Decimal("20.5")
    current_temperature: Decimal = Decimal("19.8")
    water_heating_enabled: bool = False
    water_temperature: Decimal = Decimal("47.0")
    detail_fields_known: bool = True
    status_unavailable: bool = False


def heat_pump_device_view(pump: HeatPump) -> dict[str, Any]:
    """The heat pump as ``devices`` lists it (no charging preferences)."""
    return {
        "__typename": "SmartFlexHeatPump",
        "id": pump.id,
        "name": pump.name,
        "deviceType": "HEAT_PUMPS",
        "integrationDeviceId": "",
        "propertyId": pump.property_id,
        "provider": pump.provider,
        "status": {
            "__typename": "SmartFlexDeviceStatus",
            "current": "LIVE",
            "currentState": "SMART_CONTROL_CAPABLE",
            "isSuspended": False,
        },
        "preferences": None,
        "preferenceSetting": None,
    }


def _selected(info: GraphQLResolveInfo) -> set[str]:
    names: set[str] = set()
    for node in info.field_nodes:
        if node.selection_set is not None:
            names.update(s.name.value for s in node.selection_set.selections)
    return names


def resolve_heat_pump_status(
    _root: Any, info: GraphQLResolveInfo, accountNumber: str
) -> dict[str, Any] | None:
    """The account's heat pump status (null without a heat pump)."""
    context: GqlContext = info.context
    account = context.own_account(accountNumber, "KT-CT-1111")
    pump = account.heat_pump
    if pump is None:
        return None
    if not pump.detail_fields_known and _selected(info) & set(_DETAIL_FIELDS):
        raise GraphQLError("Cannot query field 'climateControlEnabled' on this type.")
    if pump.status_unavailable:
        raise KrakenError("KT-CT-4360")
    return {
        "isConnected": pump.connected,
        "climateControlStatus": {
            "climateControlEnabled": pump.climate_control_enabled,
            "targetClimateControlTemperature": float(pump.target_temperature),
            "currentClimateControlTemperature": float(pump.current_temperature),
        },
        "waterTemperatureStatus": {
            "waterTemperatureEnabled": pump.water_heating_enabled,
            "currentWaterTemperature": float(pump.water_temperature),
        },
    }
