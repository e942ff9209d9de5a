"""REST payloads (products, charges, consumption, meter points) into dataclasses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..models import (
    ConsumptionInterval,
    ElectricityMeterPointDetail,
    Fuel,
    Product,
    ProductDetail,
    ProductTariff,
    Rate,
    StandingCharge,
)
from ..values import (
    JSONObject,
    as_list,
    as_object,
    opt_datetime,
    opt_decimal,
    opt_int,
    opt_str,
    req_bool,
    req_datetime,
    req_decimal,
    req_str,
    strict,
)

_EARLIEST = datetime.min.replace(tzinfo=UTC)

# (payload section, fuel, registers) of a product detail.
_TARIFF_SECTIONS: tuple[tuple[str, Fuel, int], ...] = (
    ("single_register_electricity_tariffs", Fuel.ELECTRICITY, 1),
    ("dual_register_electricity_tariffs", Fuel.ELECTRICITY, 2),
    ("single_register_gas_tariffs", Fuel.GAS, 1),
    ("dual_register_gas_tariffs", Fuel.GAS, 2),
)

# --- REST -----------------------------------------------------------------------------------


def page_results(payload: object) -> tuple[list[Any], str | None]:
    """The ``results`` and ``next`` link of a paginated REST response."""
    page = as_object(payload, "page")
    return as_list(page.get("results"), "results"), opt_str(page, "next")


def _product(item: JSONObject) -> Product:
    return Product(
        code=req_str(item, "code"),
        full_name=req_str(item, "full_name"),
        display_name=req_str(item, "display_name"),
        is_variable=req_bool(item, "is_variable"),
        is_green=req_bool(item, "is_green"),
        is_tracker=req_bool(item, "is_tracker"),
        is_prepay=req_bool(item, "is_prepay"),
        is_business=req_bool(item, "is_business"),
        brand=opt_str(item, "brand"),
        available_from=opt_datetime(item, "available_from"),
        available_to=opt_datetime(item, "available_to"),
    )


@strict
def parse_products(results: list[Any]) -> list[Product]:
    """Entries of ``/v1/products/``."""
    return [_product(as_object(item, "product")) for item in results]


@strict
def parse_product_detail(payload: object) -> ProductDetail:
    """``/v1/products/{code}/`` with every non-empty tariff of every region and payment method."""
    data = as_object(payload, "product")
    tariffs: list[ProductTariff] = []
    for section, fuel, registers in _TARIFF_SECTIONS:
        regions = data.get(section)
        if regions is None:
            continue
        for region, methods in as_object(regions, section).items():
            for method, tariff in as_object(methods, region).items():
                body = as_object(tariff, method)
                if not body:  # the API lists payment methods without a tariff as {}
                    continue
                tariffs.append(
                    ProductTariff(
                        tariff_code=req_str(body, "code"),
                        fuel=fuel,
                        region=region,
                        payment_method=method,
                        registers=registers,
                        standing_charge_inc_vat=opt_decimal(body, "standing_charge_inc_vat"),
                        standing_charge_exc_vat=opt_decimal(body, "standing_charge_exc_vat"),
                        standard_unit_rate_inc_vat=opt_decimal(body, "standard_unit_rate_inc_vat"),
                        standard_unit_rate_exc_vat=opt_decimal(body, "standard_unit_rate_exc_vat"),
                    )
                )
    return ProductDetail(
        product=_product(data),
        tariffs_active_at=req_datetime(data, "tariffs_active_at"),
        tariffs=tuple(tariffs),
    )


@strict
def parse_rates(results: list[Any]) -> list[Rate]:
    """Unit rates, ascending, one per start time.

    Fixed tariffs list each period twice, once per ``payment_method`` (``DIRECT_DEBIT`` and
    ``NON_DIRECT_DEBIT``; the public reference does not show the field, the live API sends it):
    the direct-debit price wins, as on every tariff code the integration follows.
    """
    rows = []
    for raw in results:
        item = as_object(raw, "rate")
        rate = Rate(
            valid_from=req_datetime(item, "valid_from"),
            valid_to=opt_datetime(item, "valid_to"),
            value_inc_vat=req_decimal(item, "value_inc_vat"),
            value_exc_vat=req_decimal(item, "value_exc_vat"),
        )
        rows.append((item, rate))
    return _direct_debit_per_start(rows)


@strict
def parse_standing_charges(results: list[Any]) -> list[StandingCharge]:
    """Standing charges, ascending (an open start sorts first), direct debit preferred."""
    rows = []
    for raw in results:
        item = as_object(raw, "standing charge")
        charge = StandingCharge(
            valid_from=opt_datetime(item, "valid_from"),
            valid_to=opt_datetime(item, "valid_to"),
            value_inc_vat=req_decimal(item, "value_inc_vat"),
            value_exc_vat=req_decimal(item, "value_exc_vat"),
        )
        rows.append((item, charge))
    return _direct_debit_per_start(rows)


def _direct_debit_per_start[T: (Rate, StandingCharge)](rows: list[tuple[Any, T]]) -> list[T]:
    """One charge per start time, the direct-debit row preferred; ascending (open start first)."""
    chosen: dict[datetime | None, tuple[bool, T]] = {}
    for item, charge in rows:
        preferred = opt_str(item, "payment_method") in (None, "DIRECT_DEBIT")
        previous = chosen.get(charge.valid_from)
        if previous is None or (preferred and not previous[0]):
            chosen[charge.valid_from] = (preferred, charge)
    return sorted(
        (charge for _, charge in chosen.values()),
        key=lambda charge: charge.valid_from or _EARLIEST,
    )


@strict
def parse_consumption(results: list[Any]) -> list[ConsumptionInterval]:
    """Consumption intervals, ascending, one per start (a page boundary may repeat one)."""
    by_start: dict[datetime, ConsumptionInterval] = {}
    for raw in results:
        item = as_object(raw, "consumption")
        interval = ConsumptionInterval(
            interval_start=req_datetime(item, "interval_start"),
            interval_end=req_datetime(item, "interval_end"),
            consumption=req_decimal(item, "consumption"),
        )
        by_start[interval.interval_start] = interval
    return sorted(by_start.values(), key=lambda interval: interval.interval_start)


@strict
def parse_meter_point(payload: object) -> ElectricityMeterPointDetail:
    """``/v1/electricity-meter-points/{mpan}/``."""
    data = as_object(payload, "meter point")
    return ElectricityMeterPointDetail(
        mpan=req_str(data, "mpan"),
        gsp=opt_str(data, "gsp"),
        profile_class=opt_int(data, "profile_class"),
    )


@strict
def parse_grid_supply_points(results: list[Any]) -> list[str]:
    """Group ids (``_A`` .. ``_P``) of ``/v1/industry/grid-supply-points/``."""
    return [req_str(as_object(item, "gsp"), "group_id") for item in results]
