"""The base of sensors that show one subentry's local model (a cost tracker, a tariff comparison).

The model belongs to a config subentry and tells its listeners when it changed; the sensor
recomputes its state from it (``_refresh``) and writes it. No coordinator, no API request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from homeassistant.components.sensor import SensorEntity, SensorEntityDescription
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers.device_registry import DeviceInfo


class SubentryModel(Protocol):
    """What a subentry's model offers its sensors."""

    @property
    def subentry(self) -> ConfigSubentry:
        """The subentry the model belongs to."""

    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` whenever the model changed; returns the way to stop."""


class SubentrySensor[ModelT: SubentryModel](SensorEntity):
    """A sensor of one subentry's model, refreshed whenever the model changes."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self, model: ModelT, description: SensorEntityDescription, device: DeviceInfo
    ) -> None:
        """Attach the sensor to its subentry's device."""
        self._model = model
        self.entity_description = description
        self._attr_device_info = device
        self._attr_unique_id = f"{model.subentry.subentry_id}_{description.key}"
        self._refresh()

    async def async_added_to_hass(self) -> None:
        """Follow the model."""
        await super().async_added_to_hass()
        self.async_on_remove(self._model.async_add_listener(self._on_update))

    @callback
    def _on_update(self) -> None:
        self._refresh()
        self.async_write_ha_state()

    @callback
    def _refresh(self) -> None:
        """Recompute the state from the model."""
        raise NotImplementedError
