"""Entity ids of the simulator's meters and accounts, written out from the README's scheme.

``electricity_<tag>_meter`` (import), ``electricity_<tag>_meter_export``, ``gas_<tag>_meter`` and
``octopus_<tag>``: a meter's tag is the first 8 hex digits of SHA-256 of
``"<MPAN or MPRN>:<serial>"``, an account's the first 4 of SHA-256 of its number. Spelled out
here from the documented rule, not taken from the integration's code.
"""

from __future__ import annotations

import hashlib

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


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def electricity(serial: str, mpan: str, *, export: bool = False) -> str:
    """The object-id prefix of an electricity meter's entities."""
    return f"electricity_{_sha256(f'{mpan}:{serial}')[:8]}_meter" + ("_export" if export else "")


def gas(serial: str, mprn: str) -> str:
    """The object-id prefix of a gas meter's entities."""
    return f"gas_{_sha256(f'{mprn}:{serial}')[:8]}_meter"


def account(number: str) -> str:
    """The object-id prefix of an account's entities."""
    return f"octopus_{_sha256(number)[:4]}"


# The default scenario's home on Agile (import + export on one meter, and gas) ...
AGILE_IMPORT = electricity(AGILE_METER_SERIAL, AGILE_IMPORT_MPAN)
AGILE_EXPORT = electricity(AGILE_METER_SERIAL, AGILE_EXPORT_MPAN, export=True)
AGILE_GAS = gas(GAS_METER_SERIAL, GAS_MPRN)
AGILE_ACCOUNT = account(ACCOUNT_AGILE)
# ... and the one on Intelligent Octopus Go.
INTELLIGENT_IMPORT = electricity(INTELLIGENT_METER_SERIAL, INTELLIGENT_MPAN)
INTELLIGENT_ACCOUNT = account(ACCOUNT_INTELLIGENT)
