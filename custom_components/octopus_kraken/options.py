"""The entry's options as one typed object, read once at set-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from decimal import Decimal
from typing import Any, Final

from homeassistant.const import UnitOfTime

from .const import (
    CONF_BACKFILL_DAYS,
    CONF_CALORIFIC_VALUE,
    CONF_DISPATCH_INTERVAL,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    CONF_NIGHT_WINDOWS,
    CONF_TELEMETRY_INTERVAL,
    DEFAULT_BACKFILL_DAYS,
    DEFAULT_CALORIFIC_VALUE,
    DEFAULT_DISPATCH_INTERVAL,
    DEFAULT_HOME_MINI,
    DEFAULT_IMPORT_STATISTICS,
    DEFAULT_TELEMETRY_INTERVAL,
)
from .domain.economy7 import DEFAULT_NIGHT, NightWindow


@dataclass(frozen=True, slots=True)
class NumberOption:
    """A number of the options form: its default, the range offered and applied, its unit."""

    default: float
    low: float
    high: float
    step: float
    unit: str
    whole: bool  # stored as an int


# The one table of the options: the form offers these ranges, the code applies them to older
# stored values.
NUMBER_OPTIONS: Final[dict[str, NumberOption]] = {
    # seconds; the API allows 125 reads an hour
    CONF_TELEMETRY_INTERVAL: NumberOption(
        DEFAULT_TELEMETRY_INTERVAL, 30, 3600, 1, UnitOfTime.SECONDS, whole=True
    ),
    CONF_BACKFILL_DAYS: NumberOption(
        DEFAULT_BACKFILL_DAYS, 1, 1095, 1, UnitOfTime.DAYS, whole=True
    ),
    CONF_CALORIFIC_VALUE: NumberOption(DEFAULT_CALORIFIC_VALUE, 30, 45, 0.1, "MJ/m³", whole=False),
    # seconds; plans may be read 5 times a minute
    CONF_DISPATCH_INTERVAL: NumberOption(
        DEFAULT_DISPATCH_INTERVAL, 60, 1800, 1, UnitOfTime.SECONDS, whole=True
    ),
}
SWITCH_OPTIONS: Final[dict[str, bool]] = {
    CONF_IMPORT_STATISTICS: DEFAULT_IMPORT_STATISTICS,
    CONF_HOME_MINI: DEFAULT_HOME_MINI,
}
OPTIONS_DEFAULTS: Final[dict[str, Any]] = {
    **SWITCH_OPTIONS,
    **{name: number.default for name, number in NUMBER_OPTIONS.items()},
}


@dataclass(frozen=True, slots=True)
class OctopusOptions:
    """What the user chose in the options form (defaults where nothing was chosen)."""

    import_statistics: bool = DEFAULT_IMPORT_STATISTICS
    home_mini: bool = DEFAULT_HOME_MINI
    telemetry_interval: timedelta = timedelta(seconds=DEFAULT_TELEMETRY_INTERVAL)
    dispatch_interval: timedelta = timedelta(seconds=DEFAULT_DISPATCH_INTERVAL)
    backfill_days: int = DEFAULT_BACKFILL_DAYS
    calorific_value: Decimal = Decimal(str(DEFAULT_CALORIFIC_VALUE))
    night_windows: Mapping[str, NightWindow] = field(default_factory=dict)

    def night_window(self, meter_key: str) -> NightWindow:
        """The Economy 7 night window of a meter (00:30-07:30 UTC unless the user set one)."""
        return self.night_windows.get(meter_key, DEFAULT_NIGHT)

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> OctopusOptions:
        """Read stored options; an interval below the form's minimum counts as the minimum."""
        chosen = {**OPTIONS_DEFAULTS, **options}

        def interval(name: str) -> timedelta:
            return timedelta(seconds=max(int(chosen[name]), int(NUMBER_OPTIONS[name].low)))

        return cls(
            import_statistics=bool(chosen[CONF_IMPORT_STATISTICS]),
            home_mini=bool(chosen[CONF_HOME_MINI]),
            telemetry_interval=interval(CONF_TELEMETRY_INTERVAL),
            dispatch_interval=interval(CONF_DISPATCH_INTERVAL),
            backfill_days=int(chosen[CONF_BACKFILL_DAYS]),
            calorific_value=Decimal(str(chosen[CONF_CALORIFIC_VALUE])),
            night_windows=night_windows_from(options.get(CONF_NIGHT_WINDOWS)),
        )


def night_window_from(stored: Mapping[str, Any]) -> NightWindow:
    """A night window from its stored form; ``ValueError`` when it is not a valid one."""
    try:
        start = time.fromisoformat(str(stored["start"]))
        end = time.fromisoformat(str(stored["end"]))
    except (KeyError, TypeError) as err:
        raise ValueError(str(err)) from err
    return NightWindow(start, end, uk_time=bool(stored.get("uk_time", False)))


def night_window_to(window: NightWindow) -> dict[str, Any]:
    """The stored form of a night window."""
    return {
        "start": window.start.strftime("%H:%M"),
        "end": window.end.strftime("%H:%M"),
        "uk_time": window.uk_time,
    }


def night_windows_from(stored: Any) -> dict[str, NightWindow]:
    """Every meter's stored night window; an unreadable one falls back to the default."""
    if not isinstance(stored, Mapping):
        return {}
    windows: dict[str, NightWindow] = {}
    for key, raw in stored.items():
        if isinstance(raw, Mapping):
            try:
                windows[str(key)] = night_window_from(raw)
            except ValueError:
                continue
    return windows
