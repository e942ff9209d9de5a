"""SmartFlex dispatches: when a device is plugged in, what the plan says, what really happened.

Each local day a device may be plugged in for an evening-to-morning session. The plan for a
session is revised every half hour for the first few hours (the real planner keeps moving slots
around in the evening), then stays. A half hour was really dispatched when the plan in force at
its start contained it, so completed dispatches are derived from past plans and never contradict
what was planned at the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
import math
import random

from octopus_simulator.scenario import (
    WEEKDAYS,
    Device,
    DeviceSettings,
    DispatchRules,
    settings_at,
)
from octopus_simulator.timeutil import (
    DAY,
    HALF_HOUR,
    ceil_half_hour,
    floor_half_hour,
    half_hours,
    local_at,
    local_date,
)

OFF_PEAK_START = time(23, 30)
OFF_PEAK_END = time(5, 30)
MAX_CAPPED_SLOTS = 12  # a capped charging duration allows six hours a night


@dataclass(frozen=True, slots=True)
class Session:
    """A plug-in session that starts on the evening of ``day``."""

    day: date
    plug_in: datetime
    unplug: datetime


@dataclass(frozen=True, slots=True)
class DispatchWindow:
    """A dispatch as the API reports it."""

    start: datetime
    end: datetime
    kind: str  # SMART | BOOST
    energy_kwh: Decimal
    source: str | None = None
    location: str | None = None


def session_on(seed: int, device: Device, day: date) -> Session | None:
    """The session starting on the evening of ``day``, if the device is plugged in then."""
    return _session_on(seed, device.id, device.connected, device.plug_in_probability, day)


@lru_cache(maxsize=65536)
def _session_on(
    seed: int, device_id: str, connected: bool | None, probability: float, day: date
) -> Session | None:
    if connected is False:
        return None
    if connected is True:
        # Forced connected: plugged in around the clock, one session per day.
        return Session(day, local_at(day, time(17, 30)), local_at(day + DAY, time(17, 30)))
    rng = random.Random(f"{seed}:session:{device_id}:{day.isoformat()}")
    if rng.random() >= probability:
        return None
    plug_in = local_at(day, time(17, 30)) + rng.randrange(6) * HALF_HOUR
    unplug = local_at(day + DAY, time(7)) + rng.randrange(3) * HALF_HOUR
    return Session(day, plug_in, unplug)


def session_at(seed: int, device: Device, instant: datetime) -> Session | None:
    """The session the device is in at ``instant``."""
    day = local_date(instant)
    for candidate in (day - DAY, day):
        session = session_on(seed, device, candidate)
        if session is not None and session.plug_in <= instant < session.unplug:
            return session
    return None


def _slot_energy(device: Device) -> Decimal:
    return device.charge_power_kw / 2


def _target(settings: DeviceSettings, session: Session) -> Decimal:
    weekday = WEEKDAYS[(session.day + DAY).weekday()]
    schedule = next((s for s in settings.schedules if s.day_of_week == weekday), None)
    return schedule.max if schedule is not None else Decimal(80)


def revision_at(session: Session, instant: datetime, rules: DispatchRules) -> int:
    """Which revision of the plan is in force at ``instant``."""
    elapsed = max(timedelta(0), instant - session.plug_in)
    return min(rules.revisions - 1, int(elapsed / rules.revision_interval))


def plan(
    seed: int,
    device_id: str,
    power_kw: Decimal,
    session: Session,
    revision: int,
    settings: DeviceSettings,
) -> list[datetime]:
    """Half-hour starts the planner intends to charge in, for one revision of the plan."""
    if settings.suspended:
        return []
    session_rng = random.Random(f"{seed}:need:{device_id}:{session.day.isoformat()}")
    needed = Decimal(repr(session_rng.uniform(6.0, 28.0))) * _target(settings, session) / 80
    slots_needed = max(1, math.ceil(needed / (power_kw / 2)))
    if settings.capped:
        slots_needed = min(slots_needed, MAX_CAPPED_SLOTS)
    candidates = list(half_hours(ceil_half_hour(session.plug_in), floor_half_hour(session.unplug)))
    window_start = local_at(session.day, OFF_PEAK_START)
    window_end = local_at(session.day + DAY, OFF_PEAK_END)
    early = [s for s in candidates if s < window_start]
    off_peak = [s for s in candidates if window_start <= s < window_end]
    late = [s for s in candidates if s >= window_end]
    rng = random.Random(f"{seed}:plan:{device_id}:{session.day.isoformat()}:{revision}")
    extra = min(rng.choice((0, 0, 1, 2)), len(early), slots_needed)
    shift = rng.choice((0, 0, 1, 2))
    chosen: list[datetime] = []
    if extra:
        first = rng.randrange(len(early) - extra + 1)
        chosen.extend(early[first : first + extra])
    remaining = slots_needed - extra
    chosen.extend(off_peak[shift : shift + remaining])
    remaining -= len(off_peak[shift : shift + remaining])
    chosen.extend(late[:remaining])
    return sorted(chosen)


def actual_slots(
    seed: int, device: Device, session: Session, rules: DispatchRules
) -> frozenset[datetime]:
    """Half hours that were (or will be, if nothing changes) dispatched in a session."""
    return _actual_slots(
        seed,
        device.id,
        device.charge_power_kw,
        tuple(device.history),
        device.current_settings(),
        session,
        rules.revision_interval,
        rules.revisions,
    )


@lru_cache(maxsize=65536)
def _actual_slots(
    seed: int,
    device_id: str,
    power_kw: Decimal,
    history: tuple[tuple[datetime, DeviceSettings], ...],
    current: DeviceSettings,
    session: Session,
    interval: timedelta,
    revisions: int,
) -> frozenset[datetime]:
    rules = DispatchRules(revision_interval=interval, revisions=revisions)
    # Keyed by the settings object's identity: hashing settings for every slot is slow, and a
    # plan depends on the settings' value only, so equal objects planned twice agree.
    plans: dict[tuple[int, int], set[datetime]] = {}
    result: set[datetime] = set()
    for slot in half_hours(ceil_half_hour(session.plug_in), floor_half_hour(session.unplug)):
        revision = revision_at(session, slot, rules)
        settings = settings_at(history, current, slot)
        key = (revision, id(settings))
        planned = plans.get(key)
        if planned is None:
            planned = plans[key] = set(plan(seed, device_id, power_kw, session, revision, settings))
        if slot in planned:
            result.add(slot)
    return frozenset(result)


def _merge(slots: list[datetime], device: Device, kind: str) -> list[DispatchWindow]:
    windows: list[DispatchWindow] = []
    for slot in sorted(slots):
        if windows and windows[-1].end == slot:
            last = windows[-1]
            windows[-1] = DispatchWindow(
                last.start, slot + HALF_HOUR, kind, last.energy_kwh + _slot_energy(device)
            )
        else:
            windows.append(DispatchWindow(slot, slot + HALF_HOUR, kind, _slot_energy(device)))
    return windows


def planned_dispatches(
    seed: int, device: Device, now: datetime, rules: DispatchRules
) -> list[DispatchWindow]:
    """The current plan: dispatches not yet over, in time order (flexPlannedDispatches)."""
    windows: list[DispatchWindow] = []
    session = session_at(seed, device, now)
    if session is not None and device.status_current == "LIVE" and not device.suspended:
        revision = revision_at(session, now, rules)
        settings = device.current_settings()
        slots = plan(seed, device.id, device.charge_power_kw, session, revision, settings)
        windows.extend(w for w in _merge(slots, device, "SMART") if w.end > now)
    windows.extend(
        DispatchWindow(b.start, b.end, "BOOST", b.energy_kwh)
        for b in device.boosts
        if b.cancelled_at is None and b.end > now
    )
    return sorted(windows, key=lambda w: w.start)


def completed_dispatches(
    seed: int, devices: list[Device], now: datetime, rules: DispatchRules
) -> list[DispatchWindow]:
    """Dispatches over at least ``completed_lag`` ago and within the retention, newest first."""
    horizon = now - rules.completed_lag
    oldest = now - rules.completed_retention
    windows: list[DispatchWindow] = []
    for device in devices:
        day = local_date(oldest) - DAY
        while day <= local_date(horizon):
            session = session_on(seed, device, day)
            if session is not None:
                slots = sorted(actual_slots(seed, device, session, rules))
                windows.extend(
                    DispatchWindow(w.start, w.end, "SMART", w.energy_kwh, "smart-charge", "AT_HOME")
                    for w in _merge(slots, device, "SMART")
                )
            day += DAY
        for boost in device.boosts:
            end = boost.cancelled_at if boost.cancelled_at is not None else boost.end
            if end > boost.start:
                energy = boost.energy_kwh * Decimal((end - boost.start) / (boost.end - boost.start))
                windows.append(
                    DispatchWindow(boost.start, end, "BOOST", energy, "bump-charge", "AT_HOME")
                )
    kept = [w for w in windows if w.end <= horizon and w.end > oldest]
    return sorted(kept, key=lambda w: w.start, reverse=True)


def ev_load_slots(seed: int, device: Device, day: date, rules: DispatchRules) -> set[datetime]:
    """Half hours of a local day in which the device charged (for the meter's consumption)."""
    result: set[datetime] = set()
    for session_day in (day - DAY, day):
        session = session_on(seed, device, session_day)
        if session is not None:
            result |= actual_slots(seed, device, session, rules)
    start, end = local_at(day), local_at(day + DAY)
    return {slot for slot in result if start <= slot < end}
