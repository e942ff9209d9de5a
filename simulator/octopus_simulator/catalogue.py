"""The products the simulator sells and how tariff codes map onto them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
import re

# The 14 GB grid supply point groups, in the API's spelling.
REGIONS: tuple[str, ...] = (
    "_A", "_B", "_C", "_D", "_E", "_F", "_G", "_H", "_J", "_K", "_L", "_M", "_N", "_P",
)  # fmt: skip

# Regional distribution costs differ; a multiplier per GSP keeps regions visibly distinct.
REGION_FACTOR: dict[str, float] = {
    "_A": 1.00, "_B": 0.98, "_C": 1.03, "_D": 1.05, "_E": 0.99, "_F": 0.97, "_G": 1.00,
    "_H": 1.02, "_J": 1.04, "_K": 1.01, "_L": 1.06, "_M": 0.96, "_N": 0.98, "_P": 1.08,
}  # fmt: skip

PAYMENT_METHOD = "direct_debit_monthly"


class Pricing(StrEnum):
    """How a product's unit rates are shaped over time."""

    AGILE = "agile"  # half-hourly day-ahead prices
    AGILE_OUTGOING = "agile_outgoing"  # half-hourly export prices
    INTELLIGENT_GO = "intelligent_go"  # two rates, off-peak 23:30-05:30 local
    GO = "go"  # two rates, off-peak 00:30-04:30 local
    COSY = "cosy"  # three cheap windows and a 16:00-19:00 peak
    TRACKER = "tracker"  # one rate per local day, published the day before
    VARIABLE = "variable"  # price-cap style, changes each quarter
    FIXED = "fixed"  # one open-ended rate
    OUTGOING_FIXED = "outgoing_fixed"  # one open-ended export rate
    INTELLIGENT_FLUX = "intelligent_flux"  # three bands: 02:00-05:00 cheap, 16:00-19:00 peak
    INTELLIGENT_FLUX_EXPORT = "intelligent_flux_export"  # the same bands, paid for export


class TariffKind(StrEnum):
    """The tariff code prefix: fuel and number of registers."""

    E1R = "E-1R"
    E2R = "E-2R"
    G1R = "G-1R"


class RateKind(StrEnum):
    """The charge endpoints under a tariff."""

    STANDARD = "standard-unit-rates"
    DAY = "day-unit-rates"
    NIGHT = "night-unit-rates"
    STANDING = "standing-charges"


@dataclass(frozen=True, slots=True)
class Product:
    """A product of ``/v1/products/``."""

    code: str
    full_name: str
    display_name: str
    description: str
    pricing: Pricing
    kinds: tuple[TariffKind, ...]
    available_from: datetime
    available_to: datetime | None = None
    is_variable: bool = True
    is_green: bool = False
    is_tracker: bool = False
    is_prepay: bool = False
    is_business: bool = False
    is_restricted: bool = False
    term: int | None = None
    brand: str = "OCTOPUS_ENERGY"

    @property
    def is_export(self) -> bool:
        """Export products pay the customer; no VAT applies to them."""
        return self.pricing in (
            Pricing.AGILE_OUTGOING,
            Pricing.OUTGOING_FIXED,
            Pricing.INTELLIGENT_FLUX_EXPORT,
        )

    def available_at(self, instant: datetime) -> bool:
        """Whether new agreements could start on this product at ``instant``."""
        return self.available_from <= instant and (
            self.available_to is None or instant < self.available_to
        )

    def tariff_code(self, kind: TariffKind, region: str) -> str:
        """``E-1R-AGILE-24-10-01-C`` style code for a region (``_C``)."""
        return f"{kind.value}-{self.code}-{region.removeprefix('_')}"


def _utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


_ELEC = (TariffKind.E1R,)

PRODUCTS: tuple[Product, ...] = (
    Product(
        "AGILE-24-10-01", "Agile Octopus October 2024 v1", "Agile Octopus",
        "With Agile Octopus, you get access to half-hourly energy prices, tied to wholesale "
        "prices and updated daily.", Pricing.AGILE, _ELEC, _utc(2024, 10, 1), is_green=True,
        term=12,
    ),
    Product(
        "AGILE-FLEX-22-11-25", "Agile Octopus November 2022 v1", "Agile Octopus",
        "Retired version of Agile Octopus.", Pricing.AGILE, _ELEC, _utc(2022, 11, 25),
        available_to=_utc(2024, 10, 1), is_green=True, term=12,
    ),
    Product(
        "AGILE-OUTGOING-19-05-13", "Agile Outgoing Octopus May 2019", "Agile Outgoing Octopus",
        "Outgoing Octopus Agile rate pays you for all your exported energy based on the day-ahead "
        "wholesale rate.", Pricing.AGILE_OUTGOING, _ELEC, _utc(2019, 5, 13), is_green=True,
        term=12,
    ),
    Product(
        "OUTGOING-FIX-12M-19-05-13", "Outgoing Octopus 12M Fixed May 2019", "Outgoing Octopus",
        "Outgoing Octopus pays you a fixed rate for every unit you export.",
        Pricing.OUTGOING_FIXED, _ELEC, _utc(2019, 5, 13), is_variable=False, is_green=True,
        term=12,
    ),
    Product(
        "INTELLI-VAR-24-10-29", "Intelligent Octopus Go", "Intelligent Octopus Go",
        "Super cheap EV charging: six hours of off-peak electricity every night from 23:30 to "
        "05:30, plus smart-charging dispatches.", Pricing.INTELLIGENT_GO, _ELEC,
        _utc(2024, 10, 29), is_green=True,
    ),
    Product(
        "INTELLI-FLUX-IMPORT-23-07-14", "Intelligent Octopus Flux Import",
        "Intelligent Octopus Flux",
        "For homes with a battery: cheap import 02:00-05:00, a 16:00-19:00 peak, and the battery "
        "run by Octopus.", Pricing.INTELLIGENT_FLUX, _ELEC, _utc(2023, 7, 14), is_green=True,
    ),
    Product(
        "INTELLI-FLUX-EXPORT-23-07-14", "Intelligent Octopus Flux Export",
        "Intelligent Octopus Flux Export", "Export paid at the same three time bands as the "
        "Intelligent Octopus Flux import tariff.", Pricing.INTELLIGENT_FLUX_EXPORT, _ELEC,
        _utc(2023, 7, 14), is_green=True,
    ),
    Product(
        "GO-VAR-22-10-14", "Octopus Go October 2022 v1", "Octopus Go",
        "Four hours of cheap electricity every night from 00:30 to 04:30.", Pricing.GO, _ELEC,
        _utc(2022, 10, 14), is_green=True,
    ),
    Product(
        "SILVER-24-12-31", "Octopus Tracker December 2024 v1", "Octopus Tracker",
        "Daily prices that follow the wholesale market, published the day before.",
        Pricing.TRACKER, (TariffKind.E1R, TariffKind.G1R), _utc(2024, 12, 31), is_tracker=True,
        term=12,
    ),
    Product(
        "COSY-22-12-08", "Cosy Octopus", "Cosy Octopus",
        "Cheap electricity for heat pumps at 04:00-07:00, 13:00-16:00 and 22:00-00:00, with a "
        "16:00-19:00 peak.", Pricing.COSY, _ELEC, _utc(2022, 12, 8), is_green=True,
    ),
    Product(
        "VAR-22-11-01", "Flexible Octopus November 2022 v1", "Flexible Octopus",
        "Flexible Octopus prices follow wholesale costs and change with the price cap.",
        Pricing.VARIABLE, (TariffKind.E1R, TariffKind.E2R, TariffKind.G1R), _utc(2022, 11, 1),
    ),
    Product(
        "OE-FIX-12M-24-11-01", "Octopus 12M Fixed November 2024 v1", "Octopus 12M Fixed",
        "This tariff features 100% renewable electricity and fixes your unit rates and standing "
        "charge for 12 months.", Pricing.FIXED, (TariffKind.E1R, TariffKind.E2R, TariffKind.G1R),
        _utc(2024, 11, 1), is_variable=False, is_green=True, term=12,
    ),
    Product(
        "BUS-12M-FIXED-24-11-01", "Business 12M Fixed November 2024", "Business Fixed",
        "A fixed tariff for businesses.", Pricing.FIXED, (TariffKind.E1R, TariffKind.G1R),
        _utc(2024, 11, 1), is_variable=False, is_business=True, term=12,
    ),
)  # fmt: skip

PRODUCTS_BY_CODE: dict[str, Product] = {product.code: product for product in PRODUCTS}

_TARIFF_CODE = re.compile(r"^(?P<kind>[EG]-[12]R)-(?P<product>.+)-(?P<region>[A-Z])$")


@dataclass(frozen=True, slots=True)
class TariffRef:
    """A parsed tariff code that belongs to a known product."""

    code: str
    kind: TariffKind
    product: Product
    region: str

    @property
    def is_gas(self) -> bool:
        """Gas tariffs live under ``gas-tariffs``."""
        return self.kind is TariffKind.G1R

    def rate_kinds(self) -> tuple[RateKind, ...]:
        """The charge endpoints this tariff offers."""
        if self.kind is TariffKind.E2R:
            return (RateKind.DAY, RateKind.NIGHT, RateKind.STANDING)
        return (RateKind.STANDARD, RateKind.STANDING)


def parse_tariff_code(code: str) -> TariffRef | None:
    """Resolve ``E-1R-AGILE-24-10-01-C``; ``None`` when it names no tariff we sell."""
    match = _TARIFF_CODE.match(code)
    if match is None:
        return None
    product = PRODUCTS_BY_CODE.get(match["product"])
    region = f"_{match['region']}"
    kind = TariffKind(match["kind"])
    if product is None or region not in REGIONS or kind not in product.kinds:
        return None
    return TariffRef(code, kind, product, region)


# Postcode areas to GSP groups: enough of the map for tests and development.
_POSTCODE_AREAS: dict[str, str] = {
    "CB": "_A", "CO": "_A", "IP": "_A", "NR": "_A", "NG": "_B", "LE": "_B", "DE": "_B",
    "E": "_C", "EC": "_C", "N": "_C", "NW": "_C", "SE": "_C", "SW": "_C", "W": "_C", "WC": "_C",
    "L": "_D", "CH": "_D", "LL": "_D", "B": "_E", "CV": "_E", "WV": "_E", "NE": "_F", "DH": "_F",
    "SR": "_F", "M": "_G", "PR": "_G", "BL": "_G", "BH": "_H", "SO": "_H", "OX": "_H", "RG": "_H",
    "BN": "_J", "CT": "_J", "ME": "_J", "TN": "_J", "CF": "_K", "SA": "_K", "NP": "_K",
    "EX": "_L", "PL": "_L", "TR": "_L", "BS": "_L", "LS": "_M", "YO": "_M", "HU": "_M", "S": "_M",
    "EH": "_N", "G": "_N", "KA": "_N", "AB": "_P", "IV": "_P", "DD": "_P",
}  # fmt: skip


def gsp_for_postcode(postcode: str) -> str | None:
    """The GSP group of a postcode, or ``None`` when the area is not on our map."""
    match = re.match(r"^\s*([A-Za-z]{1,2})\d", postcode)
    if match is None:
        return None
    return _POSTCODE_AREAS.get(match[1].upper())
