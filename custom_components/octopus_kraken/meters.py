"""The meters a user selected and the agreements that put them on a tariff (no Home Assistant)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from .api import Account, Agreement, Fuel, Tariff
from .const import (
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_IS_EXPORT,
    CONF_MPAN,
    CONF_MPRN,
    CONF_SERIAL,
    CONF_TARIFF_CODE,
)
from .domain.tariff_codes import InvalidTariffCodeError, TariffKind, parse_tariff_code

KWH = "kWh"
M3 = "m³"


class MeterKind(StrEnum):
    """What a meter measures; the values are part of translation keys and statistic ids."""

    ELECTRICITY_IMPORT = "electricity_import"
    ELECTRICITY_EXPORT = "electricity_export"
    GAS = "gas"


# What users pick in actions and forms -> the kind of meter it names.
METER_CHOICES: dict[str, MeterKind] = {
    "import": MeterKind.ELECTRICITY_IMPORT,
    "export": MeterKind.ELECTRICITY_EXPORT,
    "gas": MeterKind.GAS,
}


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
    def kind(self) -> MeterKind:
        """Import, export or gas; translation keys use it."""
        if self.fuel is Fuel.GAS:
            return MeterKind.GAS
        return MeterKind.ELECTRICITY_EXPORT if self.is_export else MeterKind.ELECTRICITY_IMPORT


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
    found: list[Agreement] = []
    if meter.fuel is Fuel.GAS:
        for gas in account.gas_meter_points:
            if gas.mprn == meter.mpxn:
                found.extend(gas.agreements)
    else:
        for electricity in account.electricity_meter_points:
            if electricity.mpan == meter.mpxn:
                found.extend(electricity.agreements)
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


def meter_unit(account: Account | None, meter: MeterConfig) -> str:
    """The unit a meter reports: kWh, or m³ for SMETS2 gas (assumed when the account is silent)."""
    if meter.fuel is not Fuel.GAS:
        return KWH
    for point in account.gas_meter_points if account else ():
        if point.mprn != meter.mpxn:
            continue
        for gas_meter in point.meters:
            if gas_meter.serial_number == meter.serial and gas_meter.consumption_units:
                units = gas_meter.consumption_units.strip().lower()
                return KWH if units == "kwh" else M3
    return M3


def on_intelligent_go(
    account: Account | None, meters: Iterable[MeterConfig], now: datetime
) -> bool:
    """Whether an electricity import meter is on Intelligent Octopus Go at ``now``."""
    for meter in meters:
        if meter.kind is not MeterKind.ELECTRICITY_IMPORT:
            continue
        agreement = agreement_at(agreements_for(account, meter), now)
        if agreement is None:
            continue
        try:
            code = parse_tariff_code(agreement.tariff.tariff_code)
        except InvalidTariffCodeError:
            continue
        if code.kind is TariffKind.INTELLIGENT_GO:
            return True
    return False
