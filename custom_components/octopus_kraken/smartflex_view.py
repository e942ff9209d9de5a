"""What SmartFlex entities show, computed once per update or clock tick, not in properties.

Pure functions of (dispatch data, now): the device's current and next dispatch, today's planned
charge, its status and charging preferences, and dispatches in the shape Predbat reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from .api import ChargeSchedule, Dispatch, DispatchType, SmartFlexDevice
from .domain.dispatch import is_off_peak
from .domain.time import LONDON, Period, local_date, local_day_bounds

# Completed dispatches shown in attributes (the coordinator keeps 30 days).
ATTRIBUTE_HISTORY = timedelta(days=3)

# Planned dispatches carry a type, completed ones a source; Predbat reads sources.
SOURCE_OF_TYPE = {
    DispatchType.SMART: "smart-charge",
    DispatchType.BOOST: "bump-charge",
    DispatchType.TEST: "test-charge",
}

STATUS_OPTIONS = [
    "live",
    "smart_charging",
    "boosting",
    "smart_control_off",
    "not_available",
    "onboarding",
    "pending_live",
    "onboarding_failed",
    "retired",
]
_NOT_LIVE_STATUS = {
    "ONBOARDING": "onboarding",
    "ONBOARDING_TEST_IN_PROGRESS": "onboarding",
    "PENDING_LIVE": "pending_live",
    "FAILED_ONBOARDING_TEST": "onboarding_failed",
    "RETIRED": "retired",
}
_LIVE_STATUS = {
    "SMART_CONTROL_CAPABLE": "live",
    "SMART_CONTROL_IN_PROGRESS": "smart_charging",
    "BOOSTING": "boosting",
    "SMART_CONTROL_OFF": "smart_control_off",
}


@dataclass(frozen=True, slots=True)
class DeviceView:
    """One SmartFlex device as its entities show it at one instant."""

    device: SmartFlexDevice
    plan: tuple[Dispatch, ...]  # planned dispatches not yet over
    current: Dispatch | None  # the planned dispatch in progress
    upcoming: Dispatch | None  # the current dispatch, else the next one
    planned_today_kwh: Decimal
    status: str | None
    target_percentage: Decimal | None
    ready_by: time | None
    planned_attribute: tuple[dict[str, Any], ...]
    completed_attribute: tuple[dict[str, Any], ...]

    @property
    def is_boosting(self) -> bool:
        """Whether a boost charge is running or asked for."""
        return self.device.status_current_state == "BOOSTING" or (
            self.current is not None and self.current.dispatch_type is DispatchType.BOOST
        )

    @property
    def smart_control_on(self) -> bool:
        """Whether Octopus may control the device (not suspended by the user)."""
        return (
            not self.device.is_suspended and self.device.status_current_state != "SMART_CONTROL_OFF"
        )


def device_status(device: SmartFlexDevice) -> str | None:
    """The device's status as one of :data:`STATUS_OPTIONS` (None when unknown)."""
    if device.status_current != "LIVE":
        return _NOT_LIVE_STATUS.get(device.status_current or "")
    if device.is_suspended:
        return "smart_control_off"
    return _LIVE_STATUS.get(device.status_current_state or "", "not_available")


def today_schedule(device: SmartFlexDevice, now: datetime) -> ChargeSchedule | None:
    """The charging preference for the local day of ``now`` (else the first one there is)."""
    weekday = local_date(now).strftime("%A").upper()
    return next((s for s in device.schedules if s.day_of_week == weekday), None) or next(
        iter(device.schedules), None
    )


def parse_ready_by(text: str | None) -> time | None:
    """``"07:00"`` or ``"07:00:00"`` as a time; None if unreadable."""
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def energy_within(dispatches: Iterable[Dispatch], period: Period) -> Decimal:
    """Planned energy falling within ``period``, each dispatch's energy spread evenly over it."""
    total = Decimal(0)
    start, end = period
    for dispatch in dispatches:
        if dispatch.energy_kwh is None or dispatch.end <= dispatch.start:
            continue
        overlap = min(end, dispatch.end) - max(start, dispatch.start)
        if overlap > timedelta(0):
            share = Decimal(overlap.total_seconds()) / Decimal(
                (dispatch.end - dispatch.start).total_seconds()
            )
            total += dispatch.energy_kwh * share
    return total.quantize(Decimal("0.01"))


def predbat_dispatch(dispatch: Dispatch) -> dict[str, Any]:
    """``{start, end, charge_in_kwh, source, location}``, the shape Predbat reads."""
    return {
        "start": dispatch.start,
        "end": dispatch.end,
        "charge_in_kwh": float(dispatch.energy_kwh) if dispatch.energy_kwh is not None else None,
        "source": dispatch.source or SOURCE_OF_TYPE.get(dispatch.dispatch_type),
        "location": dispatch.location,
    }


def build_view(
    device: SmartFlexDevice,
    planned: tuple[Dispatch, ...],
    completed: tuple[Dispatch, ...],
    now: datetime,
) -> DeviceView:
    """What the device's entities show at ``now``."""
    plan = tuple(d for d in planned if d.end > now)
    current = next((d for d in plan if d.start <= now), None)
    schedule = today_schedule(device, now)
    recent = [d for d in completed if d.end >= now - ATTRIBUTE_HISTORY]
    return DeviceView(
        device=device,
        plan=plan,
        current=current,
        upcoming=plan[0] if plan else None,
        planned_today_kwh=energy_within(planned, local_day_bounds(local_date(now))),
        status=device_status(device),
        target_percentage=schedule.max if schedule is not None else None,
        ready_by=parse_ready_by(schedule.time) if schedule is not None else None,
        planned_attribute=tuple(predbat_dispatch(d) for d in plan),
        completed_attribute=tuple(predbat_dispatch(d) for d in recent),
    )


def off_peak_now(now: datetime, periods: Iterable[Period]) -> bool:
    """Whether ``now`` is billed off-peak on Intelligent Octopus Go (fixed window or dispatch)."""
    return is_off_peak(now, dispatch_periods=periods, tz=LONDON)
