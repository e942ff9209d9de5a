"""What a loaded config entry holds: the client, the options, the meters and the coordinators."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeassistant.config_entries import ConfigEntry

from .api import OctopusClient
from .comparison import TariffComparison
from .coordinators.account import AccountCoordinator
from .coordinators.consumption import ConsumptionCoordinator
from .coordinators.heat_pump import HeatPumpCoordinator
from .coordinators.rates import RatesCoordinator
from .coordinators.smartflex import SmartFlexCoordinator
from .coordinators.telemetry import TelemetryCoordinator
from .meters import MeterConfig
from .options import OctopusOptions


@dataclass(slots=True)
class OctopusRuntimeData:
    """Everything a loaded entry needs; lives on ``entry.runtime_data``.

    Built by ``builder.async_build_runtime``: rates and consumption by ``MeterConfig.key``,
    Home Mini telemetry by device id.
    """

    client: OctopusClient
    options: OctopusOptions
    meters: tuple[MeterConfig, ...]
    account: AccountCoordinator
    smartflex: SmartFlexCoordinator
    # Whether an import meter was on Intelligent Octopus Go at set-up ("off-peak now" needs it).
    on_intelligent_go: bool = False
    # Only when the account's device list has a heat pump: no request otherwise.
    heat_pump: HeatPumpCoordinator | None = None
    # The subentries the entry was set up with (what a removal leaves behind is deleted).
    subentry_ids: frozenset[str] = frozenset()
    rates: dict[str, RatesCoordinator] = field(default_factory=dict)
    consumption: dict[str, ConsumptionCoordinator] = field(default_factory=dict)
    telemetry: dict[str, TelemetryCoordinator] = field(default_factory=dict)
    # Tariff comparisons by subentry id (started by the sensor platform).
    comparisons: dict[str, TariffComparison] = field(default_factory=dict)


type OctopusConfigEntry = ConfigEntry[OctopusRuntimeData]
