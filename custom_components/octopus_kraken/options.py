"""The entry's options as one typed object, read once at set-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, Final

from .const import (
    CONF_BACKFILL_DAYS,
    CONF_CALORIFIC_VALUE,
    CONF_DISPATCH_INTERVAL,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    CONF_TELEMETRY_INTERVAL,
    DEFAULT_BACKFILL_DAYS,
    DEFAULT_CALORIFIC_VALUE,
    DEFAULT_DISPATCH_INTERVAL,
    DEFAULT_HOME_MINI,
    DEFAULT_IMPORT_STATISTICS,
    DEFAULT_TELEMETRY_INTERVAL,
)

# The ranges the options form offers, and the ones the code applies to older stored values.
TELEMETRY_INTERVAL_RANGE: Final = (30, 3600)  # seconds; the API allows 125 reads an hour
DISPATCH_INTERVAL_RANGE: Final = (60, 1800)  # seconds; plans may be read 5 times a minute
BACKFILL_DAYS_RANGE: Final = (1, 1095)
CALORIFIC_VALUE_RANGE: Final = (30, 45)  # MJ/m³


@dataclass(frozen=True, slots=True)
class OctopusOptions:
    """What the user chose in the options form (defaults where nothing was chosen)."""

    import_statistics: bool = DEFAULT_IMPORT_STATISTICS
    home_mini: bool = DEFAULT_HOME_MINI
    telemetry_interval: timedelta = timedelta(seconds=DEFAULT_TELEMETRY_INTERVAL)
    dispatch_interval: timedelta = timedelta(seconds=DEFAULT_DISPATCH_INTERVAL)
    backfill_days: int = DEFAULT_BACKFILL_DAYS
    calorific_value: Decimal = Decimal(str(DEFAULT_CALORIFIC_VALUE))

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> OctopusOptions:
        """Read stored options; an interval below the form's minimum counts as the minimum."""
        telemetry = options.get(CONF_TELEMETRY_INTERVAL, DEFAULT_TELEMETRY_INTERVAL)
        dispatch = options.get(CONF_DISPATCH_INTERVAL, DEFAULT_DISPATCH_INTERVAL)
        return cls(
            import_statistics=bool(options.get(CONF_IMPORT_STATISTICS, DEFAULT_IMPORT_STATISTICS)),
            home_mini=bool(options.get(CONF_HOME_MINI, DEFAULT_HOME_MINI)),
            telemetry_interval=timedelta(seconds=max(int(telemetry), TELEMETRY_INTERVAL_RANGE[0])),
            dispatch_interval=timedelta(seconds=max(int(dispatch), DISPATCH_INTERVAL_RANGE[0])),
            backfill_days=int(options.get(CONF_BACKFILL_DAYS, DEFAULT_BACKFILL_DAYS)),
            calorific_value=Decimal(
                str(options.get(CONF_CALORIFIC_VALUE, DEFAULT_CALORIFIC_VALUE))
            ),
        )
