"""SmartFlex: one coordinator per account, every device's dispatches in one GraphQL request.

Each fetch asks ``FlexState`` (devices, completed dispatches and the plan of every live device)
at once. It polls as ``domain.smartflex_policy`` says (often while something can change soon, slowly
otherwise) and never lets ``flexPlannedDispatches`` (5 calls a minute per user) go over
:data:`PLANNED_CALLS_PER_MINUTE` whatever asks for a refresh. Completed dispatches, which
the API forgets after a while, are kept here for 30 days; so are the plans' started dispatches,
which cover the hours before the completed list catches up. Everything is persisted.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from ..api import (
    Dispatch,
    FlexState,
    OctopusAuthError,
    OctopusClient,
    OctopusGraphQLError,
    OctopusRateLimitError,
    SmartFlexDevice,
)
from ..codec import from_json, to_json
from ..const import CONF_ACCOUNT_NUMBER, CONF_DEVICES, LOGGER
from ..domain.dispatch import track_started_dispatches
from ..domain.jitter import jittered
from ..domain.price_model import dispatch_off_peak
from ..domain.smartflex_policy import FAST_AFTER_CHANGE, idle_interval, is_active, signature
from ..domain.time import Period, next_boundary
from ..wakeup import WakeUp, stop_all
from .account import AccountCoordinator, AccountData
from .base import FetchResult, OctopusCoordinator

# The API allows 5 ``flexPlannedDispatches`` a minute per user; the Octopus app shares them.
PLANNED_CALLS_PER_MINUTE = 4
MIN_DISPATCH_INTERVAL = timedelta(seconds=60)
NO_DEVICE_INTERVAL = timedelta(hours=6)  # no SmartFlex device: no request at all
KEEP_COMPLETED = timedelta(days=30)
KEEP_STARTED = timedelta(days=2)
RATE_LIMIT_COOL_DOWN = timedelta(minutes=5)

LIVE = "LIVE"
RETIRED = "RETIRED"


@dataclass(frozen=True, slots=True)
class SmartFlexData:
    """The account's SmartFlex devices and dispatches; ``completed`` is kept locally for 30 days."""

    devices: tuple[SmartFlexDevice, ...] = ()
    planned: dict[str, tuple[Dispatch, ...]] = field(default_factory=dict)
    completed: tuple[Dispatch, ...] = ()
    started: tuple[Dispatch, ...] = ()  # planned dispatches seen running (any device)
    fetched_at: datetime | None = None

    known_ids: tuple[str, ...] = ()  # every device id seen, so a new one can be told apart
    next_fetch: datetime | None = None
    changed_at: datetime | None = None  # when a device's state or plan last changed

    def device(self, device_id: str) -> SmartFlexDevice | None:
        """The device with ``device_id``, if the account has it."""
        return next((d for d in self.devices if d.id == device_id), None)

    def all_planned(self) -> tuple[Dispatch, ...]:
        """Every device's plan in one list, by start."""
        return tuple(sorted((d for p in self.planned.values() for d in p), key=lambda d: d.start))

    def off_peak_periods(self, now: datetime) -> list[Period]:
        """The merged half-hours smart dispatches make off-peak (boosts excluded, capped)."""
        return list(dispatch_off_peak(self.completed, self.all_planned(), self.started, now=now))


def merge_completed(
    kept: Iterable[Dispatch], fetched: Iterable[Dispatch], now: datetime
) -> tuple[Dispatch, ...]:
    """Kept and newly fetched completed dispatches, one per (start, end), the last 30 days."""
    merged = {(d.start, d.end): d for d in kept}
    merged.update({(d.start, d.end): d for d in fetched})
    cutoff = now - KEEP_COMPLETED
    return tuple(merged[key] for key in sorted(merged) if key[1] >= cutoff)


class PlannedCallBudget:
    """A sliding one-minute window of ``flexPlannedDispatches`` calls."""

    def __init__(self, per_minute: int = PLANNED_CALLS_PER_MINUTE) -> None:
        """Allow ``per_minute`` calls in any 60 seconds."""
        self.per_minute = per_minute
        self._calls: deque[datetime] = deque()

    def _trim(self, now: datetime) -> None:
        while self._calls and self._calls[0] <= now - timedelta(minutes=1):
            self._calls.popleft()

    def allowed_at(self, now: datetime, calls: int) -> datetime:
        """The first instant at which ``calls`` more calls fit (``now`` if they fit already)."""
        self._trim(now)
        excess = len(self._calls) + calls - self.per_minute
        if excess <= 0:
            return now
        return self._calls[excess - 1] + timedelta(minutes=1, seconds=1)

    def record(self, now: datetime, calls: int) -> None:
        """Count ``calls`` made at ``now``."""
        self._calls.extend([now] * calls)


class SmartFlexCoordinator(OctopusCoordinator[SmartFlexData]):
    """Keeps every SmartFlex device's plan and the account's completed dispatches.

    Its listeners are also woken at every half-hour boundary and dispatch start or end, so what
    depends on the clock (entities, the rates' off-peak periods) moves on without a request.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: OctopusClient,
        account: AccountCoordinator,
        *,
        interval: timedelta,
        adopt_devices: Callable[[list[str]], None],
    ) -> None:
        """Create the coordinator; ``adopt_devices`` records newly followed device ids."""
        super().__init__(hass, entry, name="dispatches", store_key="dispatches")
        self.client = client
        self.account = account
        self.account_number: str = entry.data[CONF_ACCOUNT_NUMBER]
        # The devices the user chose in the config flow (None: an entry from before the choice).
        selected = entry.data.get(CONF_DEVICES)
        self.selected: frozenset[str] | None = None if selected is None else frozenset(selected)
        # Without a cache, the devices the account had at set-up count as already seen.
        self._seen_at_setup = (
            frozenset(d.id for d in account.data.devices) if account.data else None
        )
        self.interval = max(interval, MIN_DISPATCH_INTERVAL)
        self.budget = PlannedCallBudget()
        self._adopt_devices = adopt_devices
        self._force = False
        self._rotation = 0
        # Wakes the listeners at the next half-hour boundary or dispatch edge; they re-arm it.
        self._tick = WakeUp(hass, self.async_update_listeners)
        self._unsubs: list[CALLBACK_TYPE] = []

    # --- fetching -------------------------------------------------------------------------------

    def tracked(self, devices: Iterable[SmartFlexDevice]) -> list[SmartFlexDevice]:
        """The devices that get entities and polls: chosen by the user and not retired."""
        return [
            d
            for d in devices
            if d.status_current != RETIRED
            and not d.is_heat_pump  # read through heatPumpStatus, never charged
            and (self.selected is None or d.id in self.selected)
        ]

    def _known_devices(self, previous: SmartFlexData | None) -> tuple[SmartFlexDevice, ...]:
        if previous is not None and previous.fetched_at is not None:
            return previous.devices
        account: AccountData | None = self.account.data
        return account.devices if account is not None else ()

    def _next_due(
        self, devices: list[SmartFlexDevice], data: SmartFlexData, now: datetime
    ) -> datetime:
        if not devices:
            return now + NO_DEVICE_INTERVAL
        active = any(is_active(d, data.planned.get(d.id, ())) for d in devices)
        recent = data.changed_at is not None and now - data.changed_at < FAST_AFTER_CHANGE
        return (
            jittered(now + self.interval, low=1, high=20)
            if active or recent
            else jittered(now + idle_interval(devices))
        )

    def _planned_ids(self, devices: list[SmartFlexDevice]) -> list[str]:
        """Live devices whose plan to ask for: at most the budget, taking turns beyond it."""
        live = sorted(d.id for d in devices if d.status_current == LIVE)
        if len(live) <= PLANNED_CALLS_PER_MINUTE:
            return live
        start = self._rotation % len(live)
        self._rotation += PLANNED_CALLS_PER_MINUTE
        return [live[(start + i) % len(live)] for i in range(PLANNED_CALLS_PER_MINUTE)]

    async def _async_fetch(
        self, previous: SmartFlexData | None, now: datetime
    ) -> FetchResult[SmartFlexData]:
        devices = self.tracked(self._known_devices(previous))
        base = previous or SmartFlexData()
        if not devices and not self._force:
            # No SmartFlex device (yet): cost nothing; the account's refresh wakes us up.
            return FetchResult(base, now + NO_DEVICE_INTERVAL)
        due = base.next_fetch
        # A device chosen since the cache was written (a new one) is worth a fetch at once.
        missing = self.selected is not None and bool(self.selected - {d.id for d in base.devices})
        if not self._force and not missing and due is not None and now + timedelta(seconds=5) < due:
            return FetchResult(base, due)  # a fresh cache after a restart
        device_ids = self._planned_ids(devices)
        allowed = self.budget.allowed_at(now, len(device_ids))
        if allowed > now:
            LOGGER.debug("Postponing the dispatch fetch to stay under the API's limit")
            return FetchResult(base, allowed)
        self._force = False
        self.budget.record(now, len(device_ids))
        state = await self._async_get_state(device_ids)
        tracked = self.tracked(state.devices)
        # Devices whose plan was not asked for this time keep their previous plan.
        planned = {
            d.id: state.planned.get(d.id, base.planned.get(d.id, ()))
            for d in tracked
            if d.status_current == LIVE
        }
        all_planned = [p for plans in planned.values() for p in plans]
        started = track_started_dispatches(
            base.started, all_planned, now, forget_before=now - KEEP_STARTED
        )
        seen = {d.id for d in state.devices if d.status_current != RETIRED and not d.is_heat_pump}
        if base.fetched_at is not None:
            known = set(base.known_ids)
        else:
            known = set(self._seen_at_setup if self._seen_at_setup is not None else seen)
        self._adopt_new_devices(seen - known)
        data = SmartFlexData(
            devices=state.devices,
            planned=planned,
            completed=merge_completed(base.completed, state.completed, now),
            started=started,
            fetched_at=now,
            known_ids=tuple(sorted(known | seen)),
            changed_at=base.changed_at,
        )
        if base.fetched_at is not None and signature(data.devices, data.planned) != signature(
            base.devices, base.planned
        ):
            data = replace(data, changed_at=now)
        next_fetch = self._next_due(tracked, data, now)
        return FetchResult(replace(data, next_fetch=next_fetch), next_fetch)

    async def _async_get_state(self, device_ids: list[str]) -> FlexState:
        """The flex state; a device that left the account fails only its own plan lookup."""
        try:
            return await self.client.async_get_flex_state(self.account_number, device_ids)
        except OctopusRateLimitError as err:
            # Cool down for a while: flexPlannedDispatches is counted per minute, per user.
            err.retry_after = max(err.retry_after or 0, RATE_LIMIT_COOL_DOWN.total_seconds())
            raise
        except (OctopusAuthError, OctopusGraphQLError):
            if not device_ids:
                raise
            # A removed device's plan answers "unauthorised" (KT-CT-1111): ask for the devices
            # alone; a real credentials problem fails again and is raised from there.
            LOGGER.debug("A SmartFlex plan lookup failed; fetching the device list alone")
            return await self.client.async_get_flex_state(self.account_number, [])

    def _adopt_new_devices(self, new: set[str]) -> None:
        """Follow devices added to the account since the user chose (the entry reloads)."""
        if not new or self.selected is None:
            return
        LOGGER.debug("Following %d new SmartFlex device(s)", len(new))
        added = sorted(new - self.selected)
        self.selected = self.selected | frozenset(added)
        self._adopt_devices(added)

    async def async_refresh_soon(self) -> None:
        """Fetch now (after a control action or a new device), within the rate limit.

        No debouncer: the planned-call budget already spaces requests, and the user should see
        the result of an action at once.
        """
        self._force = True
        await self.async_refresh()

    def _serialize(self, data: SmartFlexData) -> dict[str, Any]:
        return {"data": to_json(data)}

    def _deserialize(self, stored: dict[str, Any]) -> SmartFlexData:
        return from_json(SmartFlexData, stored["data"])

    # --- the clock and the account ----------------------------------------------------------------

    def tracked_ids(self) -> frozenset[str]:
        """Ids of the devices that have entities now."""
        data: SmartFlexData | None = self.data
        return (
            frozenset(d.id for d in self.tracked(data.devices)) if data is not None else frozenset()
        )

    @callback
    def async_start(self) -> None:
        """Follow the account's device list and wake the listeners with the clock."""
        self._unsubs.append(self.account.async_add_listener(self._account_updated))
        # Our own listener re-arms the clock whenever listeners are told something changed.
        self._unsubs.append(self.async_add_listener(self._schedule_tick))
        self._schedule_tick()

    @callback
    def async_stop(self) -> None:
        """Stop the clock and the account listener (idempotent)."""
        stop_all(self._tick, self._unsubs)

    @callback
    def _account_updated(self) -> None:
        account: AccountData | None = self.account.data
        data: SmartFlexData | None = self.data
        if account is None or data is None:
            return
        known = {d.id for d in data.devices}
        if any(d.id not in known and d.status_current != RETIRED for d in account.devices):
            self.config_entry.async_create_background_task(
                self.hass, self.async_refresh_soon(), "octopus_kraken new SmartFlex device"
            )

    @callback
    def _schedule_tick(self) -> None:
        """Wake at the next half-hour boundary or dispatch start/end, whichever comes first."""
        now = dt_util.utcnow()
        moments = [next_boundary(now)]
        if self.data is not None:
            moments.extend(t for d in self.data.all_planned() for t in (d.start, d.end) if t > now)
        self._tick.at(min(moments))

    async def async_shutdown(self) -> None:
        """Stop the clock with the entry (the base writes the cache)."""
        self.async_stop()
        await super().async_shutdown()
