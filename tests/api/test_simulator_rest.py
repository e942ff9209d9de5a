"""Every REST call of the client against the simulator, over real HTTP on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

from custom_components.octopus_kraken.api import (
    Fuel,
    GroupBy,
    OctopusAuthError,
    OctopusClient,
    OctopusError,
    OctopusNotFoundError,
    RateType,
)
from octopus_simulator.scenario import (
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    GAS_METER_SERIAL,
    GAS_MPRN,
)

AGILE = "AGILE-24-10-01"
AGILE_C = "E-1R-AGILE-24-10-01-C"
DAY = datetime(2025, 3, 10, tzinfo=UTC)
YEAR_START = datetime(2024, 11, 1, tzinfo=UTC)
YEAR_END = datetime(2025, 11, 1, tzinfo=UTC)


def _contiguous(items: list[Any], start: str, end: str) -> bool:
    return all(getattr(a, end) == getattr(b, start) for a, b in pairwise(items))


async def test_products_list_follows_every_page_and_applies_filters(client: OctopusClient) -> None:
    products = await client.async_get_products()
    codes = {product.code for product in products}
    assert AGILE in codes
    assert all(product.available_from is not None for product in products)
    trackers = await client.async_get_products(is_tracker=True)
    assert trackers
    assert all(product.is_tracker for product in trackers)
    business = await client.async_get_products(is_business=True)
    assert all(product.is_business for product in business)
    retired = await client.async_get_products(available_at=datetime(2023, 1, 1, tzinfo=UTC))
    assert "AGILE-FLEX-22-11-25" in {product.code for product in retired}
    assert AGILE not in {product.code for product in retired}


async def test_product_detail_lists_tariffs_per_region(client: OctopusClient) -> None:
    detail = await client.async_get_product("VAR-22-11-01", tariffs_active_at=DAY)
    assert detail.product.code == "VAR-22-11-01"
    assert detail.tariffs_active_at == DAY
    codes = {tariff.tariff_code for tariff in detail.tariffs}
    assert {"E-1R-VAR-22-11-01-C", "E-2R-VAR-22-11-01-C", "G-1R-VAR-22-11-01-C"} <= codes
    dual = next(t for t in detail.tariffs if t.tariff_code == "E-2R-VAR-22-11-01-C")
    assert dual.registers == 2
    assert dual.standing_charge_inc_vat is not None
    single = next(t for t in detail.tariffs if t.tariff_code == "E-1R-VAR-22-11-01-C")
    assert single.standard_unit_rate_inc_vat is not None
    assert (await client.async_get_product(AGILE)).product.display_name == "Agile Octopus"


async def test_agile_rates_for_a_day_are_48_ascending_half_hours(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    rates = await client.async_get_unit_rates(
        AGILE, AGILE_C, fuel=Fuel.ELECTRICITY, period_from=DAY, period_to=DAY + timedelta(days=1)
    )
    assert len(rates) == 48
    assert rates[0].valid_from == DAY
    assert rates[-1].valid_to == DAY + timedelta(days=1)
    assert _contiguous(rates, "valid_from", "valid_to")
    [logged] = [r for r in octopus_simulator.request_log if "standard-unit-rates" in r.path]
    # Datetimes travel in UTC "Z" form.
    assert logged.query["period_from"] == "2025-03-10T00:00:00Z"
    assert logged.query["page_size"] == "1500"


async def test_a_year_of_agile_rates_costs_twelve_pages(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    octopus_simulator.reset_log()
    rates = await client.async_get_unit_rates(
        AGILE, AGILE_C, fuel=Fuel.ELECTRICITY, period_from=YEAR_START, period_to=YEAR_END
    )
    assert len(rates) == 365 * 48
    assert _contiguous(rates, "valid_from", "valid_to")
    assert len({rate.valid_from for rate in rates}) == len(rates)
    assert client.stats.by_operation == {"rest:standard-unit-rates": 12}
    assert client.stats.total == 12
    assert octopus_simulator.count(path_contains="standard-unit-rates") == 12
    client.reset_stats()
    assert client.stats.total == 0


async def test_day_and_night_rates_and_standing_charges(client: OctopusClient) -> None:
    tariff = "E-2R-VAR-22-11-01-C"
    for rate_type in (RateType.DAY, RateType.NIGHT):
        rates = await client.async_get_unit_rates(
            "VAR-22-11-01",
            tariff,
            fuel=Fuel.ELECTRICITY,
            rate_type=rate_type,
            period_from=DAY,
            period_to=DAY + timedelta(days=1),
        )
        assert rates
    charges = await client.async_get_standing_charges(
        "VAR-22-11-01", tariff, fuel=Fuel.ELECTRICITY, period_from=YEAR_START, period_to=YEAR_END
    )
    assert charges
    assert charges == sorted(charges, key=lambda c: c.valid_from or YEAR_START)
    gas = await client.async_get_standing_charges(
        "VAR-22-11-01", "G-1R-VAR-22-11-01-C", fuel=Fuel.GAS
    )
    assert gas
    gas_rates = await client.async_get_unit_rates(
        "VAR-22-11-01", "G-1R-VAR-22-11-01-C", fuel=Fuel.GAS, period_from=DAY
    )
    assert gas_rates
    assert set(client.stats.by_operation) == {
        "rest:day-unit-rates",
        "rest:night-unit-rates",
        "rest:standing-charges",
        "rest:standard-unit-rates",
    }


async def test_gas_has_no_day_or_night_rates(client: OctopusClient) -> None:
    with pytest.raises(ValueError, match="gas"):
        await client.async_get_unit_rates(
            "VAR-22-11-01", "G-1R-VAR-22-11-01-C", fuel=Fuel.GAS, rate_type=RateType.DAY
        )


async def test_a_year_of_half_hourly_consumption_is_one_request(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    intervals = await client.async_get_consumption(
        Fuel.ELECTRICITY,
        AGILE_IMPORT_MPAN,
        AGILE_METER_SERIAL,
        period_from=YEAR_START,
        period_to=YEAR_END,
    )
    assert len(intervals) == 365 * 48
    assert intervals[0].interval_start == YEAR_START
    assert _contiguous(intervals, "interval_start", "interval_end")
    assert client.stats.by_operation == {"rest:consumption": 1}
    [logged] = list(octopus_simulator.request_log)
    assert logged.query["page_size"] == "25000"
    assert logged.query["order_by"] == "period"


async def test_gas_consumption_grouped_by_day(client: OctopusClient) -> None:
    days = await client.async_get_consumption(
        Fuel.GAS,
        GAS_MPRN,
        GAS_METER_SERIAL,
        period_from=DAY,
        period_to=DAY + timedelta(days=7),
        group_by=GroupBy.DAY,
    )
    assert 6 <= len(days) <= 8
    assert days == sorted(days, key=lambda i: i.interval_start)


async def test_meter_point_and_grid_supply_points(client: OctopusClient) -> None:
    detail = await client.async_get_electricity_meter_point(AGILE_IMPORT_MPAN)
    assert detail.mpan == AGILE_IMPORT_MPAN
    assert detail.gsp == "_C"
    assert detail.profile_class == 1
    gsps = await client.async_get_grid_supply_points()
    assert len(gsps) == 14
    assert await client.async_get_grid_supply_points("ZZ99 9ZZ") == []


async def test_unknown_things_are_not_found(client: OctopusClient) -> None:
    with pytest.raises(OctopusNotFoundError):
        await client.async_get_product("NO-SUCH-PRODUCT")
    with pytest.raises(OctopusNotFoundError):
        await client.async_get_unit_rates(
            AGILE, "E-1R-NO-SUCH-TARIFF-C", fuel=Fuel.ELECTRICITY, period_from=DAY
        )


async def test_a_wrong_api_key_is_an_auth_error_on_private_endpoints(
    make_client: Any,
) -> None:
    client: OctopusClient = make_client(api_key="sk_live_wrong")
    with pytest.raises(OctopusAuthError) as info:
        await client.async_get_consumption(
            Fuel.ELECTRICITY, AGILE_IMPORT_MPAN, AGILE_METER_SERIAL, period_from=DAY
        )
    assert info.value.status == 401
    with pytest.raises(OctopusAuthError):
        await client.async_get_electricity_meter_point(AGILE_IMPORT_MPAN)
    # Public endpoints do not need the key.
    assert await client.async_get_products()


async def test_a_bad_request_is_an_octopus_error(client: OctopusClient) -> None:
    with pytest.raises(OctopusError) as info:
        await client.async_get_unit_rates(AGILE, AGILE_C, fuel=Fuel.ELECTRICITY, period_to=DAY)
    assert info.value.status == 400
