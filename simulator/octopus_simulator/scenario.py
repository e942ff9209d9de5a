"""Who exists in the simulated world: users and their API keys, accounts, meters, devices.

Everything is a plain mutable dataclass so a test can build its own world or tweak the default
one (add an agreement that starts at midnight, remove a device, mark a day missing...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from octopus_simulator.choices import SilentChoices
from octopus_simulator.devices import (
    WEEKDAYS,
    Boost,
    Device,
    DeviceSettings,
    PreferenceBounds,
    Schedule,
    settings_at,
)
from octopus_simulator.heat_pumps import HeatPump
from octopus_simulator.prices import PublicationRules

__all__ = [
    "WEEKDAYS",
    "Boost",
    "Device",
    "DeviceSettings",
    "PreferenceBounds",
    "Schedule",
    "settings_at",
]

DEFAULT_API_KEY = "sk_test_simulator"
_MPAN_PRIMES = (3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43)


def mpan_check_digit(first_twelve: str) -> int:
    """The MPAN core check digit of the first twelve digits."""
    if len(first_twelve) != 12 or not first_twelve.isdigit():
        raise ValueError("an MPAN core starts with twelve digits")
    return sum(int(d) * p for d, p in zip(first_twelve, _MPAN_PRIMES, strict=True)) % 11 % 10


def make_mpan(first_twelve: str) -> str:
    """A valid 13-digit MPAN core from its first twelve digits."""
    return first_twelve + str(mpan_check_digit(first_twelve))


def is_valid_mpan(mpan: str) -> bool:
    """Whether a 13-digit MPAN core carries the right check digit."""
    return len(mpan) == 13 and mpan.isdigit() and mpan_check_digit(mpan[:12]) == int(mpan[12])


def _utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass(slots=True)
class Agreement:
    """A meter point on a tariff over ``[valid_from, valid_to)``."""

    id: int
    tariff_code: str
    valid_from: datetime
    valid_to: datetime | None = None

    def active_at(self, instant: datetime) -> bool:
        """Whether the agreement is in force at ``instant``."""
        return self.valid_from <= instant and (self.valid_to is None or instant < self.valid_to)


@dataclass(slots=True)
class ElectricityMeter:
    """A physical meter; the Home Mini's telemetry is keyed by the ESME's device id."""

    serial_number: str
    import_device_id: str | None = None
    export_device_id: str | None = None
    active: bool = True


@dataclass(slots=True)
class ElectricityMeterPoint:
    """An MPAN with its meters and agreements; ``profile`` shapes its consumption."""

    mpan: str
    gsp: str
    meters: list[ElectricityMeter]
    agreements: list[Agreement]
    direction: str = "IMPORT"
    profile_class: int = 1
    data_from: datetime = field(default_factory=lambda: _utc(2024, 5, 31, 23))  # local midnight
    annual_kwh: float = 3100.0


@dataclass(slots=True)
class GasMeter:
    """A gas meter; SMETS2 meters report m³."""

    serial_number: str
    consumption_units: str = "m³"
    device_id: str | None = None
    active: bool = True


@dataclass(slots=True)
class GasMeterPoint:
    """An MPRN with its meters and agreements."""

    mprn: str
    meters: list[GasMeter]
    agreements: list[Agreement]
    data_from: datetime = field(default_factory=lambda: _utc(2024, 5, 31, 23))  # local midnight
    annual_kwh: float = 11500.0


@dataclass(slots=True)
class Property:
    """A supply address."""

    id: str
    address_lines: list[str]
    postcode: str
    electricity_meter_points: list[ElectricityMeterPoint] = field(default_factory=list)
    gas_meter_points: list[GasMeterPoint] = field(default_factory=list)


@dataclass(slots=True)
class Account:
    """A customer account; ``balance`` is in pence, positive meaning credit."""

    number: str
    properties: list[Property]
    devices: list[Device] = field(default_factory=list)
    balance: int = 0
    # Octoplus: ``octoplusAccountInfo.enrollmentStatus`` and the points balance.
    octoplus_status: str = "NOT_ENROLLED"
    octoplus_points: int = 0
    heat_pump: HeatPump | None = None  # listed by ``devices``, read by ``heatPumpStatus``

    def electricity_meter_points(self) -> list[ElectricityMeterPoint]:
        """All MPANs of the account."""
        return [p for prop in self.properties for p in prop.electricity_meter_points]

    def gas_meter_points(self) -> list[GasMeterPoint]:
        """All MPRNs of the account."""
        return [p for prop in self.properties for p in prop.gas_meter_points]


@dataclass(slots=True)
class User:
    """An account user: the API key, and which accounts it can see."""

    api_key: str
    user_id: int
    email: str
    given_name: str
    family_name: str
    account_numbers: list[str]


@dataclass(slots=True)
class ConsumptionRules:
    """How late and how complete meter data is."""

    lag_days: int = 0  # complete up to local midnight this many days before today
    delay: timedelta | None = None  # if set: complete up to now - delay instead
    missing_days: set[tuple[str, date]] = field(default_factory=set)  # (mpan/mprn or "*", day)
    corrections: dict[tuple[str, datetime], Decimal] = field(default_factory=dict)


@dataclass(slots=True)
class DispatchRules:
    """Completed dispatches show up this late and are forgotten after the retention."""

    completed_lag: timedelta = timedelta(hours=12)
    completed_retention: timedelta = timedelta(days=30)
    revision_interval: timedelta = timedelta(minutes=30)
    revisions: int = 6
    boost_duration: timedelta = timedelta(hours=1)


@dataclass(slots=True)
class AuthRules:
    """Token lifetimes and the codes the auth errors use."""

    token_lifetime: timedelta = timedelta(minutes=60)
    refresh_lifetime: timedelta = timedelta(days=7)
    # api-notes.md names KT-CT-1120 for an expired token (live clients also report KT-CT-1124).
    expired_token_code: str = "KT-CT-1120"


def default_rate_limits() -> dict[str, tuple[int, timedelta]]:
    """Per-user field limits from the reference (``5/m``, ``300/h``, ``125/h``)."""
    hour = timedelta(hours=1)
    return {
        "flexPlannedDispatches": (5, timedelta(minutes=1)),
        "completedDispatches": (300, hour),
        "smartMeterTelemetry": (125, hour),
        "updateBoostCharge": (300, hour),
        "updateDeviceSmartControl": (300, hour),
        "setDevicePreferences": (300, hour),
        "updateIsChargingDurationCapped": (300, hour),
    }


@dataclass(slots=True)
class Scenario:
    """The whole simulated world."""

    seed: int
    users: list[User]
    accounts: list[Account]
    publication: PublicationRules = field(default_factory=PublicationRules)
    consumption: ConsumptionRules = field(default_factory=ConsumptionRules)
    dispatch: DispatchRules = field(default_factory=DispatchRules)
    auth: AuthRules = field(default_factory=AuthRules)
    rate_limits: dict[str, tuple[int, timedelta]] = field(default_factory=default_rate_limits)
    complexity_limit: int = 200
    telemetry_history: timedelta = timedelta(days=30)  # older starts give KT-GB-4051
    telemetry_unavailable: set[str] = field(default_factory=set)  # ESMEs without a Home Mini
    choices: SilentChoices = field(default_factory=SilentChoices)  # see choices.py

    def user_for_key(self, api_key: str) -> User | None:
        """The user an API key belongs to."""
        return next((u for u in self.users if u.api_key == api_key), None)

    def user_by_id(self, user_id: int) -> User | None:
        """The user with an id."""
        return next((u for u in self.users if u.user_id == user_id), None)

    def account(self, number: str) -> Account | None:
        """An account by number."""
        return next((a for a in self.accounts if a.number == number), None)

    def accounts_of(self, user: User) -> list[Account]:
        """The accounts a user can see, in the user's order."""
        return [a for n in user.account_numbers if (a := self.account(n)) is not None]

    def electricity_point(self, mpan: str) -> tuple[Account, Property, ElectricityMeterPoint]:
        """Locate an MPAN; ``KeyError`` when unknown."""
        for account in self.accounts:
            for prop in account.properties:
                for point in prop.electricity_meter_points:
                    if point.mpan == mpan:
                        return account, prop, point
        raise KeyError(mpan)

    def gas_point(self, mprn: str) -> tuple[Account, Property, GasMeterPoint]:
        """Locate an MPRN; ``KeyError`` when unknown."""
        for account in self.accounts:
            for prop in account.properties:
                for point in prop.gas_meter_points:
                    if point.mprn == mprn:
                        return account, prop, point
        raise KeyError(mprn)

    def device(self, device_id: str) -> tuple[Account, Device]:
        """Locate a SmartFlex device; ``KeyError`` when unknown."""
        for account in self.accounts:
            for device in account.devices:
                if device.id == device_id:
                    return account, device
        raise KeyError(device_id)

    def smart_meter(self, device_id: str) -> tuple[Account, Property, ElectricityMeterPoint]:
        """The import meter point whose ESME has ``device_id`` (the Home Mini's meter)."""
        for account in self.accounts:
            for prop in account.properties:
                for point in prop.electricity_meter_points:
                    if any(m.import_device_id == device_id for m in point.meters):
                        return account, prop, point
        raise KeyError(device_id)


# --- The default world -----------------------------------------------------------------------

ACCOUNT_AGILE = "A-1234ABCD"
ACCOUNT_INTELLIGENT = "A-5678EF90"
ACCOUNT_NEIGHBOUR = "A-9C0FFEE1"
NEIGHBOUR_API_KEY = "sk_test_neighbour"
AGILE_IMPORT_MPAN = make_mpan("120001234567")
AGILE_EXPORT_MPAN = make_mpan("120009876543")
AGILE_METER_SERIAL = "22L4381234"
ESME_DEVICE_ID = "0A-1B-2C-FF-FE-3D-4E-01"
GAS_MPRN = "8879876503"
GAS_METER_SERIAL = "E6S12345678924"
GSME_DEVICE_ID = "0A-1B-2C-FF-FE-3D-4E-02"
CHARGER_DEVICE_ID = "00000000-0002-4000-803c-0000000a1001"
INTELLIGENT_MPAN = make_mpan("200004455667")
INTELLIGENT_METER_SERIAL = "21E5550123"
VEHICLE_DEVICE_ID = "00000000-0002-4000-803c-0000000b2002"
NEIGHBOUR_MPAN = make_mpan("110007788990")
NEIGHBOUR_METER_SERIAL = "19K0012345"


def default_scenario(seed: int = 1) -> Scenario:
    """Two accounts for the default key (Agile with export, gas and a charger; Intelligent Go
    with a vehicle) and a neighbour's Economy 7 account behind another key."""
    switch = _utc(2024, 10, 15, 0) - timedelta(hours=1)  # local midnight (BST) of 15 Oct
    agile_property = Property(
        "300001",
        ["1 Test Street", "Testville"],
        "SW1A 1AA",
        electricity_meter_points=[
            ElectricityMeterPoint(
                AGILE_IMPORT_MPAN,
                "_C",
                [ElectricityMeter(AGILE_METER_SERIAL, import_device_id=ESME_DEVICE_ID)],
                [
                    Agreement(1001, "E-1R-VAR-22-11-01-C", _utc(2024, 5, 31, 23), switch),
                    Agreement(1002, "E-1R-AGILE-24-10-01-C", switch),
                ],
            ),
            ElectricityMeterPoint(
                AGILE_EXPORT_MPAN,
                "_C",
                [ElectricityMeter(AGILE_METER_SERIAL, export_device_id=ESME_DEVICE_ID)],
                [Agreement(1003, "E-1R-AGILE-OUTGOING-19-05-13-C", switch)],
                direction="EXPORT",
                profile_class=8,
                annual_kwh=3400.0,
            ),
        ],
        gas_meter_points=[
            GasMeterPoint(
                GAS_MPRN,
                [GasMeter(GAS_METER_SERIAL, "m³", GSME_DEVICE_ID)],
                [
                    Agreement(2001, "G-1R-VAR-22-11-01-C", _utc(2024, 5, 31, 23), _utc(2025, 1, 1)),
                    Agreement(2002, "G-1R-SILVER-24-12-31-C", _utc(2025, 1, 1)),
                ],
            )
        ],
    )
    charger = Device(
        CHARGER_DEVICE_ID, "Driveway charger", "SmartFlexChargePoint", "CHARGE_POINTS", "OHME",
        "Ohme", "Home Pro", "300001", integration_device_id="ohme-a1001",
    )  # fmt: skip
    intelligent_property = Property(
        "300002",
        ["2 Sample Road", "Southampton"],
        "SO14 7DU",
        electricity_meter_points=[
            ElectricityMeterPoint(
                INTELLIGENT_MPAN,
                "_H",
                [ElectricityMeter(INTELLIGENT_METER_SERIAL)],
                [
                    Agreement(
                        3001, "E-2R-VAR-22-11-01-H", _utc(2024, 5, 31, 23), _utc(2024, 11, 1)
                    ),
                    Agreement(3002, "E-1R-INTELLI-VAR-24-10-29-H", _utc(2024, 11, 1)),
                ],
                annual_kwh=5200.0,
            )
        ],
    )
    vehicle = Device(
        VEHICLE_DEVICE_ID, "Family car", "SmartFlexVehicle", "ELECTRIC_VEHICLES", "TESLA",
        "Tesla", "Model 3", "300002", integration_device_id="tesla-b2002",
        charge_power_kw=Decimal("7.4"),
    )  # fmt: skip
    neighbour_property = Property(
        "300003",
        ["3 Other Lane", "Exeter"],
        "EX1 1AA",
        electricity_meter_points=[
            ElectricityMeterPoint(
                NEIGHBOUR_MPAN,
                "_L",
                [ElectricityMeter(NEIGHBOUR_METER_SERIAL)],
                [Agreement(4001, "E-2R-VAR-22-11-01-L", _utc(2024, 5, 31, 23))],
                profile_class=2,
            )
        ],
    )
    return Scenario(
        seed=seed,
        users=[
            User(
                DEFAULT_API_KEY,
                3001001,
                "test.user@example.com",
                "Test",
                "User",
                [ACCOUNT_AGILE, ACCOUNT_INTELLIGENT],
            ),
            User(
                NEIGHBOUR_API_KEY,
                3001002,
                "neighbour@example.com",
                "Nora",
                "Neighbour",
                [ACCOUNT_NEIGHBOUR],
            ),
        ],  # fmt: skip
        accounts=[
            Account(ACCOUNT_AGILE, [agile_property], [charger], balance=4523),
            Account(ACCOUNT_INTELLIGENT, [intelligent_property], [vehicle], balance=-1250),
            Account(ACCOUNT_NEIGHBOUR, [neighbour_property], balance=0),
        ],
    )


def local_ready_time(text: str) -> time:
    """Parse an ``HH:MM`` ready-by time."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
