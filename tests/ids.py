"""Entity ids of the simulator's meters and accounts, written out from the README's scheme.

``electricity_<serial>_<mpan>`` (import), ``electricity_<serial>_<mpan>_export``,
``gas_<serial>_<mprn>`` and ``octopus_<account>``: lower case, letters and digits only in each
part. Spelled out here from the documented rule, not taken from the integration's code.
"""

from __future__ import annotations

import re

from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    ACCOUNT_INTELLIGENT,
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    GAS_METER_SERIAL,
    GAS_MPRN,
    INTELLIGENT_METER_SERIAL,
    INTELLIGENT_MPAN,
)


def part(value: str) -> str:
    """One part of an object id: lower case, nothing but letters and digits."""
    return re.sub(r"[^0-9a-z]", "", value.lower())


def electricity(serial: str, mpan: str, *, export: bool = False) -> str:
    """The object-id prefix of an electricity meter's entities."""
    return f"electricity_{part(serial)}_{part(mpan)}" + ("_export" if export else "")


def gas(serial: str, mprn: str) -> str:
    """The object-id prefix of a gas meter's entities."""
    return f"gas_{part(serial)}_{part(mprn)}"


def account(number: str) -> str:
    """The object-id prefix of an account's entities."""
    return f"octopus_{part(number)}"


# The default scenario's home on Agile (import + export on one meter, and gas) ...
AGILE_IMPORT = electricity(AGILE_METER_SERIAL, AGILE_IMPORT_MPAN)
AGILE_EXPORT = electricity(AGILE_METER_SERIAL, AGILE_EXPORT_MPAN, export=True)
AGILE_GAS = gas(GAS_METER_SERIAL, GAS_MPRN)
AGILE_ACCOUNT = account(ACCOUNT_AGILE)
# ... and the one on Intelligent Octopus Go.
INTELLIGENT_IMPORT = electricity(INTELLIGENT_METER_SERIAL, INTELLIGENT_MPAN)
INTELLIGENT_ACCOUNT = account(ACCOUNT_INTELLIGENT)
