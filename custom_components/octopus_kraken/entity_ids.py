"""Entity ids of per-meter and per-account entities: unique per meter and account, tool-friendly.

``<platform>.electricity_<serial>_<mpan>_<name>`` for an import meter,
``<platform>.electricity_<serial>_<mpan>_export_<name>`` for an export meter,
``<platform>.gas_<serial>_<mprn>_<name>`` for a gas meter and
``<platform>.octopus_<account>_<name>`` for the account, where ``<serial>``, ``<mpan>``,
``<mprn>`` and ``<account>`` are lower case with everything but letters and digits removed and
``<name>`` is the entity's English name in snake case (``OBJECT_ID_SUFFIXES``). Two meters or two
accounts never share an id, and Predbat's shipped patterns
(``sensor.(octopus_energy_|)electricity_[0-9a-z]+_[0-9a-z]+_current_rate`` and its export and
standing-charge siblings) each match exactly the meter they mean. No Home Assistant import.
"""

from __future__ import annotations

import re

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

_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def id_token(value: str) -> str:
    """One underscore-free token of an object id: ``"22L4 381234"`` -> ``"22l4381234"``."""
    return _NOT_ALNUM.sub("", value.lower()) or "unknown"


def meter_object_prefix(meter: MeterConfig) -> str:
    """``electricity_<serial>_<mpan>`` (``…_export`` for export) or ``gas_<serial>_<mprn>``."""
    fuel = "gas" if meter.kind is MeterKind.GAS else "electricity"
    prefix = f"{fuel}_{id_token(meter.serial)}_{id_token(meter.mpxn)}"
    return f"{prefix}_export" if meter.kind is MeterKind.ELECTRICITY_EXPORT else prefix


def account_object_prefix(account_number: str) -> str:
    """``octopus_<account>``: account ``A-1234ABCD`` -> ``octopus_a1234abcd``."""
    return f"octopus_{id_token(account_number)}"


def object_id(prefix: str, translation_key: str) -> str:
    """The object id of the entity named by ``translation_key`` under ``prefix``."""
    return f"{prefix}_{OBJECT_ID_SUFFIXES[translation_key]}"
