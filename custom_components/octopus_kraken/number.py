"""Number platform: the charge target (%) of each SmartFlex device that has preferences."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import PERCENTAGE
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

PARALLEL_UPDATES = 1

# Used when the API gives no bounds (preferenceSetting) for the device.
DEFAULT_TARGET_MIN = Decimal(10)
DEFAULT_TARGET_MAX = Decimal(100)
DEFAULT_TARGET_STEP = Decimal(1)


@dataclass(frozen=True, kw_only=True)
class SmartFlexNumberDescription(NumberEntityDescription):
    """A number of a SmartFlex device, created for the devices ``exists_fn`` accepts."""

    exists_fn: Callable[[SmartFlexDevice], bool]


NUMBERS: tuple[SmartFlexNumberDescription, ...] = (
    SmartFlexNumberDescription(
        key="charge_target_control",
        translation_key="charge_target_control",
        native_unit_of_measurement=PERCENTAGE,
        mode=NumberMode.SLIDER,
        exists_fn=has_preferences,
    ),
)


class ChargeTargetNumber(SmartFlexControl[Decimal], NumberEntity):
    """The state of charge the device should reach by the ready-by time."""

    def __init__(
        self,
        coordinator: SmartFlexCoordinator,
        description: SmartFlexNumberDescription,
        device: SmartFlexDevice,
    ) -> None:
        """Create the number with the device's bounds and step."""
        super().__init__(coordinator, description, device)
        bounds = device.bounds
        self._attr_native_min_value = float(bounds.target_min if bounds else DEFAULT_TARGET_MIN)
        self._attr_native_max_value = float(bounds.target_max if bounds else DEFAULT_TARGET_MAX)
        self._attr_native_step = float(bounds.target_step if bounds else DEFAULT_TARGET_STEP)

    @property
    def native_value(self) -> float | None:
        """The target of today's charging preference."""
        view = self.view
        actual = view.target_percentage if view is not None else None
        shown = self._shown(actual)
        return float(shown) if shown is not None else None

    async def async_set_native_value(self, value: float) -> None:
        """Set today's target, for the whole week while its days agree (``domain.schedules``)."""
        view = self.view
        if view is None or view.ready_by is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="preferences_unknown"
            )
        step = self._attr_native_step or 1
        offset = self._attr_native_min_value or 0
        if (value - offset) % step:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="charge_target_step",
                translation_placeholders={"step": f"{step:g}"},
            )
        target = round(value)
        now = dt_util.utcnow()
        week = changed_week(view.device.schedules, weekday_of(now), target=Decimal(target))
        action = self.coordinator.client.async_set_schedules(self.device_id, week)

        def took_effect() -> bool:
            now = self.view
            return now is not None and now.target_percentage == target

        await self._async_act(action, Decimal(target), took_effect)


def _numbers(
    coordinator: SmartFlexCoordinator, device: SmartFlexDevice
) -> Iterable[ChargeTargetNumber]:
    return (ChargeTargetNumber(coordinator, d, device) for d in NUMBERS if d.exists_fn(device))


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the charge target of every SmartFlex device with preferences."""
    async_add_smartflex_entities(entry, async_add_entities, _numbers)
