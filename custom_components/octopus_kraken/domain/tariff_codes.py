"""Tariff codes, product kinds, and the meter identifiers a user types into the config flow."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import re

from ..api.models import Fuel

# GSP groups _A.._P; I and O are not used (too easily read as 1 and 0).
REGIONS = frozenset("ABCDEFGHJKLMNP")

_FUEL_PREFIX = {Fuel.ELECTRICITY: "E", Fuel.GAS: "G"}
_PREFIX_FUEL = {prefix: fuel for fuel, prefix in _FUEL_PREFIX.items()}
_TARIFF_CODE = re.compile(r"^([EG])-(\d)R-([A-Z0-9]+(?:-[A-Z0-9]+)*)-([A-Z])$")

# Prime weights of the MPAN check digit, applied to the first twelve digits of the core.
_MPAN_WEIGHTS = (3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43)


class InvalidTariffCodeError(ValueError):
    """A string that is not a tariff code (``E-1R-AGILE-24-10-01-C``)."""


class TariffKind(StrEnum):
    """What a product is, as far as pricing behaviour goes."""

    AGILE = "agile"
    AGILE_OUTGOING = "agile_outgoing"
    INTELLIGENT_GO = "intelligent_go"
    GO = "go"
    TRACKER = "tracker"
    COSY = "cosy"
    FLUX = "flux"
    FIXED = "fixed"
    VARIABLE = "variable"
    OUTGOING = "outgoing"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class TariffCode:
    """A parsed tariff code: fuel, number of registers, product code and GSP region ("_C")."""

    fuel: Fuel
    registers: int
    product_code: str
    region: str

    @property
    def code(self) -> str:
        """The tariff code string, e.g. ``E-1R-AGILE-24-10-01-C``."""
        return f"{_FUEL_PREFIX[self.fuel]}-{self.registers}R-{self.product_code}-{self.region[1:]}"

    @property
    def kind(self) -> TariffKind:
        """The kind of the product."""
        return tariff_kind(self.product_code)

    @property
    def is_export(self) -> bool:
        """Whether the tariff pays for exported energy."""
        return is_export_product(self.product_code)

    def __str__(self) -> str:
        return self.code


def parse_tariff_code(code: str) -> TariffCode:
    """Parse ``E-1R-AGILE-24-10-01-C``; case and surrounding space are forgiven."""
    match = _TARIFF_CODE.match(code.strip().upper())
    if match is None or match.group(4) not in REGIONS or match.group(2) == "0":
        raise InvalidTariffCodeError(f"not a tariff code: {code!r}")
    prefix, registers, product_code, region = match.groups()
    return TariffCode(_PREFIX_FUEL[prefix], int(registers), product_code, f"_{region}")


def build_tariff_code(fuel: Fuel, registers: int, product_code: str, region: str) -> TariffCode:
    """Build (and validate) a tariff code; ``region`` may be given as "C" or "_C"."""
    letter = region.strip().upper().removeprefix("_")
    prefix = _FUEL_PREFIX[Fuel(fuel)]
    return parse_tariff_code(f"{prefix}-{registers}R-{product_code}-{letter}")


def tariff_kind(product_code: str) -> TariffKind:
    """Classify a product code (``AGILE-24-10-01``, ``INTELLI-VAR-22-10-14``, ...).

    Checked from the most specific marker to the least: ``INTELLI-VAR`` is Intelligent Go,
    not variable, ``INTELLI-FLUX`` is Flux, and ``OUTGOING-FIX`` is a fixed *export* product,
    not fixed import.
    """
    parts = set(product_code.strip().upper().split("-"))
    if "AGILE" in parts:
        return TariffKind.AGILE_OUTGOING if parts & {"OUTGOING", "EXPORT"} else TariffKind.AGILE
    for marker, kind in (
        # Intelligent Octopus Flux is Flux (three bands), not Intelligent Go (no dispatches).
        ("FLUX", TariffKind.FLUX),
        ("INTELLI", TariffKind.INTELLIGENT_GO),
        ("GO", TariffKind.GO),
        ("SILVER", TariffKind.TRACKER),
        ("TRACKER", TariffKind.TRACKER),
        ("COSY", TariffKind.COSY),
        ("OUTGOING", TariffKind.OUTGOING),
        ("FIX", TariffKind.FIXED),
        ("VAR", TariffKind.VARIABLE),
    ):
        if marker in parts:
            return kind
    return TariffKind.UNKNOWN


def is_export_product(product_code: str) -> bool:
    """Whether a product pays for export (Outgoing, Agile Outgoing, Flux export)."""
    return bool(set(product_code.strip().upper().split("-")) & {"OUTGOING", "EXPORT"})


def is_valid_mpan(value: str) -> bool:
    """Whether ``value`` is a 13-digit MPAN core with a correct check digit."""
    digits = value.strip()
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    weighted = sum(int(d) * w for d, w in zip(digits[:12], _MPAN_WEIGHTS, strict=True))
    return weighted % 11 % 10 == int(digits[12])


def is_valid_mprn(value: str) -> bool:
    """Whether ``value`` looks like an MPRN: 6 to 10 digits."""
    digits = value.strip()
    return 6 <= len(digits) <= 10 and digits.isascii() and digits.isdigit()


def normalise_serial(value: str) -> str:
    """A meter serial number as the API spells it: trimmed, upper case."""
    serial = value.strip().upper()
    if not serial:
        raise ValueError("empty meter serial number")
    return serial
