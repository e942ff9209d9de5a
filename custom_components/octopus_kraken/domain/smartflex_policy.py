"""How often SmartFlex is worth asking: often while something can change, slowly otherwise.

The API does not document which ``currentState`` an unplugged device reports, nor one for a device
plugged in without a plan (``SMART_CONTROL_CAPABLE`` and ``SMART_CONTROL_NOT_AVAILABLE`` are both
seen), so an idle state never makes polling fast; a plan, a running dispatch or boost, or a
change of state a moment ago does.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from ..api.models import Dispatch, SmartFlexDevice

IDLE_INTERVAL = timedelta(minutes=15)  # nothing planned or running; a plug-in shows this late
OFF_INTERVAL = timedelta(minutes=30)  # suspended or not live: nothing will be planned
FAST_AFTER_CHANGE = timedelta(minutes=15)  # after a state change a plan may follow in minutes
LIVE = "LIVE"
# ``status.currentState`` values in which a device charges now.
ACTIVE_STATES = frozenset({"SMART_CONTROL_IN_PROGRESS", "BOOSTING"})


def is_active(device: SmartFlexDevice, planned: tuple[Dispatch, ...]) -> bool:
    """Whether a device is worth polling often: live and planned, charging or boosting."""
    if device.status_current != LIVE:
        return False
    return bool(planned) or device.status_current_state in ACTIVE_STATES


def signature(
    devices: tuple[SmartFlexDevice, ...], planned: Mapping[str, tuple[Dispatch, ...]]
) -> tuple[tuple[object, ...], ...]:
    """What a user sees change: each device's status and whether it has a plan."""
    return tuple(
        (d.id, d.status_current, d.status_current_state, d.is_suspended, bool(planned.get(d.id)))
        for d in sorted(devices, key=lambda d: d.id)
    )


def idle_interval(devices: list[SmartFlexDevice]) -> timedelta:
    """How long to wait when no device is active: longer when none could get a plan."""
    if any(d.status_current == LIVE and not d.is_suspended for d in devices):
        return IDLE_INTERVAL
    return OFF_INTERVAL
