"""What the soak compares: entity states at half-hour boundaries, requests, errors per outage.

Two runs are compared state by state at every half-hour boundary. A state that differs is
classified precisely instead of being forgiven:

- *not available*: the run with faults shows ``unavailable`` or ``unknown`` (a live value whose
  last poll failed, nothing fetched yet);
- *older data*: it shows the very value the fault-free run showed at a boundary since the two
  last agreed (data not fetched yet: the poll that brings it failed or waits for a cool-down);
- *newer data*: it shows the value the fault-free run shows at a later boundary, within a day
  (a retry or a restart fetched it sooner than the fault-free run's regular poll): the
  fault-free run is the one behind, so this does not count as stale;
- *different*: anything else. "Identical once the data was available" means none of these.

Two kinds of entity carry the time of a poll rather than data, so comparing their states across
runs whose polls fall at other seconds says nothing about lost or doubled data:

- an event entity's state is when it last fired; its data (the attributes) is compared instead;
- the Home Mini's demand, consumption today and cost today change with every 10-second reading.
  Their data is the energy per half-hour of today, which is compared for every half-hour that
  has ended (the one in progress is not yet available by definition).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import json
from typing import Any

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant

from custom_components.octopus_kraken.const import DOMAIN

NOT_AVAILABLE = frozenset({STATE_UNAVAILABLE, STATE_UNKNOWN})
# Attributes that describe an event entity rather than the event's data.
_EVENT_META = frozenset({"friendly_name", "event_types", "attribution", "icon", "device_class"})
HOME_MINI_LIVE = (
    "_home_mini_demand",
    "_home_mini_consumption_today",
    "_home_mini_cost_today",
)

_DAY = 48  # half-hour boundaries
type Snapshot = dict[str, str]
# Home Mini device -> {half-hour start (ISO): kWh} for the half-hours of today that have ended.
type HalfHours = dict[str, dict[str, str]]


def snapshot(hass: HomeAssistant) -> Snapshot:
    """Every entity of ours: its state, or for an event entity the data of its last event."""
    ours = {
        entity.entity_id
        for entity in hass.data["entity_registry"].entities.values()
        if entity.platform == DOMAIN
    }
    values: Snapshot = {}
    for state in hass.states.async_all():
        if state.entity_id not in ours or state.entity_id.endswith(HOME_MINI_LIVE):
            continue
        if state.domain == "event" and state.state not in NOT_AVAILABLE:
            data = {k: v for k, v in state.attributes.items() if k not in _EVENT_META}
            values[state.entity_id] = json.dumps(data, sort_keys=True, default=str)
        else:
            values[state.entity_id] = state.state
    return values


def home_mini_half_hours(hass: HomeAssistant) -> HalfHours:
    """Energy per ended half-hour of today, for every Home Mini that has a reading."""
    found: HalfHours = {}
    for entry in hass.config_entries.async_entries(DOMAIN):
        runtime = getattr(entry, "runtime_data", None)
        if runtime is None:
            continue
        for device_id, coordinator in runtime.telemetry.items():
            data = coordinator.data
            if data is None or data.read_at is None:
                continue
            current = data.read_at.replace(
                minute=data.read_at.minute // 30 * 30, second=0, microsecond=0
            )
            found[device_id] = {
                slot.isoformat(): str(kwh)
                for slot, kwh in data.by_half_hour.items()
                if slot < current
            }
    return found


@dataclass
class StateComparison:
    """How a run's states compared with a fault-free run's, boundary by boundary."""

    compared: int = 0
    not_available: Counter[str] = field(default_factory=Counter)
    older: Counter[str] = field(default_factory=Counter)
    newer: Counter[str] = field(default_factory=Counter)
    wrong: list[tuple[datetime, str, str, str]] = field(default_factory=list)
    longest: timedelta = timedelta(0)
    longest_entity: str | None = None
    half_hours_compared: int = 0
    half_hours_pending: int = 0  # ended in the fault-free run, not yet read in this one
    half_hours_wrong: list[tuple[datetime, str, str, str]] = field(default_factory=list)


def compare_states(
    baseline: Mapping[datetime, Snapshot],
    run: Mapping[datetime, Snapshot],
    baseline_half_hours: Mapping[datetime, HalfHours],
    run_half_hours: Mapping[datetime, HalfHours],
) -> StateComparison:
    """Classify every difference between ``run`` and the fault-free ``baseline``."""
    result = StateComparison()
    boundaries = sorted(baseline)
    streak_start: dict[str, int] = {}
    for index, boundary in enumerate(boundaries):
        expected, seen = baseline[boundary], run.get(boundary, {})
        for entity_id, state in expected.items():
            result.compared += 1
            shown = seen.get(entity_id, STATE_UNAVAILABLE)
            if shown == state:
                streak_start.pop(entity_id, None)
                continue
            start = streak_start.setdefault(entity_id, index)
            earlier = {
                baseline[boundaries[i]].get(entity_id) for i in range(max(start - 1, 0), index)
            }
            later = {
                baseline[boundaries[i]].get(entity_id)
                for i in range(index + 1, min(index + 1 + _DAY, len(boundaries)))
            }
            if shown in NOT_AVAILABLE:
                result.not_available[entity_id] += 1
            elif shown in earlier:
                result.older[entity_id] += 1
            elif shown in later:
                result.newer[entity_id] += 1
                streak_start.pop(entity_id, None)  # not stale: the fault-free run is behind
                continue
            else:
                result.wrong.append((boundary, entity_id, shown, state))
            stale = timedelta(minutes=30 * (index - start + 1))
            if stale > result.longest:
                result.longest, result.longest_entity = stale, entity_id
        fault_free = baseline_half_hours.get(boundary, {})
        with_faults = run_half_hours.get(boundary, {})
        for device_id, slots in fault_free.items():
            have = with_faults.get(device_id, {})
            for slot, kwh in slots.items():
                if slot not in have:
                    result.half_hours_pending += 1
                    continue
                result.half_hours_compared += 1
                if have[slot] != kwh:
                    result.half_hours_wrong.append((boundary, slot, have[slot], kwh))
    return result


def describe_states(comparison: StateComparison) -> list[str]:
    """``name: value`` lines of a state comparison."""
    not_available = sum(comparison.not_available.values())
    older = sum(comparison.older.values())
    newer = sum(comparison.newer.values())
    differing = not_available + older + newer + len(comparison.wrong)
    lines = [
        f"entity states compared at half-hour boundaries: {comparison.compared}; differing: "
        f"{differing} = {not_available} not available (unavailable or unknown) + {older} older "
        f"data (the fault-free run's value of an earlier boundary) + {newer} newer data (its "
        f"value of a later boundary: fetched sooner) + {len(comparison.wrong)} different once "
        f"available",
    ]
    lines += [
        f"  different: {at.isoformat()} {entity_id}: {shown!r} (fault-free {expected!r})"
        for at, entity_id, shown, expected in comparison.wrong[:10]
    ]
    lines.append(
        f"Home Mini half-hours of today compared at half-hour boundaries: "
        f"{comparison.half_hours_compared}; different: {len(comparison.half_hours_wrong)}; "
        f"not read yet: {comparison.half_hours_pending}"
    )
    lines += [
        f"  different: at {at.isoformat()} the half-hour from {slot}: {shown} kWh "
        f"(fault-free {expected})"
        for at, slot, shown, expected in comparison.half_hours_wrong[:10]
    ]
    lines.append(
        f"longest time an entity showed stale data (not available or older data, at "
        f"consecutive boundaries): {comparison.longest} ({comparison.longest_entity})"
    )
    return lines


def retried_failures(log: list[Any]) -> list[Any]:
    """Requests a fault failed that were sent again later (same method, path and operation).

    Each one is a request the faults added: had it succeeded, its retry would not have been sent.
    """
    later: set[tuple[str, str, str]] = set()
    retried = []
    for request in reversed(log):
        key = (request.method, request.path, request.operation_name or ",".join(request.fields))
        if request.fault and key in later:
            retried.append(request)
        later.add(key)
    return retried


def final_differences(before: Snapshot, after: Snapshot) -> list[tuple[str, str, str]]:
    """Entities whose state differs from a fault-free set-up's at the same instant."""
    return [
        (entity_id, state, after.get(entity_id, "missing"))
        for entity_id, state in sorted(before.items())
        if after.get(entity_id) != state
    ]
