"""Entity ids of per-meter and per-account entities: unique per meter and account, tool-friendly.

``<platform>.electricity_<tag>_meter_<name>`` for an import meter,
``<platform>.electricity_<tag>_meter_export_<name>`` for an export meter,
``<platform>.gas_<tag>_meter_<name>`` for a gas meter and ``<platform>.octopus_<tag>_<name>``
for the account. A meter's ``<tag>`` is the first 8 hex digits of SHA-256 of
``"<MPAN or MPRN>:<serial>"`` (the tag of its statistic ids too), the account's the first 4 hex
digits of SHA-256 of the account number: short, stable across re-installs, and not the
identifier itself. Home Assistant writes entity ids into its own log lines (at INFO when an
entity is registered, at DEBUG on every state change), and MPANs, serials and account numbers
must never reach a log. ``<name>`` is the entity's English name in snake case
(``OBJECT_ID_SUFFIXES``). Two meters never share an id, and Predbat's shipped patterns
(``sensor.(octopus_energy_|)electricity_[0-9a-z]+_[0-9a-z]+_current_rate`` and its export and
standing-charge siblings) each match exactly the meter they mean. No Home Assistant import.
"""

from __future__ import annotations

import hashlib

from .meters import MeterConfig, MeterKind

# Translation key -> the object id's tail: the entity's English name in snake case, as Home
# Assistant would derive it (a test holds this table to ``translations/en.json``).
OBJECT_ID_SUFFIXES: dict[str, str] = {
    "current_rate": "current_rate",
    "previous_rate": "previous_rate",
    "next_rate": "next_rate",
    "current_standing_charge": "current_standing_charge",
    "today_minimum_rate": "lowest_rate_today",
    "today_maximum_rate": "highest_rate_today",
    "today_average_rate": "average_rate_today",
    "tomorrow_minimum_rate": "lowest_rate_tomorrow",
    "tomorrow_maximum_rate": "highest_rate_tomorrow",
    "tomorrow_average_rate": "average_rate_tomorrow",
    "next_price_change": "next_price_change",
    "previous_day_rates": "previous_day_rates",
    "current_day_rates": "current_day_rates",
    "next_day_rates": "next_day_rates",
    "previous_day_consumption": "previous_day_consumption",
    "previous_day_export": "previous_day_export",
    "previous_day_cost": "previous_day_cost",
    "previous_day_income": "previous_day_income",
    "latest_reading": "latest_reading",
    "tariff": "tariff",
    "balance": "balance",
    "home_mini_demand": "home_mini_demand",
    "home_mini_consumption_today": "home_mini_consumption_today",
    "home_mini_cost_today": "home_mini_cost_today",
    "octoplus_enrolment": "octoplus_enrolment",
    "octoplus_points": "octoplus_points",
    "negative_price": "negative_price",
    "tariff_off_peak": "off_peak",
}


def meter_tag(meter: MeterConfig) -> str:
    """The meter's 8-hex-digit tag: stable, distinct per meter, not its MPAN/MPRN or serial."""
    return hashlib.sha256(f"{meter.mpxn}:{meter.serial}".encode()).hexdigest()[:8]


def account_tag(account_number: str) -> str:
    """The account's 4-hex-digit tag (a longer one could be reversed: account numbers are short)."""
    return hashlib.sha256(account_number.encode()).hexdigest()[:4]


def meter_object_prefix(meter: MeterConfig) -> str:
    """``electricity_<tag>_meter`` (``…_meter_export`` for export) or ``gas_<tag>_meter``."""
    fuel = "gas" if meter.kind is MeterKind.GAS else "electricity"
    prefix = f"{fuel}_{meter_tag(meter)}_meter"
    return f"{prefix}_export" if meter.kind is MeterKind.ELECTRICITY_EXPORT else prefix


def account_object_prefix(account_number: str) -> str:
    """``octopus_<tag>``: the account's entities, e.g. ``sensor.octopus_3f9a_balance``."""
    return f"octopus_{account_tag(account_number)}"


def object_id(prefix: str, translation_key: str) -> str:
    """The object id of the entity named by ``translation_key`` under ``prefix``."""
    return f"{prefix}_{OBJECT_ID_SUFFIXES[translation_key]}"
