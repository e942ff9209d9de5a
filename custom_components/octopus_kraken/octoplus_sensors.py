"""Octoplus sensors on the account device: enrolment status and points balance.

Read from the account coordinator (the status and points come in the account's own request),
and created only for an enrolled account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Octoplus
from .coordinators.account import AccountCoordinator
from .entity import OctopusEntity, account_device_info
from .entity_ids import account_object_prefix
from .runtime import OctopusConfigEntry


@dataclass(frozen=True, kw_only=True, slots=True)
class OctoplusSensorDescription(SensorEntityDescription):
    """An Octoplus sensor: its value from the account's Octoplus status."""

    value_fn: Callable[[Octoplus], Any]


OCTOPLUS_SENSORS = (
    OctoplusSensorDescription(
        key="octoplus_enrolment",
        translation_key="octoplus_enrolment",
        value_fn=lambda o: None if o.enrollment_status is None else o.enrollment_status.lower(),
    ),
    OctoplusSensorDescription(
        key="octoplus_points",
        translation_key="octoplus_points",
        native_unit_of_measurement="points",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda o: o.points,
    ),
)


class OctoplusSensor(OctopusEntity[AccountCoordinator], SensorEntity):
    """One Octoplus value of the account."""

    entity_description: OctoplusSensorDescription
    _live_data = True

    def __init__(
        self, coordinator: AccountCoordinator, description: OctoplusSensorDescription
    ) -> None:
        """Attach the sensor to the account's device."""
        number = coordinator.account_number
        super().__init__(
            coordinator,
            description,
            device_info=account_device_info(number),
            unique_id_prefix=f"{number}_account",
            object_id_prefix=account_object_prefix(number),
        )

    @callback
    def _recompute(self) -> None:
        data = self.coordinator.data
        octoplus = None if data is None else data.octoplus
        self._attr_native_value = (
            None if octoplus is None else self.entity_description.value_fn(octoplus)
        )


def add_octoplus_sensors(
    entry: OctopusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the Octoplus sensors, for an enrolled account only."""
    account = entry.runtime_data.account
    data = account.data
    if data is None or data.octoplus is None or not data.octoplus.enrolled:
        return
    async_add_entities(OctoplusSensor(account, description) for description in OCTOPLUS_SENSORS)
