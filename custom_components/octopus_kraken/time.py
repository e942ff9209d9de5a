"""Time platform: the ready-by time of each SmartFlex device that has preferences."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import time

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import SmartFlexDevice
from .const import DOMAIN
from .coordinators.smartflex import SmartFlexCoordinator
from .domain.schedules import changed_week, weekday_of
from .runtime import OctopusConfigEntry
from .smartflex import async_add_smartflex_entities
from .smartflex_controls import SmartFlexControl, has_preferences
from .smartflex_view import parse_ready_by

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class SmartFlexTimeDescription(TimeEntityDescription):
    """A time of a SmartFlex device, created for the devices ``exists_fn`` accepts."""

    exists_fn: Callable[[SmartFlexDevice], bool]


TIMES: tuple[SmartFlexTimeDescription, ...] = (
    SmartFlexTimeDescription(
        key="ready_by_control", translation_key="ready_by_control", exists_fn=has_preferences
    ),
)


class ReadyByTime(SmartFlexControl[time], TimeEntity):
    """The time by which the device should have reached its charge target."""

    @property
    def native_value(self) -> time | None:
        """The ready-by time of today's charging preference (local time)."""
        view = self.view
        return self._shown(view.ready_by if view is not None else None)

    def _check_bounds(self, value: time) -> None:
        view = self.view
        bounds = view.device.bounds if view is not None else None
        if bounds is None:
            return
        earliest, latest = parse_ready_by(bounds.time_from), parse_ready_by(bounds.time_to)
        minutes = value.hour * 60 + value.minute
        step = bounds.time_step_minutes or 1
        outside = (earliest is not None and value < earliest) or (
            latest is not None and value > latest
        )
        if outside or minutes % step or value.second:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="ready_by_out_of_range",
                translation_placeholders={
                    "earliest": bounds.time_from,
                    "latest": bounds.time_to,
                    "step": str(step),
                },
            )

    async def async_set_value(self, value: time) -> None:
        """Set today's ready-by time, for the whole week while its days agree."""
        view = self.view
        if view is None or view.target_percentage is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="preferences_unknown"
            )
        self._check_bounds(value)
        week = changed_week(view.device.schedules, weekday_of(dt_util.utcnow()), ready_by=value)
        action = self.coordinator.client.async_set_schedules(self.device_id, week)
        wanted = value.replace(second=0, microsecond=0)

        def took_effect() -> bool:
            now = self.view
            return now is not None and now.ready_by == wanted

        await self._async_act(action, wanted, took_effect)


def _times(coordinator: SmartFlexCoordinator, device: SmartFlexDevice) -> Iterable[ReadyByTime]:
    return (ReadyByTime(coordinator, d, device) for d in TIMES if d.exists_fn(device))


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the ready-by time of every SmartFlex device with preferences."""
    async_add_smartflex_entities(entry, async_add_entities, _times)
