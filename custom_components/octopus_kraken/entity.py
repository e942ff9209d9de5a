"""The base entity and the devices it hangs off: the account, meters, SmartFlex devices."""

from __future__ import annotations

from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator

from .api import SmartFlexDevice
from .const import ATTRIBUTION, DOMAIN
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
    ) -> None:
        """Attach the entity to its device; unique id = prefix + description key."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_device_info = device_info
        self._attr_unique_id = f"{unique_id_prefix}_{description.key}"

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
