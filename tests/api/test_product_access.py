"""Restricted and retired products: the client sends the key, and a refusal is about the product."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from custom_components.octopus_kraken.api import (
    Fuel,
    OctopusAuthError,
    OctopusClient,
    OctopusProductUnavailableError,
)
from octopus_simulator.scenario import NEIGHBOUR_API_KEY
from octopus_simulator.switches import apply_switches

AGILE = "AGILE-24-10-01"
AGILE_C = "E-1R-AGILE-24-10-01-C"
DAY = datetime(2025, 3, 10, tzinfo=UTC)


@pytest.mark.parametrize("status", [404, 401])
async def test_a_restricted_product_gives_its_prices_to_a_customer_on_it(
    client: OctopusClient, octopus_simulator: Any, status: int
) -> None:
    apply_switches(octopus_simulator.state, {"restricted_products": {AGILE: status}})

    rates = await client.async_get_unit_rates(
        AGILE, AGILE_C, fuel=Fuel.ELECTRICITY, period_from=DAY, period_to=DAY + timedelta(days=1)
    )
    charges = await client.async_get_standing_charges(AGILE, AGILE_C, fuel=Fuel.ELECTRICITY)
    product = await client.async_get_product(AGILE)

    assert rates
    assert charges
    assert product.product.code == AGILE


@pytest.mark.parametrize("status", [404, 401])
async def test_a_restricted_product_refuses_another_key_as_a_product_not_an_auth_error(
    make_client: Any, octopus_simulator: Any, status: int
) -> None:
    apply_switches(octopus_simulator.state, {"restricted_products": {AGILE: status}})
    neighbour: OctopusClient = make_client(api_key=NEIGHBOUR_API_KEY)

    with pytest.raises(OctopusProductUnavailableError) as info:
        await neighbour.async_get_unit_rates(AGILE, AGILE_C, fuel=Fuel.ELECTRICITY)
    assert info.value.status == status
    assert not isinstance(info.value, OctopusAuthError)  # never a reason to re-authenticate
    with pytest.raises(OctopusProductUnavailableError):
        await neighbour.async_get_product(AGILE)


async def test_a_retired_product_that_answers_404_to_everyone_is_unavailable(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    octopus_simulator.faults.inject("not_found", path_contains=f"/{AGILE}/")

    with pytest.raises(OctopusProductUnavailableError) as info:
        await client.async_get_standing_charges(AGILE, AGILE_C, fuel=Fuel.ELECTRICITY)
    assert info.value.status == 404
