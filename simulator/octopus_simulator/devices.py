"""SmartFlex devices: preferences, bounds, boosts and the settings history the planner obeys."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@dataclass(frozen=True, slots=True)
class Schedule:
    """A charging preference: be at ``max`` percent by ``time`` on ``day_of_week``."""

    day_of_week: str
    time: str
    max: Decimal
    min: Decimal | None = None


@dataclass(slots=True)
class PreferenceBounds:
    """What ``setDevicePreferences`` accepts (``preferenceSetting.scheduleSettings``)."""

    min: Decimal = Decimal(10)
    max: Decimal = Decimal(100)
    step: Decimal = Decimal(5)
    time_from: str = "04:00"
    time_to: str = "11:00"
    time_step: int = 30  # minutes


@dataclass(slots=True)
class Boost:
    """A boost the user asked for, planned as a BOOST dispatch."""

    start: datetime
    end: datetime
    energy_kwh: Decimal
    cancelled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DeviceSettings:
    """What the planner obeys; kept with the time it took effect so history stays history."""

    schedules: tuple[Schedule, ...]
    capped: bool
    suspended: bool


@dataclass(slots=True)
class Device:
    """A SmartFlex device. Refusal and availability switches let tests provoke each error."""

    id: str
    name: str
    typename: str  # SmartFlexVehicle | SmartFlexChargePoint
    device_type: str  # ELECTRIC_VEHICLES | CHARGE_POINTS
    provider: str
    make: str
    model: str
    property_id: str
    integration_device_id: str = ""
    status_current: str = "LIVE"
    suspended: bool = False
    charging_duration_capped: bool = False
    schedules: list[Schedule] = field(
        default_factory=lambda: [Schedule(day, "07:00", Decimal(80)) for day in WEEKDAYS]
    )
    bounds: PreferenceBounds = field(default_factory=PreferenceBounds)
    charge_power_kw: Decimal = Decimal("7.0")
    plug_in_probability: float = 0.8
    connected: bool | None = None  # None: follow the daily plug-in pattern; True/False: forced
    at_home: bool = True
    fully_charged: bool = False
    boost_refusals: list[str] = field(default_factory=list)  # forced extra refusal reasons
    planned_dispatches_unavailable: bool = False  # KT-CT-4340
    completed_dispatches_unavailable: bool = False  # KT-CT-4341
    smart_control_fails: bool = False  # KT-CT-4358 / KT-CT-4359
    boosts: list[Boost] = field(default_factory=list)
    added_at: datetime | None = None
    removed_at: datetime | None = None
    history: list[tuple[datetime, DeviceSettings]] = field(default_factory=list)

    def current_settings(self) -> DeviceSettings:
        """The settings as they stand."""
        return DeviceSettings(tuple(self.schedules), self.charging_duration_capped, self.suspended)

    def change_settings(self, now: datetime, **changes: object) -> None:
        """Change schedules / capped / suspended from ``now`` on, keeping the old ones for the
        past (plans and completed dispatches before ``now`` must not change)."""
        if not self.history:
            self.history.append((datetime.min.replace(tzinfo=UTC), self.current_settings()))
        for name, value in changes.items():
            setattr(self, name, value)
        self.history.append((now, self.current_settings()))

    def present_at(self, instant: datetime) -> bool:
        """Whether the device is registered on its account at ``instant``."""
        return (self.added_at is None or self.added_at <= instant) and (
            self.removed_at is None or instant < self.removed_at
        )

    def schedule_for(self, day_of_week: str) -> Schedule | None:
        """The preference for a weekday, if any."""
        return next((s for s in self.schedules if s.day_of_week == day_of_week), None)


def settings_at(
    history: tuple[tuple[datetime, DeviceSettings], ...], current: DeviceSettings, instant: datetime
) -> DeviceSettings:
    """The settings of a history in force at ``instant`` (``current`` without history)."""
    chosen = current
    for since, settings in history:
        if since <= instant:
            chosen = settings
    return chosen
