"""``/v1/products/``, product detail and tariff charges (public endpoints)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aiohttp import web

from octopus_simulator.catalogue import (
    PAYMENT_METHOD,
    PRODUCTS,
    PRODUCTS_BY_CODE,
    REGIONS,
    Product,
    RateKind,
    TariffKind,
    TariffRef,
    gsp_for_postcode,
    parse_tariff_code,
)
from octopus_simulator.keys import SIM
from octopus_simulator.prices import RateRow, rate_at, rate_rows
from octopus_simulator.restutil import (
    NO_CREDENTIALS,
    NOT_FOUND,
    Mapped,
    base_url,
    json_error,
    number,
    optional_user,
    paginate,
    parse_bool,
    parse_period,
)
from octopus_simulator.timeutil import iso_z, parse_api_datetime

if TYPE_CHECKING:
    from octopus_simulator.app import Simulator

RATES_MAX_PAGE_SIZE = 1500
_FLAGS = ("is_variable", "is_green", "is_tracker", "is_prepay")
_SECTIONS = {
    TariffKind.E1R: "single_register_electricity_tariffs",
    TariffKind.E2R: "dual_register_electricity_tariffs",
    TariffKind.G1R: "single_register_gas_tariffs",
}


def _instant(request: web.Request, name: str, default: datetime) -> datetime:
    raw = request.query.get(name)
    if not raw:
        return default
    try:
        return parse_api_datetime(raw)
    except ValueError:
        json_error(400, {name: ["Enter a valid date/time."]})


def _customer_of(sim: Simulator, request: web.Request, code: str) -> bool:
    """Whether the request carries the key of a customer with an agreement on product ``code``."""
    user = optional_user(request, sim)
    if user is None:
        return False
    for account in sim.scenario.accounts_of(user):
        points = [*account.electricity_meter_points(), *account.gas_meter_points()]
        for point in points:
            for agreement in point.agreements:
                tariff = parse_tariff_code(agreement.tariff_code)
                if tariff is not None and tariff.product.code == code:
                    return True
    return False


def _check_access(sim: Simulator, request: web.Request, code: str) -> None:
    """Restricted (or retired) products answer 404 or 401 unless the customer's key is sent."""
    status = sim.scenario.choices.restricted_products.get(code)
    if status is None or _customer_of(sim, request, code):
        return
    json_error(status, NO_CREDENTIALS if status == 401 else NOT_FOUND)


def _product_head(product: Product, base: str) -> dict[str, Any]:
    return {
        "code": product.code,
        "full_name": product.full_name,
        "display_name": product.display_name,
        "description": product.description,
        "is_variable": product.is_variable,
        "is_green": product.is_green,
        "is_tracker": product.is_tracker,
        "is_prepay": product.is_prepay,
        "is_business": product.is_business,
        "is_restricted": product.is_restricted,
        "term": product.term,
        "available_from": iso_z(product.available_from),
        "available_to": iso_z(product.available_to) if product.available_to else None,
        "links": [{"href": f"{base}/v1/products/{product.code}/", "method": "GET", "rel": "self"}],
        "brand": product.brand,
    }


async def list_products(request: web.Request) -> web.Response:
    """``GET /v1/products/`` with the documented filters."""
    sim = request.app[SIM]
    at = _instant(request, "available_at", sim.now())
    wanted = {flag: parse_bool(request, flag) for flag in _FLAGS}
    business = parse_bool(request, "is_business") or False
    base = base_url(request)
    items = [
        _product_head(product, base)
        for product in PRODUCTS
        if product.available_at(at)
        and product.code not in sim.scenario.choices.restricted_products
        and product.is_business == business
        and all(v is None or getattr(product, k) == v for k, v in wanted.items())
    ]
    return web.json_response(paginate(request, items, max_size=RATES_MAX_PAGE_SIZE))


def _tariff_entry(
    sim: Simulator, tariff: TariffRef, at: datetime, base: str
) -> tuple[dict[str, Any], dict[str, Decimal]]:
    """One region's ``direct_debit_monthly`` entry, plus the prices for the sample quotes."""
    fuel = "gas-tariffs" if tariff.is_gas else "electricity-tariffs"
    url = f"{base}/v1/products/{tariff.product.code}/{fuel}/{tariff.code}"
    entry: dict[str, Any] = {"code": tariff.code}
    prices: dict[str, Decimal] = {}
    for kind in tariff.rate_kinds():
        row = rate_at(tariff, kind, at, seed=sim.scenario.seed, rules=sim.scenario.publication)
        prefix = {
            RateKind.STANDARD: "standard_unit_rate",
            RateKind.DAY: "day_unit_rate",
            RateKind.NIGHT: "night_unit_rate",
            RateKind.STANDING: "standing_charge",
        }[kind]
        entry[f"{prefix}_exc_vat"] = number(row.value_exc_vat) if row else None
        entry[f"{prefix}_inc_vat"] = number(row.value_inc_vat) if row else None
        prices[prefix] = row.value_inc_vat if row else Decimal(0)
    for name in ("online_discount", "dual_fuel_discount", "exit_fees"):
        entry[f"{name}_exc_vat"] = 0
        entry[f"{name}_inc_vat"] = 0
    entry["links"] = [
        {"href": f"{url}/{kind.value}/", "method": "GET", "rel": kind.value.replace("-", "_")}
        for kind in tariff.rate_kinds()
    ]
    return entry, prices


def _annual(prices: dict[str, Decimal], kwh: dict[str, int]) -> Decimal:
    total = prices.get("standing_charge", Decimal(0)) * 365
    for register, amount in kwh.items():
        total += prices.get(register, Decimal(0)) * amount
    return total


def _sample_quotes(by_kind: dict[TariffKind, dict[str, Decimal]]) -> dict[str, Any]:
    single = by_kind.get(TariffKind.E1R)
    dual = by_kind.get(TariffKind.E2R)
    gas = by_kind.get(TariffKind.G1R)
    e1 = _annual(single, {"standard_unit_rate": 3100}) if single else None
    e2 = _annual(dual, {"day_unit_rate": 2436, "night_unit_rate": 1764}) if dual else None
    g = _annual(gas, {"standard_unit_rate": 12000}) if gas else None

    def cost(total: Decimal | None) -> dict[str, int]:
        if total is None:
            return {}
        return {
            "annual_cost_inc_vat": int(total.to_integral_value()),
            "annual_cost_exc_vat": int((total / Decimal("1.05")).to_integral_value()),
        }

    return {
        "electricity_single_rate": cost(e1),
        "electricity_dual_rate": cost(e2),
        "dual_fuel_single_rate": cost(e1 + g if e1 is not None and g is not None else None),
        "dual_fuel_dual_rate": cost(e2 + g if e2 is not None and g is not None else None),
    }


_SAMPLE_CONSUMPTION = {
    "electricity_single_rate": {"electricity_standard": 3100},
    "electricity_dual_rate": {"electricity_day": 2436, "electricity_night": 1764},
    "dual_fuel_single_rate": {"electricity_standard": 3100, "gas_standard": 12000},
    "dual_fuel_dual_rate": {
        "electricity_day": 2436,
        "electricity_night": 1764,
        "gas_standard": 12000,
    },
}


async def product_detail(request: web.Request) -> web.Response:
    """``GET /v1/products/{code}/``: the product with each region's tariffs at a point in time."""
    sim = request.app[SIM]
    product = PRODUCTS_BY_CODE.get(request.match_info["code"])
    if product is None:
        json_error(404, NOT_FOUND)
    _check_access(sim, request, product.code)
    at = _instant(request, "tariffs_active_at", sim.now())
    base = base_url(request)
    body = _product_head(product, base)
    del body["links"]
    body["tariffs_active_at"] = iso_z(at)
    quotes: dict[str, Any] = {}
    for section in _SECTIONS.values():
        body[section] = {}
    for region in REGIONS:
        by_kind: dict[TariffKind, dict[str, Decimal]] = {}
        for kind in product.kinds:
            tariff = parse_tariff_code(product.tariff_code(kind, region))
            assert tariff is not None  # every code built from the catalogue parses
            entry, prices = _tariff_entry(sim, tariff, at, base)
            body[_SECTIONS[kind]][region] = {PAYMENT_METHOD: entry}
            by_kind[kind] = prices
        quotes[region] = {PAYMENT_METHOD: _sample_quotes(by_kind)}
    body["sample_quotes"] = quotes
    body["sample_consumption"] = _SAMPLE_CONSUMPTION
    body["links"] = [
        {"href": f"{base}/v1/products/{product.code}/", "method": "GET", "rel": "self"}
    ]
    return web.json_response(body)


async def tariff_charges(request: web.Request) -> web.Response:
    """``GET /v1/products/{p}/{fuel}-tariffs/{t}/{kind}/``: rates, newest first, paged."""
    sim = request.app[SIM]
    tariff = parse_tariff_code(request.match_info["tariff"])
    fuel = request.match_info["fuel"]
    try:
        kind = RateKind(request.match_info["kind"])
    except ValueError:
        json_error(404, NOT_FOUND)
    if (
        tariff is None
        or tariff.product.code != request.match_info["product"]
        or (fuel == "gas") != tariff.is_gas
        or kind not in tariff.rate_kinds()
    ):
        json_error(404, NOT_FOUND)
    _check_access(sim, request, tariff.product.code)
    period_from, period_to = parse_period(request)
    rows = rate_rows(
        tariff,
        kind,
        seed=sim.scenario.seed,
        now=sim.now(),
        rules=sim.scenario.publication,
        period_from=period_from,
        period_to=period_to,
    )
    items = Mapped(rows, _rate_item, reverse=True)  # newest first; only the page is rendered
    return web.json_response(paginate(request, items, max_size=RATES_MAX_PAGE_SIZE))


def _rate_item(row: RateRow) -> dict[str, Any]:
    return {
        "value_exc_vat": number(row.value_exc_vat),
        "value_inc_vat": number(row.value_inc_vat),
        "valid_from": iso_z(row.valid_from),
        "valid_to": iso_z(row.valid_to) if row.valid_to else None,
    }


async def grid_supply_points(request: web.Request) -> web.Response:
    """``GET /v1/industry/grid-supply-points/?postcode=``."""
    postcode = request.query.get("postcode")
    if postcode is None:
        groups: list[str] = list(REGIONS)
    else:
        found = gsp_for_postcode(postcode)
        groups = [found] if found else []
    items = [{"group_id": group} for group in groups]
    return web.json_response(paginate(request, items, max_size=RATES_MAX_PAGE_SIZE))


def add_routes(app: web.Application) -> None:
    """Register the public product endpoints."""
    app.router.add_get("/v1/products/", list_products)
    app.router.add_get("/v1/products/{code}/", product_detail)
    app.router.add_get(
        r"/v1/products/{product}/{fuel:electricity|gas}-tariffs/{tariff}/{kind}/", tariff_charges
    )
    app.router.add_get("/v1/industry/grid-supply-points/", grid_supply_points)
