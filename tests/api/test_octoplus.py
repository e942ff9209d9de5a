"""Octoplus rides on the account request: status always, points only when asked for."""

from __future__ import annotations

from typing import Any

from custom_components.octopus_kraken.api import Octoplus, OctopusClient


async def test_the_status_comes_with_the_account_in_one_request(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    octopus_simulator.reset_log()
    account, octoplus = await client.async_get_account_and_octoplus("A-1234ABCD")
    assert account.number == "A-1234ABCD"
    assert octoplus == Octoplus("NOT_ENROLLED", None)
    assert not octoplus.enrolled
    (request,) = [r for r in octopus_simulator.request_log if r.path.endswith("/graphql/")][-1:]
    assert request.operation_name == "Account"
    assert set(request.fields) == {"account", "octoplusAccountInfo"}


async def test_an_enrolled_account_gets_its_points_in_the_same_request(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    account = octopus_simulator.state.accounts[0]
    account.octoplus_status, account.octoplus_points = "ENROLLED", 1234
    octopus_simulator.reset_log()
    _, octoplus = await client.async_get_account_and_octoplus("A-1234ABCD", points=True)
    assert octoplus == Octoplus("ENROLLED", 1234)
    assert octopus_simulator.count(operation="loyaltyPointsBalance") == 1
    assert octopus_simulator.count(operation="Account") == 1


async def test_a_refused_points_balance_leaves_the_account_intact(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    """The simulator refuses points to an account that is not enrolled (KT-CT-9218)."""
    account, octoplus = await client.async_get_account_and_octoplus("A-1234ABCD", points=True)
    assert account.balance is not None
    assert account.electricity_meter_points
    assert octoplus == Octoplus("NOT_ENROLLED", None)
