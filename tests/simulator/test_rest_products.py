"""Products, product detail and grid supply points: shapes as in the REST reference."""

from __future__ import annotations

from octopus_simulator.catalogue import REGIONS
from octopus_simulator.server import SimulatorHandle

PRODUCT_KEYS = {
    "code", "full_name", "display_name", "description", "is_variable", "is_green", "is_tracker",
    "is_prepay", "is_business", "is_restricted", "term", "brand", "available_from",
    "available_to", "links",
}  # fmt: skip
SINGLE_TARIFF_KEYS = {
    "code", "standard_unit_rate_exc_vat", "standard_unit_rate_inc_vat",
    "standing_charge_exc_vat", "standing_charge_inc_vat", "online_discount_exc_vat",
    "online_discount_inc_vat", "dual_fuel_discount_exc_vat", "dual_fuel_discount_inc_vat",
    "exit_fees_exc_vat", "exit_fees_inc_vat", "links",
}  # fmt: skip


async def test_product_list_has_the_reference_shape_and_only_current_retail_products(
    sim: SimulatorHandle, get
) -> None:
    status, body = await get("/v1/products/")
    assert status == 200
    assert set(body) == {"count", "next", "previous", "results"}
    codes = [p["code"] for p in body["results"]]
    assert body["count"] == len(codes)
    assert "AGILE-24-10-01" in codes
    assert "AGILE-FLEX-22-11-25" not in codes  # retired before "now"
    assert "BUS-12M-FIXED-24-11-01" not in codes  # business products need is_business=true
    for product in body["results"]:
        assert set(product) == PRODUCT_KEYS
        assert product["links"] == [
            {"href": f"{sim.url}/v1/products/{product['code']}/", "method": "GET", "rel": "self"}
        ]
    agile = next(p for p in body["results"] if p["code"] == "AGILE-24-10-01")
    assert agile["available_from"] == "2024-10-01T00:00:00Z"
    assert agile["available_to"] is None
    assert agile["brand"] == "OCTOPUS_ENERGY"


async def test_product_filters_select_by_flag_and_availability(get) -> None:
    _, trackers = await get("/v1/products/", params={"is_tracker": "true"})
    assert [p["code"] for p in trackers["results"]] == ["SILVER-24-12-31"]
    _, fixed = await get("/v1/products/", params={"is_variable": "false"})
    assert all(not p["is_variable"] for p in fixed["results"])
    assert "OE-FIX-12M-24-11-01" in [p["code"] for p in fixed["results"]]
    _, green = await get("/v1/products/", params={"is_green": "1", "is_prepay": "false"})
    assert all(p["is_green"] for p in green["results"])
    _, business = await get("/v1/products/", params={"is_business": "true"})
    assert [p["code"] for p in business["results"]] == ["BUS-12M-FIXED-24-11-01"]
    _, past = await get("/v1/products/", params={"available_at": "2024-01-01T00:00"})
    past_codes = [p["code"] for p in past["results"]]
    assert "AGILE-FLEX-22-11-25" in past_codes
    assert "AGILE-24-10-01" not in past_codes


async def test_product_list_rejects_bad_filters(get) -> None:
    status, body = await get("/v1/products/", params={"is_green": "maybe"})
    assert status == 400
    assert body == {"is_green": ["Select a valid choice."]}
    status, body = await get("/v1/products/", params={"available_at": "yesterday"})
    assert status == 400
    assert body == {"available_at": ["Enter a valid date/time."]}


async def test_product_list_pages_with_absolute_links_keeping_the_filters(
    sim: SimulatorHandle, get
) -> None:
    _, first = await get("/v1/products/", params={"page_size": "3", "is_business": "false"})
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert first["next"] == f"{sim.url}/v1/products/?page_size=3&is_business=false&page=2"
    _, second = await get(first["next"])
    assert second["previous"] == f"{sim.url}/v1/products/?page_size=3&is_business=false"
    _, third = await get(second["next"])
    assert third["previous"].endswith("page=2")
    status, body = await get("/v1/products/", params={"page": "99"})
    assert (status, body) == (404, {"detail": "Invalid page."})
    status, _ = await get("/v1/products/", params={"page": "x"})
    assert status == 404
    _, fallback = await get("/v1/products/", params={"page_size": "lots"})
    assert len(fallback["results"]) == fallback["count"]


async def test_product_detail_lists_every_region_by_payment_method_with_links(
    sim: SimulatorHandle, get
) -> None:
    status, body = await get("/v1/products/AGILE-24-10-01/")
    assert status == 200
    assert set(body) == (PRODUCT_KEYS - {"links"}) | {
        "tariffs_active_at", "single_register_electricity_tariffs",
        "dual_register_electricity_tariffs", "single_register_gas_tariffs", "sample_quotes",
        "sample_consumption", "links",
    }  # fmt: skip
    assert body["tariffs_active_at"] == "2025-06-18T13:00:00Z"
    single = body["single_register_electricity_tariffs"]
    assert list(single) == list(REGIONS)
    assert body["dual_register_electricity_tariffs"] == {}
    assert body["single_register_gas_tariffs"] == {}
    tariff = single["_C"]["direct_debit_monthly"]
    assert set(tariff) == SINGLE_TARIFF_KEYS
    assert tariff["code"] == "E-1R-AGILE-24-10-01-C"
    assert isinstance(tariff["standard_unit_rate_inc_vat"], int | float)
    base = f"{sim.url}/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C"
    assert tariff["links"] == [
        {"href": f"{base}/standard-unit-rates/", "method": "GET", "rel": "standard_unit_rates"},
        {"href": f"{base}/standing-charges/", "method": "GET", "rel": "standing_charges"},
    ]
    quotes = body["sample_quotes"]["_C"]["direct_debit_monthly"]
    assert set(quotes["electricity_single_rate"]) == {"annual_cost_inc_vat", "annual_cost_exc_vat"}
    assert quotes["electricity_dual_rate"] == {}
    assert body["sample_consumption"]["electricity_single_rate"] == {"electricity_standard": 3100}


async def test_product_detail_of_a_dual_fuel_product_has_day_night_and_gas_tariffs(get) -> None:
    _, body = await get(
        "/v1/products/VAR-22-11-01/", params={"tariffs_active_at": "2025-01-15T12:00:00Z"}
    )
    dual = body["dual_register_electricity_tariffs"]["_A"]["direct_debit_monthly"]
    assert dual["code"] == "E-2R-VAR-22-11-01-A"
    assert {"day_unit_rate_exc_vat", "night_unit_rate_inc_vat"} <= set(dual)
    assert [link["rel"] for link in dual["links"]] == [
        "day_unit_rates", "night_unit_rates", "standing_charges",
    ]  # fmt: skip
    gas = body["single_register_gas_tariffs"]["_A"]["direct_debit_monthly"]
    assert gas["code"] == "G-1R-VAR-22-11-01-A"
    assert "/gas-tariffs/" in gas["links"][0]["href"]
    quotes = body["sample_quotes"]["_A"]["direct_debit_monthly"]
    assert quotes["dual_fuel_dual_rate"]["annual_cost_inc_vat"] > 0


async def test_unknown_products_are_not_found(get) -> None:
    assert await get("/v1/products/NOPE-1/") == (404, {"detail": "Not found."})


async def test_grid_supply_points_map_postcodes_to_regions(get) -> None:
    _, body = await get("/v1/industry/grid-supply-points/", params={"postcode": "SW1A 1AA"})
    assert body == {"count": 1, "next": None, "previous": None, "results": [{"group_id": "_C"}]}
    _, unknown = await get("/v1/industry/grid-supply-points/", params={"postcode": "ZZ9 9ZZ"})
    assert unknown["results"] == []
    _, garbage = await get("/v1/industry/grid-supply-points/", params={"postcode": "???"})
    assert garbage["count"] == 0
    _, everything = await get("/v1/industry/grid-supply-points/")
    assert [r["group_id"] for r in everything["results"]] == list(REGIONS)
