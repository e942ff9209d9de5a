"""The base entity and the devices it hangs off: the account, meters, SmartFlex devices."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import EntityPlatform
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator

from .api import SmartFlexDevice
from .const import ATTRIBUTION, DOMAIN
from .entity_ids import object_id
from .meters import MeterConfig, MeterKind

MANUFACTURER = "Octopus Energy"
METER_NAMES = {
    MeterKind.ELECTRICITY_IMPORT: "Electricity import meter",
    MeterKind.ELECTRICITY_EXPORT: "Electricity export meter",
    MeterKind.GAS: "Gas meter",
}


def account_device_info(account_number: str) -> DeviceInfo:
    """The device that carries account-wide entities (balance)."""
    return DeviceInfo(
        identifiers={(DOMAIN, f"account_{account_number}")},
        name="Octopus account",
        manufacturer=MANUFACTURER,
        entry_type=DeviceEntryType.SERVICE,
    )


def meter_device_info(account_number: str, meter: MeterConfig) -> DeviceInfo:
    """One device per meter (import, export, gas)."""
    return DeviceInfo(
        identifiers={(DOMAIN, f"meter_{meter.key}")},
        name=METER_NAMES[meter.kind],
        manufacturer=MANUFACTURER,
        model="Smart meter",
        serial_number=meter.serial,
        via_device=(DOMAIN, f"account_{account_number}"),
    )


def smartflex_device_info(account_number: str, device: SmartFlexDevice) -> DeviceInfo:
    """One device per SmartFlex device (charger, vehicle, battery...)."""
    return DeviceInfo(
        identifiers={(DOMAIN, f"smartflex_{device.id}")},
        name=device.name
        or " ".join(p for p in (device.make, device.model) if p)
        or "SmartFlex device",
        manufacturer=device.make or device.provider,
        model=device.model or device.device_type,
        via_device=(DOMAIN, f"account_{account_number}"),
    )


class OctopusEntity[CoordinatorT: DataUpdateCoordinator[Any]](CoordinatorEntity[CoordinatorT]):
    """Base of every entity: named by translation key, attached to a device.

    State is computed in ``_recompute`` when the entity is added and whenever the coordinator
    (or its clock) wakes the listeners, never in property getters.
    """

    _attr_has_entity_name = True
    _attr_attribution = ATTRIBUTION
    # Live measurements (demand, balance) go stale the moment a poll fails; published data
    # (prices, plans, past consumption) stays true, so it keeps showing through a failed poll.
    _live_data = False

    def __init__(
        self,
        coordinator: CoordinatorT,
        description: EntityDescription,
        *,
        device_info: DeviceInfo,
        unique_id_prefix: str,
        object_id_prefix: str | None = None,
    ) -> None:
        """Attach the entity to its device; unique id = prefix + description key.

        With ``object_id_prefix`` (meters and the account, see ``entity_ids``) the entity id is
        ``<platform>.<object_id_prefix>_<name>`` instead of one derived from the device's name,
        which two meters or two accounts share.
        """
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_device_info = device_info
        self._attr_unique_id = f"{unique_id_prefix}_{description.key}"
        self._object_id: str | None = None
        if object_id_prefix is not None and description.translation_key is not None:
            self._object_id = object_id(object_id_prefix, description.translation_key)

    def add_to_platform_start(
        self,
        hass: HomeAssistant,
        platform: EntityPlatform,
        parallel_updates: asyncio.Semaphore | None,
    ) -> None:
        """Suggest the entity id once the platform (its domain) is known.

        Only a suggestion: an entity already registered keeps its id, and one the user renamed
        keeps theirs (``migration`` moves ids of earlier versions).
        """
        super().add_to_platform_start(hass, platform, parallel_updates)
        if self._object_id is not None and not self.entity_id:
            self.entity_id = f"{platform.domain}.{self._object_id}"

    @property
    def available(self) -> bool:
        """Available while there is data, and for live measurements while polls succeed."""
        if self.coordinator.data is None:
            return False
        return self.coordinator.last_update_success or not self._live_data

    @callback
    def _recompute(self) -> None:
        """Compute the state from the coordinator's data (each entity says how)."""

    async def async_added_to_hass(self) -> None:
        """Compute the first state from the data already there."""
        self._recompute()
        await super().async_added_to_hass()

    @callback
    def _handle_coordinator_update(self) -> None:
        """New data, or a boundary passed: recompute, then write the state."""
        self._recompute()
        super()._handle_coordinator_update()
