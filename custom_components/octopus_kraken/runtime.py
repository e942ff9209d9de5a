"""What a loaded config entry holds: the client, the coordinators and the selected meters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry

from .api import Account, Agreement, Fuel, OctopusClient, Tariff
from .const import (
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_IS_EXPORT,
    CONF_MPAN,
    CONF_MPRN,
    CONF_SERIAL,
    CONF_TARIFF_CODE,
)

if TYPE_CHECKING:
    from .coordinators.account import AccountCoordinator
    from .coordinators.consumption import ConsumptionCoordinator
    from .coordinators.dispatch import DispatchCoordinator
    from .coordinators.rates import RatesCoordinator
    from .coordinators.telemetry import TelemetryCoordinator


@dataclass(frozen=True, slots=True)
class MeterConfig:
    """A meter the user selected (discovered or typed in) in the config flow."""

    fuel: Fuel
    mpxn: str  # MPAN (electricity) or MPRN (gas)
    serial: str
    is_export: bool = False
    tariff_code: str | None = None  # only for manually entered meters

    @property
    def key(self) -> str:
        """A stable identifier, used in unique ids and cache names."""
        flow = "export" if self.is_export else "import"
        return f"{self.fuel.value}_{flow}_{self.mpxn}_{self.serial}"

    @property
    def kind(self) -> str:
        """``electricity_import``, ``electricity_export`` or ``gas``; translation keys use it."""
        if self.fuel is Fuel.GAS:
            return "gas"
        return "electricity_export" if self.is_export else "electricity_import"


def meters_from_entry_data(data: Mapping[str, Any]) -> tuple[MeterConfig, ...]:
    """The meters stored in a config entry's data."""
    meters = [
        MeterConfig(
            fuel=Fuel.ELECTRICITY,
            mpxn=item[CONF_MPAN],
            serial=item[CONF_SERIAL],
            is_export=bool(item.get(CONF_IS_EXPORT, False)),
            tariff_code=item.get(CONF_TARIFF_CODE) or None,
        )
        for item in data.get(CONF_ELECTRICITY_METERS, [])
    ]
    meters.extend(
        MeterConfig(
            fuel=Fuel.GAS,
            mpxn=item[CONF_MPRN],
            serial=item[CONF_SERIAL],
            tariff_code=item.get(CONF_TARIFF_CODE) or None,
        )
        for item in data.get(CONF_GAS_METERS, [])
    )
    return tuple(meters)


def agreements_for(account: Account | None, meter: MeterConfig) -> tuple[Agreement, ...]:
    """The agreements that put ``meter`` on a tariff, oldest first.

    A manually entered meter with a tariff code gets one open-ended agreement on that tariff.
    """
    if meter.tariff_code:
        return (
            Agreement(tariff=Tariff(tariff_code=meter.tariff_code), valid_from=None, valid_to=None),
        )
    if account is None:
        return ()
    points = (
        account.gas_meter_points if meter.fuel is Fuel.GAS else account.electricity_meter_points
    )
    found: list[Agreement] = []
    for point in points:
        ident = getattr(point, "mprn", None) or getattr(point, "mpan", None)
        if ident == meter.mpxn:
            found.extend(point.agreements)
    return tuple(sorted(found, key=_agreement_start))


def agreement_at(agreements: tuple[Agreement, ...], instant: datetime) -> Agreement | None:
    """The agreement in force at ``instant``."""
    for agreement in agreements:
        if agreement.valid_from is not None and instant < agreement.valid_from:
            continue
        if agreement.valid_to is not None and instant >= agreement.valid_to:
            continue
        return agreement
    return None


def _agreement_start(agreement: Agreement) -> datetime:
    return agreement.valid_from or datetime.min.replace(tzinfo=UTC)


@dataclass(slots=True)
class OctopusRuntimeData:
    """Everything a loaded entry needs; lives on ``entry.runtime_data``."""

    client: OctopusClient
    account: AccountCoordinator
    meters: tuple[MeterConfig, ...]
    # Filled by each feature's set-up: rates and consumption by ``MeterConfig.key``, the
    # dispatch coordinator under one key per entry, telemetry by Home Mini device id.
    rates: dict[str, RatesCoordinator] = field(default_factory=dict)
    consumption: dict[str, ConsumptionCoordinator] = field(default_factory=dict)
    dispatch: dict[str, DispatchCoordinator] = field(default_factory=dict)
    telemetry: dict[str, TelemetryCoordinator] = field(default_factory=dict)


type OctopusConfigEntry = ConfigEntry[OctopusRuntimeData]
