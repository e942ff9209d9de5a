"""GraphQL SmartFlex and Home Mini payloads (devices, dispatches, telemetry) into dataclasses."""

from __future__ import annotations

from ..exceptions import OctopusResponseError
from ..models import (
    ChargeSchedule,
    Dispatch,
    DispatchType,
    PreferenceBounds,
    SmartFlexDevice,
    TelemetryReading,
)
from ..values import (
    as_list,
    as_object,
    opt_bool,
    opt_decimal,
    opt_int,
    opt_list,
    opt_str,
    req_datetime,
    req_decimal,
    req_str,
    strict,
)

# --- GraphQL: SmartFlex and Home Mini -------------------------------------------------------


def _hhmm(value: str, where: str) -> str:
    """``"HH:MM"`` from ``"HH:MM"`` or ``"HH:MM:SS"``."""
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(part.isdigit() and len(part) == 2 for part in parts):
        raise OctopusResponseError(f"{where}: expected a time of day")
    return f"{parts[0]}:{parts[1]}"


def _bounds(raw: object) -> PreferenceBounds | None:
    if raw is None:
        return None
    settings = as_object(raw, "preferenceSetting").get("scheduleSettings")
    if isinstance(settings, list):  # a list (one per schedule kind) on some device types
        settings = settings[0] if settings else None
    if settings is None:
        return None
    item = as_object(settings, "scheduleSettings")
    return PreferenceBounds(
        target_min=req_decimal(item, "min"),
        target_max=req_decimal(item, "max"),
        target_step=req_decimal(item, "step"),
        time_from=_hhmm(req_str(item, "timeFrom"), "timeFrom"),
        time_to=_hhmm(req_str(item, "timeTo"), "timeTo"),
        time_step_minutes=opt_int(item, "timeStep") or 0,
    )


def _schedule(raw: object) -> ChargeSchedule:
    item = as_object(raw, "schedule")
    return ChargeSchedule(
        day_of_week=req_str(item, "dayOfWeek"),
        time=_hhmm(req_str(item, "time"), "time"),
        min=opt_decimal(item, "min"),
        max=opt_decimal(item, "max"),
    )


def _device(raw: object) -> SmartFlexDevice:
    item = as_object(raw, "device")
    status = as_object(item.get("status") or {}, "status")
    preferences = as_object(item.get("preferences") or {}, "preferences")
    return SmartFlexDevice(
        id=req_str(item, "id"),
        name=opt_str(item, "name"),
        device_type=req_str(item, "deviceType"),
        provider=opt_str(item, "provider"),
        make=opt_str(item, "make"),
        model=opt_str(item, "model"),
        status_current=opt_str(status, "current"),
        status_current_state=opt_str(status, "currentState"),
        is_suspended=opt_bool(status, "isSuspended"),
        preferences_mode=opt_str(preferences, "mode"),
        preferences_unit=opt_str(preferences, "unit"),
        schedules=tuple(_schedule(s) for s in opt_list(preferences, "schedules")),
        bounds=_bounds(item.get("preferenceSetting")),
    )


@strict
def parse_devices(raw: object) -> list[SmartFlexDevice]:
    """``devices(accountNumber)`` (null reads as no devices)."""
    return [] if raw is None else [_device(item) for item in as_list(raw, "devices")]


def _dispatch_type(value: str | None) -> DispatchType:
    try:
        return DispatchType(value or DispatchType.UNKNOWN)
    except ValueError:  # a type added after this client was written
        return DispatchType.UNKNOWN


@strict
def parse_planned_dispatches(raw: object) -> list[Dispatch]:
    """``flexPlannedDispatches``, ascending (null reads as no plan)."""
    dispatches = []
    for value in [] if raw is None else as_list(raw, "flexPlannedDispatches"):
        item = as_object(value, "dispatch")
        dispatches.append(
            Dispatch(
                start=req_datetime(item, "start"),
                end=req_datetime(item, "end"),
                dispatch_type=_dispatch_type(opt_str(item, "type")),
                energy_kwh=opt_decimal(item, "energyAddedKwh"),
            )
        )
    return sorted(dispatches, key=lambda dispatch: dispatch.start)


@strict
def parse_completed_dispatches(raw: object) -> list[Dispatch]:
    """``completedDispatches`` (the API sends them newest first), ascending."""
    dispatches = []
    for value in [] if raw is None else as_list(raw, "completedDispatches"):
        item = as_object(value, "dispatch")
        meta = as_object(item.get("meta") or {}, "meta")
        dispatches.append(
            Dispatch(
                start=req_datetime(item, "start"),
                end=req_datetime(item, "end"),
                energy_kwh=opt_decimal(item, "delta"),
                source=opt_str(meta, "source"),
                location=opt_str(meta, "location"),
            )
        )
    return sorted(dispatches, key=lambda dispatch: dispatch.start)


@strict
def parse_telemetry(raw: object) -> list[TelemetryReading]:
    """``smartMeterTelemetry``, ascending by ``readAt``."""
    readings = []
    for value in [] if raw is None else as_list(raw, "smartMeterTelemetry"):
        item = as_object(value, "reading")
        readings.append(
            TelemetryReading(
                read_at=req_datetime(item, "readAt"),
                consumption_wh=opt_decimal(item, "consumption"),
                consumption_delta_wh=opt_decimal(item, "consumptionDelta"),
                demand_w=opt_decimal(item, "demand"),
                export_wh=opt_decimal(item, "export"),
                cost_delta_with_tax=opt_decimal(item, "costDeltaWithTax"),
            )
        )
    return sorted(readings, key=lambda reading: reading.read_at)
