"""Typed, immutable results of the Octopus REST and Kraken GraphQL APIs.

Every datetime is timezone-aware and in UTC; every amount of money is a ``Decimal`` in pence
(the unit the API uses), every energy a ``Decimal`` in kWh unless the name says otherwise.
Conversion to pounds, local time or display units happens once, at the edge (entities).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class Fuel(StrEnum):
    """The fuel a meter or tariff is for."""

    ELECTRICITY = "electricity"
    GAS = "gas"


class Direction(StrEnum):
    """Which way energy flows through an electricity meter point."""

    IMPORT = "IMPORT"
    EXPORT = "EXPORT"


class RateType(StrEnum):
    """Which unit-rate endpoint a rate came from (the register it applies to)."""

    STANDARD = "standard-unit-rates"
    DAY = "day-unit-rates"
    NIGHT = "night-unit-rates"


class GroupBy(StrEnum):
    """Consumption aggregation offered by the REST API."""

    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


class DispatchType(StrEnum):
    """The kind of a planned SmartFlex dispatch."""

    SMART = "SMART"
    BOOST = "BOOST"
    TEST = "TEST"
    UNKNOWN = "UNKNOWN"


class BoostAction(StrEnum):
    """Input of ``updateBoostCharge``."""

    BOOST = "BOOST"
    CANCEL = "CANCEL"


class SmartControlAction(StrEnum):
    """Input of ``updateDeviceSmartControl``."""

    SUSPEND = "SUSPEND"
    UNSUSPEND = "UNSUSPEND"


# --- REST: products, rates, consumption -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Product:
    """One entry of ``/v1/products/`` (or the head of a product detail)."""

    code: str
    full_name: str
    display_name: str
    is_variable: bool
    is_green: bool
    is_tracker: bool
    is_prepay: bool
    is_business: bool
    brand: str | None
    available_from: datetime | None
    available_to: datetime | None


@dataclass(frozen=True, slots=True)
class ProductTariff:
    """A tariff of a product detail for one region and payment method."""

    tariff_code: str
    fuel: Fuel
    region: str  # "_A" .. "_P"
    payment_method: str  # e.g. "direct_debit_monthly"
    registers: int  # 1 or 2 (Economy 7 day/night)
    standing_charge_inc_vat: Decimal | None
    standing_charge_exc_vat: Decimal | None
    standard_unit_rate_inc_vat: Decimal | None
    standard_unit_rate_exc_vat: Decimal | None


@dataclass(frozen=True, slots=True)
class ProductDetail:
    """``/v1/products/{code}/``: the product and its tariffs active at a point in time."""

    product: Product
    tariffs_active_at: datetime
    tariffs: tuple[ProductTariff, ...]


@dataclass(frozen=True, slots=True)
class Rate:
    """A unit rate in pence per kWh, valid in ``[valid_from, valid_to)``.

    ``valid_to`` is ``None`` for an open-ended rate (a fixed or variable tariff's current price).
    """

    valid_from: datetime
    valid_to: datetime | None
    value_inc_vat: Decimal
    value_exc_vat: Decimal


@dataclass(frozen=True, slots=True)
class StandingCharge:
    """A standing charge in pence per day, valid in ``[valid_from, valid_to)``."""

    valid_from: datetime | None
    valid_to: datetime | None
    value_inc_vat: Decimal
    value_exc_vat: Decimal


@dataclass(frozen=True, slots=True)
class ConsumptionInterval:
    """Metered consumption over ``[interval_start, interval_end)``.

    ``consumption`` is in the meter's unit: kWh for electricity and SMETS1 gas, m³ for SMETS2 gas.
    """

    interval_start: datetime
    interval_end: datetime
    consumption: Decimal


@dataclass(frozen=True, slots=True)
class ElectricityMeterPointDetail:
    """``/v1/electricity-meter-points/{mpan}/``."""

    mpan: str
    gsp: str | None
    profile_class: int | None


# --- GraphQL: accounts ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tariff:
    """The tariff of an agreement."""

    tariff_code: str
    product_code: str | None = None
    display_name: str | None = None
    full_name: str | None = None


@dataclass(frozen=True, slots=True)
class Agreement:
    """An agreement puts a meter point on a tariff over ``[valid_from, valid_to)``."""

    tariff: Tariff
    valid_from: datetime | None
    valid_to: datetime | None


@dataclass(frozen=True, slots=True)
class ElectricityMeter:
    """A physical electricity meter (one meter point may have several over time)."""

    serial_number: str
    import_device_id: str | None = None
    export_device_id: str | None = None


@dataclass(frozen=True, slots=True)
class GasMeter:
    """A physical gas meter; ``consumption_units`` is "kWh" (SMETS1) or "m³" (SMETS2)."""

    serial_number: str
    consumption_units: str | None = None
    device_id: str | None = None


@dataclass(frozen=True, slots=True)
class ElectricityMeterPoint:
    """An MPAN with its meters and agreements."""

    mpan: str
    direction: Direction
    meters: tuple[ElectricityMeter, ...]
    agreements: tuple[Agreement, ...]


@dataclass(frozen=True, slots=True)
class GasMeterPoint:
    """An MPRN with its meters and agreements."""

    mprn: str
    meters: tuple[GasMeter, ...]
    agreements: tuple[Agreement, ...]


@dataclass(frozen=True, slots=True)
class Property:
    """A supply address of an account."""

    id: str
    address_line_1: str | None
    postcode: str | None
    electricity_meter_points: tuple[ElectricityMeterPoint, ...] = ()
    gas_meter_points: tuple[GasMeterPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class Account:
    """An account the API key can see, with everything needed to pick meters and tariffs."""

    number: str
    balance: Decimal | None  # pence; positive means the account is in credit
    properties: tuple[Property, ...]

    @property
    def electricity_meter_points(self) -> tuple[ElectricityMeterPoint, ...]:
        """Every electricity meter point across the account's properties."""
        return tuple(mp for prop in self.properties for mp in prop.electricity_meter_points)

    @property
    def gas_meter_points(self) -> tuple[GasMeterPoint, ...]:
        """Every gas meter point across the account's properties."""
        return tuple(mp for prop in self.properties for mp in prop.gas_meter_points)


@dataclass(frozen=True, slots=True)
class Octoplus:
    """An account's Octoplus (loyalty scheme) status; ``points`` only when they were asked for."""

    enrollment_status: str | None
    points: int | None = None

    @property
    def enrolled(self) -> bool:
        """Whether the account is enrolled (the only status the reference shows)."""
        return self.enrollment_status == "ENROLLED"


# --- GraphQL: SmartFlex and Home Mini ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChargeSchedule:
    """A SmartFlex charging preference for one day of the week."""

    day_of_week: str  # MONDAY .. SUNDAY
    time: str  # "HH:MM" ready-by time
    min: Decimal | None
    max: Decimal | None


@dataclass(frozen=True, slots=True)
class PreferenceBounds:
    """Allowed values of the charge target and ready-by time (``preferenceSetting``)."""

    target_min: Decimal
    target_max: Decimal
    target_step: Decimal
    time_from: str  # "HH:MM"
    time_to: str  # "HH:MM"
    time_step_minutes: int


@dataclass(frozen=True, slots=True)
class SmartFlexDevice:
    """A SmartFlex device (EV, charge point, battery, heat pump) of an account."""

    id: str
    name: str | None
    device_type: str
    provider: str | None
    make: str | None
    model: str | None
    status_current: str | None  # ONBOARDING, LIVE, RETIRED, ...
    status_current_state: str | None  # SMART_CONTROL_CAPABLE, BOOSTING, SMART_CONTROL_OFF, ...
    is_suspended: bool
    preferences_mode: str | None = None
    preferences_unit: str | None = None
    schedules: tuple[ChargeSchedule, ...] = ()
    bounds: PreferenceBounds | None = None

    @property
    def is_heat_pump(self) -> bool:
        """A heat pump (``HEAT_PUMPS``): read through ``heatPumpStatus``, not SmartFlex charging."""
        return self.device_type == HEAT_PUMPS


HEAT_PUMPS = "HEAT_PUMPS"


@dataclass(frozen=True, slots=True)
class HeatPumpStatus:
    """``heatPumpStatus``: connection (in the reference), zone and hot-water status (if given).

    Temperatures in °C; every field is ``None`` when the API did not give it.
    """

    is_connected: bool | None
    climate_control_enabled: bool | None = None
    climate_target_temperature: Decimal | None = None
    climate_current_temperature: Decimal | None = None
    water_heating_enabled: bool | None = None
    water_current_temperature: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Dispatch:
    """A planned or completed SmartFlex dispatch over ``[start, end)``.

    ``energy_kwh`` is the planned energy (planned) or the delta (completed); negative deltas are
    possible for discharge. ``source`` and ``location`` may be missing.
    """

    start: datetime
    end: datetime
    dispatch_type: DispatchType = DispatchType.UNKNOWN
    energy_kwh: Decimal | None = None
    source: str | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class FlexState:
    """SmartFlex devices with their planned and completed dispatches, fetched in one request.

    ``planned`` has an entry for every device asked about; a device without a plan (Kraken's
    KT-CT-4340) maps to an empty tuple.
    """

    devices: tuple[SmartFlexDevice, ...]
    planned: dict[str, tuple[Dispatch, ...]]
    completed: tuple[Dispatch, ...]


@dataclass(frozen=True, slots=True)
class TelemetryReading:
    """A Home Mini reading: cumulative ``consumption`` and ``export`` in Wh, ``demand`` in W."""

    read_at: datetime
    consumption_wh: Decimal | None
    consumption_delta_wh: Decimal | None
    demand_w: Decimal | None
    export_wh: Decimal | None
    cost_delta_with_tax: Decimal | None = None


@dataclass(frozen=True, slots=True)
class KrakenToken:
    """A Kraken JWT and its refresh token; both expiries are UTC."""

    token: str
    expires_at: datetime
    refresh_token: str | None = None
    refresh_expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RequestStats:
    """How many requests the client made, by operation (for the economy benchmark)."""

    by_operation: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """All requests made."""
        return sum(self.by_operation.values())
