"""Switch platform: boost charge and smart charging of each SmartFlex device."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import BoostAction, OctopusClient, SmartControlAction, SmartFlexDevice
from .coordinators.smartflex import SmartFlexCoordinator
from .runtime import OctopusConfigEntry
from .smartflex import async_add_smartflex_entities
from .smartflex_controls import SmartFlexControl
from .smartflex_view import DeviceView

PARALLEL_UPDATES = 1  # one mutation at a time per platform: they are rate limited


@dataclass(frozen=True, kw_only=True, slots=True)
class SmartFlexSwitchDescription(SwitchEntityDescription):
    """A SmartFlex switch: its state from the view, the mutation for on and off."""

    is_on_fn: Callable[[DeviceView], bool]
    set_fn: Callable[[OctopusClient, str, bool], Any]


SWITCHES: tuple[SmartFlexSwitchDescription, ...] = (
    SmartFlexSwitchDescription(
        key="boost_charge",
        translation_key="boost_charge",
        is_on_fn=lambda v: v.is_boosting,
        set_fn=lambda client, device_id, on: client.async_set_boost(
            device_id, BoostAction.BOOST if on else BoostAction.CANCEL
        ),
    ),
    SmartFlexSwitchDescription(
        key="smart_charging",
        translation_key="smart_charging",
        is_on_fn=lambda v: v.smart_control_on,
        set_fn=lambda client, device_id, on: client.async_set_smart_control(
            device_id, SmartControlAction.UNSUSPEND if on else SmartControlAction.SUSPEND
        ),
    ),
)


class SmartFlexSwitch(SmartFlexControl[bool], SwitchEntity):
    """A switch of one SmartFlex device."""

    entity_description: SmartFlexSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """On as the API last said, or as just asked after a successful action."""
        view = self.view
        actual = self.entity_description.is_on_fn(view) if view is not None else None
        return self._shown(actual)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start the boost, or give control back to Octopus."""
        await self._async_switch(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Cancel the boost, or suspend smart control."""
        await self._async_switch(False)

    async def _async_switch(self, on: bool) -> None:
        client = self.coordinator.client
        description = self.entity_description

        def took_effect() -> bool:
            view = self.view
            return view is not None and description.is_on_fn(view) == on

        await self._async_act(description.set_fn(client, self.device_id, on), on, took_effect)


def _switches(
    coordinator: SmartFlexCoordinator, device: SmartFlexDevice
) -> Iterable[SmartFlexSwitch]:
    return (SmartFlexSwitch(coordinator, d, device) for d in SWITCHES)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OctopusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches of every SmartFlex device, now and as devices appear."""
    async_add_smartflex_entities(entry, async_add_entities, _switches)
