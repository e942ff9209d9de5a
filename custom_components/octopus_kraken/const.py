"""Constants of the Octopus Energy (Kraken) integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final
from zoneinfo import ZoneInfo

DOMAIN: Final = "octopus_kraken"
LOGGER: Final = logging.getLogger(__package__)

# Octopus bills in UK local days whatever the Home Assistant time zone is.
UK_TZ: Final = ZoneInfo("Europe/London")

# --- config entry data --------------------------------------------------------------------------
CONF_ACCOUNT_NUMBER: Final = "account_number"
CONF_URL: Final = "url"  # the API base URL (other Kraken suppliers, the simulator)
CONF_ELECTRICITY_METERS: Final = "electricity_meters"  # list of ElectricityMeterConfig dicts
CONF_GAS_METERS: Final = "gas_meters"  # list of GasMeterConfig dicts
CONF_DEVICES: Final = "smartflex_devices"  # list of SmartFlex device ids
CONF_MPAN: Final = "mpan"
CONF_MPRN: Final = "mprn"
CONF_SERIAL: Final = "serial_number"
CONF_IS_EXPORT: Final = "is_export"
CONF_TARIFF_CODE: Final = "tariff_code"  # manual meters: the tariff the user entered

DEFAULT_URL: Final = "https://api.octopus.energy"

# --- options ------------------------------------------------------------------------------------
CONF_IMPORT_STATISTICS: Final = "import_statistics"
CONF_HOME_MINI: Final = "home_mini"
CONF_TELEMETRY_INTERVAL: Final = "telemetry_interval"
CONF_BACKFILL_DAYS: Final = "backfill_days"
CONF_CALORIFIC_VALUE: Final = "calorific_value"
CONF_DISPATCH_INTERVAL: Final = "dispatch_interval"
# Per meter: {meter key: {"start": "HH:MM", "end": "HH:MM", "uk_time": bool}} (Economy 7 only).
CONF_NIGHT_WINDOWS: Final = "economy7_night_windows"

DEFAULT_IMPORT_STATISTICS: Final = True
DEFAULT_HOME_MINI: Final = True
DEFAULT_TELEMETRY_INTERVAL: Final = 60  # seconds
DEFAULT_BACKFILL_DAYS: Final = 365
DEFAULT_CALORIFIC_VALUE: Final = 39.5  # MJ/m³, the usual GB figure
DEFAULT_DISPATCH_INTERVAL: Final = 180  # seconds, while a SmartFlex device is live

# --- polling (jitter and backoff: ``domain/jitter.py``) ---------------------------------------
ACCOUNT_REFRESH_INTERVAL: Final = timedelta(hours=6)

ATTRIBUTION: Final = "Data provided by Octopus Energy"
