"""Scenario objects as GraphQL source values.

Plain dicts: graphql-core's default resolver reads a key, and calls it when it is a function
(that is how fields with arguments, like ``meters(includeInactive:)``, get their arguments).
Abstract types carry ``__typename``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from octopus_simulator.catalogue import Pricing, RateKind, TariffKind, parse_tariff_code
from octopus_simulator.dispatches import planned_dispatches, session_at
from octopus_simulator.prices import rate_at
from octopus_simulator.scenario import (
    Account,
    Agreement,
    Device,
    ElectricityMeterPoint,
    GasMeterPoint,
    Property,
)
from octopus_simulator.timeutil import iso_offset

if TYPE_CHECKING:
    from octopus_simulator.app import Simulator


def decimal_text(value: Decimal) -> str:
    """Kraken's Decimal scalar: ``"80.0"``, ``"11.1"``."""
    text = f"{value.normalize():f}"
    return text if "." in text else f"{text}.0"


def _keep(agreement: Agreement, active: bool | None, now: datetime) -> bool:
    return active is None or agreement.active_at(now) == active


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def tariff_view(sim: Simulator, code: str) -> dict[str, Any]:
    """An agreement's tariff with today's prices where the catalogue knows them."""
    tariff = parse_tariff_code(code)
    view: dict[str, Any] = {"__typename": "StandardTariff", "id": code, "tariffCode": code}
    if tariff is None:
        return view
    product = tariff.product
    now = sim.now()

    def price(kind: RateKind) -> tuple[float | None, float | None]:
        row = rate_at(tariff, kind, now, seed=sim.scenario.seed, rules=sim.scenario.publication)
        if row is None:
            return None, None
        return _float(row.value_inc_vat), _float(row.value_exc_vat)

    standing, standing_exc = price(RateKind.STANDING)
    view.update(
        displayName=product.display_name,
        fullName=product.full_name,
        description=product.description,
        productCode=product.code,
        standingCharge=standing,
        preVatStandingCharge=standing_exc,
        isExport=product.is_export,
    )
    if tariff.kind is TariffKind.E2R:
        day, day_exc = price(RateKind.DAY)
        night, night_exc = price(RateKind.NIGHT)
        view.update(
            __typename="DayNightTariff",
            dayRate=day,
            nightRate=night,
            preVatDayRate=day_exc,
            preVatNightRate=night_exc,
        )
    elif product.pricing in (Pricing.AGILE, Pricing.AGILE_OUTGOING):
        view["__typename"] = "HalfHourlyTariff"
    else:
        unit, unit_exc = price(RateKind.STANDARD)
        view.update(unitRate=unit, preVatUnitRate=unit_exc)
        if tariff.is_gas:
            view["__typename"] = "GasTariffType"
    return view


def _smart_device(device_id: str | None) -> dict[str, Any] | None:
    if device_id is None:
        return None
    return {"id": device_id, "deviceId": device_id, "manufacturer": "SECURE", "model": "SMETS2"}


def electricity_point_view(sim: Simulator, point: ElectricityMeterPoint) -> dict[str, Any]:
    """An MPAN with meters and agreements."""

    def meters(_info: Any, includeInactive: bool = False) -> list[dict[str, Any]]:
        return [
            {
                "id": meter.serial_number,
                "serialNumber": meter.serial_number,
                "smartImportElectricityMeter": _smart_device(meter.import_device_id),
                "smartExportElectricityMeter": _smart_device(meter.export_device_id),
            }
            for meter in point.meters
            if meter.active or includeInactive
        ]

    def agreements(_info: Any, includeInactive: bool = False) -> list[dict[str, Any]]:
        now = sim.now()
        return [
            electricity_agreement_view(sim, point, a)
            for a in point.agreements
            if includeInactive or a.active_at(now)
        ]

    return {
        "id": point.mpan,
        "mpan": point.mpan,
        "direction": point.direction,
        "gspGroupId": point.gsp,
        "profileClass": point.profile_class,
        "meters": meters,
        "agreements": agreements,
    }


def gas_point_view(sim: Simulator, point: GasMeterPoint) -> dict[str, Any]:
    """An MPRN with meters and agreements."""

    def meters(_info: Any, includeInactive: bool = False) -> list[dict[str, Any]]:
        return [
            {
                "id": meter.serial_number,
                "serialNumber": meter.serial_number,
                "consumptionUnits": meter.consumption_units,
                "smartGasMeter": _smart_device(meter.device_id),
            }
            for meter in point.meters
            if meter.active or includeInactive
        ]

    def agreements(_info: Any, includeInactive: bool = False) -> list[dict[str, Any]]:
        now = sim.now()
        return [
            gas_agreement_view(sim, point, a)
            for a in point.agreements
            if includeInactive or a.active_at(now)
        ]

    return {"id": point.mprn, "mprn": point.mprn, "meters": meters, "agreements": agreements}


def _agreement_base(sim: Simulator, agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.id,
        "validFrom": iso_offset(agreement.valid_from),
        "validTo": iso_offset(agreement.valid_to) if agreement.valid_to else None,
        "isActive": agreement.active_at(sim.now()),
        "tariff": lambda _info: tariff_view(sim, agreement.tariff_code),
    }


def electricity_agreement_view(
    sim: Simulator, point: ElectricityMeterPoint, agreement: Agreement
) -> dict[str, Any]:
    """An electricity agreement with its tariff and meter point."""
    view = _agreement_base(sim, agreement)
    view["meterPoint"] = lambda _info: electricity_point_view(sim, point)
    return view


def gas_agreement_view(
    sim: Simulator, point: GasMeterPoint, agreement: Agreement
) -> dict[str, Any]:
    """A gas agreement with its tariff and meter point."""
    view = _agreement_base(sim, agreement)
    view["meterPoint"] = lambda _info: gas_point_view(sim, point)
    return view


def property_view(sim: Simulator, prop: Property) -> dict[str, Any]:
    """A supply address with its meter points."""
    return {
        "id": prop.id,
        "address": ", ".join([*prop.address_lines, prop.postcode]),
        "postcode": prop.postcode,
        "splitAddress": list(prop.address_lines),
        "label": None,
        "electricityMeterPoints": [
            electricity_point_view(sim, p) for p in prop.electricity_meter_points
        ],
        "gasMeterPoints": [gas_point_view(sim, p) for p in prop.gas_meter_points],
    }


def account_view(sim: Simulator, account: Account) -> dict[str, Any]:
    """An account; ``active`` keeps agreements in force now (``false``: those not in force)."""
    now = sim.now()

    def electricity(_info: Any, active: bool | None = None) -> list[dict[str, Any]]:
        return [
            electricity_agreement_view(sim, point, a)
            for point in account.electricity_meter_points()
            for a in point.agreements
            if _keep(a, active, now)
        ]

    def gas(_info: Any, active: bool | None = None) -> list[dict[str, Any]]:
        return [
            gas_agreement_view(sim, point, a)
            for point in account.gas_meter_points()
            for a in point.agreements
            if _keep(a, active, now)
        ]

    return {
        "__typename": "AccountType",
        "id": account.number.removeprefix("A-"),
        "number": account.number,
        "status": "ACTIVE",
        "balance": account.balance,
        "brand": "OCTOPUS_ENERGY",
        "accountType": "DOMESTIC",
        "properties": lambda _info, active=None: [
            property_view(sim, p) for p in account.properties
        ],
        "electricityAgreements": electricity,
        "gasAgreements": gas,
    }


def current_state(sim: Simulator, device: Device) -> str:
    """``status.currentState`` from what the device is doing now."""
    if device.status_current == "RETIRED":
        return "RETIRED"
    if device.status_current != "LIVE":
        return "AUTHENTICATION_COMPLETE"
    if device.suspended:
        return "SMART_CONTROL_OFF"
    now = sim.now()
    scenario = sim.scenario
    windows = planned_dispatches(scenario.seed, device, now, scenario.dispatch)
    for window in windows:
        if window.start <= now:
            return "BOOSTING" if window.kind == "BOOST" else "SMART_CONTROL_IN_PROGRESS"
    # Which state an idle device reports is not documented: both are switches.
    if session_at(scenario.seed, device, now) is None:
        return scenario.choices.unplugged_state
    if not windows:
        return scenario.choices.no_plan_state
    return "SMART_CONTROL_CAPABLE"


def device_view(sim: Simulator, device: Device) -> dict[str, Any]:
    """A SmartFlex device with status, preferences and preference bounds."""
    bounds = device.bounds
    return {
        "__typename": device.typename,
        "id": device.id,
        "name": device.name,
        "deviceType": device.device_type,
        "integrationDeviceId": device.integration_device_id,
        "propertyId": device.property_id,
        "provider": device.provider,
        "make": device.make,
        "model": device.model,
        "status": lambda _info: {
            "__typename": "SmartFlexDeviceStatus",
            "current": device.status_current,
            "currentState": current_state(sim, device),
            "isSuspended": device.suspended,
        },
        "preferences": {
            "__typename": "SmartFlexChargingPreferences",
            "mode": "CHARGE",
            "unit": "PERCENTAGE",
            "targetType": "ABSOLUTE_STATE_OF_CHARGE",
            "schedules": [
                {
                    "dayOfWeek": s.day_of_week,
                    "time": s.time,
                    "min": decimal_text(s.min) if s.min is not None else None,
                    "max": decimal_text(s.max),
                }
                for s in device.schedules
            ],
        },
        "preferenceSetting": {
            "__typename": "SmartFlexChargingPreferenceSetting",
            "deviceType": device.device_type,
            "mode": "CHARGE",
            "unit": "PERCENTAGE",
            "scheduleSettings": [
                {
                    "id": f"{device.id}-schedule",
                    "min": decimal_text(bounds.min),
                    "max": decimal_text(bounds.max),
                    "step": decimal_text(bounds.step),
                    "timeFrom": bounds.time_from,
                    "timeTo": bounds.time_to,
                    "timeStep": bounds.time_step,
                }
            ],
        },
    }
