"""The REST half of the client: products, tariff charges, consumption, meter points, GSPs."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

import aiohttp

from .exceptions import (
    OctopusAuthError,
    OctopusError,
    OctopusNotFoundError,
    OctopusProductUnavailableError,
    OctopusResponseError,
)
from .models import (
    ConsumptionInterval,
    ElectricityMeterPointDetail,
    Fuel,
    GroupBy,
    Product,
    ProductDetail,
    Rate,
    RateType,
    StandingCharge,
)
from .parsing import (
    page_results,
    parse_consumption,
    parse_grid_supply_points,
    parse_meter_point,
    parse_product_detail,
    parse_products,
    parse_rates,
    parse_standing_charges,
)
from .transport import Response, Transport
from .values import decode_json, format_datetime

# The largest pages the API serves: a year of half-hourly consumption is one request, a year of
# Agile rates twelve.
CONSUMPTION_PAGE_SIZE = 25_000
CHARGES_PAGE_SIZE = 1_500
# A safety stop for a server whose ``next`` never ends (25,000 x 400 is decades of half hours).
MAX_PAGES = 400


def _segment(value: str) -> str:
    """One percent-encoded path segment (a serial number may hold spaces or slashes)."""
    return quote(value, safe="")


def _period(period_from: datetime | None, period_to: datetime | None) -> dict[str, str]:
    params = {}
    if period_from is not None:
        params["period_from"] = format_datetime(period_from)
    if period_to is not None:
        params["period_to"] = format_datetime(period_to)
    return params


def _check(response: Response, log_path: str, *, product: bool = False) -> Any:
    """The decoded JSON of a REST response, or the exception its status calls for.

    ``product``: a product or tariff path, where 401, 403 and 404 mean that product is not open
    to this key (restricted or retired), never that the key is wrong.
    """
    if product and response.status in (401, 403, 404):
        raise OctopusProductUnavailableError(
            f"HTTP {response.status} from {log_path}", status=response.status
        )
    if response.status in (401, 403):
        raise OctopusAuthError(f"HTTP {response.status} from {log_path}", status=response.status)
    if response.status == 404:
        raise OctopusNotFoundError(f"Nothing at {log_path}")
    if response.status != 200:
        raise OctopusError(f"HTTP {response.status} from {log_path}", status=response.status)
    return decode_json(response.body)


class RestApi:
    """REST calls; mixed into ``OctopusClient``."""

    _transport: Transport
    _basic_auth: aiohttp.BasicAuth

    async def _get(
        self,
        path: str,
        *,
        operation: str,
        log_path: str,
        params: dict[str, str] | None = None,
        authenticated: bool = False,
        product: bool = False,
    ) -> Any:
        response = await self._transport.request(
            "GET",
            self._transport.url(path),
            operation=f"rest:{operation}",
            log_path=log_path,
            params=params,
            auth=self._basic_auth if authenticated else None,
            retry_unreadable=True,
        )
        return _check(response, log_path, product=product)

    async def _get_all_pages(
        self,
        path: str,
        *,
        operation: str,
        log_path: str,
        params: dict[str, str] | None = None,
        authenticated: bool = False,
        product: bool = False,
    ) -> list[Any]:
        """Every result of a paginated endpoint, following ``next`` to the end."""
        payload = await self._get(
            path,
            operation=operation,
            log_path=log_path,
            params=params,
            authenticated=authenticated,
            product=product,
        )
        results, link = page_results(payload)
        collected = list(results)
        seen: set[str] = set()
        while link:
            if link in seen or len(seen) >= MAX_PAGES:
                raise OctopusResponseError(f"Pagination of {log_path} does not end")
            seen.add(link)
            response = await self._transport.request(
                "GET",
                self._transport.follow(link),
                operation=f"rest:{operation}",
                log_path=f"{log_path} (page {len(seen) + 1})",
                auth=self._basic_auth if authenticated else None,
                retry_unreadable=True,
            )
            results, link = page_results(_check(response, log_path, product=product))
            collected.extend(results)
        return collected

    async def async_get_products(
        self,
        *,
        is_variable: bool | None = None,
        is_green: bool | None = None,
        is_tracker: bool | None = None,
        is_prepay: bool | None = None,
        is_business: bool | None = None,
        available_at: datetime | None = None,
    ) -> list[Product]:
        """Products on offer (``available_at`` defaults to now on the server)."""
        flags = {
            "is_variable": is_variable,
            "is_green": is_green,
            "is_tracker": is_tracker,
            "is_prepay": is_prepay,
            "is_business": is_business,
        }
        params = {name: str(value).lower() for name, value in flags.items() if value is not None}
        if available_at is not None:
            params["available_at"] = format_datetime(available_at)
        results = await self._get_all_pages(
            "/v1/products/", operation="products", log_path="/v1/products/", params=params
        )
        return parse_products(results)

    async def async_get_product(
        self, product_code: str, *, tariffs_active_at: datetime | None = None
    ) -> ProductDetail:
        """A product with its tariffs for every region, as at ``tariffs_active_at``."""
        params = {}
        if tariffs_active_at is not None:
            params["tariffs_active_at"] = format_datetime(tariffs_active_at)
        payload = await self._get(
            f"/v1/products/{_segment(product_code)}/",
            operation="product",
            log_path="/v1/products/<product>/",
            params=params,
            # Restricted products answer only to their customers' keys; public ones to any.
            authenticated=True,
            product=True,
        )
        return parse_product_detail(payload)

    async def _charges(
        self,
        product_code: str,
        tariff_code: str,
        fuel: Fuel,
        endpoint: str,
        period_from: datetime | None,
        period_to: datetime | None,
    ) -> list[Any]:
        tail = f"{Fuel(fuel).value}-tariffs/"
        return await self._get_all_pages(
            f"/v1/products/{_segment(product_code)}/{tail}{_segment(tariff_code)}/{endpoint}/",
            operation=endpoint,
            log_path=f"/v1/products/<product>/{tail}<tariff>/{endpoint}/",
            params={**_period(period_from, period_to), "page_size": str(CHARGES_PAGE_SIZE)},
            # Restricted products answer only to their customers' keys; public ones to any.
            authenticated=True,
            product=True,
        )

    async def async_get_unit_rates(
        self,
        product_code: str,
        tariff_code: str,
        *,
        fuel: Fuel,
        rate_type: RateType = RateType.STANDARD,
        period_from: datetime | None = None,
        period_to: datetime | None = None,
    ) -> list[Rate]:
        """Unit rates in p/kWh over the period, ascending by ``valid_from``."""
        rate_type = RateType(rate_type)
        if Fuel(fuel) is Fuel.GAS and rate_type is not RateType.STANDARD:
            raise ValueError("gas tariffs have standard unit rates only")
        rows = await self._charges(
            product_code, tariff_code, fuel, rate_type.value, period_from, period_to
        )
        return parse_rates(rows)

    async def async_get_standing_charges(
        self,
        product_code: str,
        tariff_code: str,
        *,
        fuel: Fuel,
        period_from: datetime | None = None,
        period_to: datetime | None = None,
    ) -> list[StandingCharge]:
        """Standing charges in p/day over the period, ascending by ``valid_from``."""
        rows = await self._charges(
            product_code, tariff_code, fuel, "standing-charges", period_from, period_to
        )
        return parse_standing_charges(rows)

    async def async_get_consumption(
        self,
        fuel: Fuel,
        mpxn: str,
        serial: str,
        *,
        period_from: datetime | None = None,
        period_to: datetime | None = None,
        group_by: GroupBy | None = None,
    ) -> list[ConsumptionInterval]:
        """Metered consumption, ascending; a year of half hours in one request."""
        point = "electricity-meter-points" if Fuel(fuel) is Fuel.ELECTRICITY else "gas-meter-points"
        id_name = "<mpan>" if Fuel(fuel) is Fuel.ELECTRICITY else "<mprn>"
        params = {
            **_period(period_from, period_to),
            "page_size": str(CONSUMPTION_PAGE_SIZE),
            "order_by": "period",
        }
        if group_by is not None:
            params["group_by"] = GroupBy(group_by).value
        results = await self._get_all_pages(
            f"/v1/{point}/{_segment(mpxn)}/meters/{_segment(serial)}/consumption/",
            operation="consumption",
            log_path=f"/v1/{point}/{id_name}/meters/<serial>/consumption/",
            params=params,
            authenticated=True,
        )
        return parse_consumption(results)

    async def async_get_electricity_meter_point(self, mpan: str) -> ElectricityMeterPointDetail:
        """An MPAN's GSP and profile class."""
        payload = await self._get(
            f"/v1/electricity-meter-points/{_segment(mpan)}/",
            operation="electricity-meter-point",
            log_path="/v1/electricity-meter-points/<mpan>/",
            authenticated=True,
        )
        return parse_meter_point(payload)

    async def async_get_grid_supply_points(self, postcode: str | None = None) -> list[str]:
        """GSP group ids, for a postcode if given (an unknown postcode gives ``[]``)."""
        params = {} if postcode is None else {"postcode": postcode}
        results = await self._get_all_pages(
            "/v1/industry/grid-supply-points/",
            operation="grid-supply-points",
            log_path="/v1/industry/grid-supply-points/",
            params=params,
        )
        return parse_grid_supply_points(results)
