"""Turn a discovered account into the meters and devices a config entry stores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .api import Account, Direction, SmartFlexDevice
from .const import CONF_IS_EXPORT, CONF_MPAN, CONF_MPRN, CONF_SERIAL


@dataclass(frozen=True, slots=True)
class DiscoveredMeters:
    """The selectable meters and devices of one account, in entry-data form."""

    electricity: tuple[dict[str, Any], ...]
    gas: tuple[dict[str, Any], ...]
    devices: tuple[str, ...]


def discover_meters(
    account: Account, devices: tuple[SmartFlexDevice, ...] = ()
) -> DiscoveredMeters:
    """Every (meter point, serial) pair of the account and every non-retired SmartFlex device."""
    electricity = tuple(
        {
            CONF_MPAN: point.mpan,
            CONF_SERIAL: meter.serial_number,
            CONF_IS_EXPORT: point.direction is Direction.EXPORT,
        }
        for point in account.electricity_meter_points
        for meter in point.meters
    )
    gas = tuple(
        {CONF_MPRN: point.mprn, CONF_SERIAL: meter.serial_number}
        for point in account.gas_meter_points
        for meter in point.meters
    )
    device_ids = tuple(
        d.id for d in devices if d.status_current != "RETIRED" and not d.is_heat_pump
    )
    return DiscoveredMeters(electricity=electricity, gas=gas, devices=device_ids)


def account_title(account: Account) -> str:
    """Entry title: the account number's last digits and the first address line if known."""
    suffix = account.number[-4:]
    line = next((p.address_line_1 for p in account.properties if p.address_line_1), None)
    return f"Octopus …{suffix} ({line})" if line else f"Octopus …{suffix}"
