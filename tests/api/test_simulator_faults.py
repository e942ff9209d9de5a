"""Every fault mode of the simulator, and what the client makes of it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import logging
from typing import Any

import pytest

from custom_components.octopus_kraken.api import (
    Fuel,
    OctopusAuthError,
    OctopusClient,
    OctopusQueryTooLargeError,
    OctopusRateLimitError,
    OctopusResponseError,
    OctopusUnavailableError,
    SmartControlAction,
)
from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    ACCOUNT_INTELLIGENT,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    CHARGER_DEVICE_ID,
    ESME_DEVICE_ID,
)

DAY = datetime(2025, 3, 10, tzinfo=UTC)
RATES = "standard-unit-rates"


async def _rates(client: OctopusClient) -> list[Any]:
    return await client.async_get_unit_rates(
        "AGILE-24-10-01",
        "E-1R-AGILE-24-10-01-C",
        fuel=Fuel.ELECTRICITY,
        period_from=DAY,
        period_to=DAY + timedelta(days=1),
    )


async def test_a_server_error_is_retried(client: OctopusClient, octopus_simulator: Any) -> None:
    octopus_simulator.faults.inject("server_error", 2, path_contains=RATES)
    assert len(await _rates(client)) == 48
    assert client.stats.by_operation == {"rest:standard-unit-rates": 3}


async def test_a_persistent_server_error_is_unavailable(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    octopus_simulator.faults.inject("server_error", 10)
    with pytest.raises(OctopusUnavailableError) as info:
        await _rates(client)
    assert info.value.status == 503
    assert client.stats.total == 4  # the request and three retries
    octopus_simulator.faults.inject("server_error", 10)
    with pytest.raises(OctopusUnavailableError):
        await client.async_get_account_numbers()


async def test_a_timeout_is_retried_then_unavailable(
    make_client: Any, octopus_simulator: Any
) -> None:
    client: OctopusClient = make_client(request_timeout=0.3, max_retries=1)
    octopus_simulator.faults.inject("timeout", 1, path_contains=RATES, delay=2)
    assert len(await _rates(client)) == 48
    assert client.stats.total == 2
    octopus_simulator.faults.inject("timeout", 2, path_contains=RATES, delay=2)
    with pytest.raises(OctopusUnavailableError, match="Timeout"):
        await _rates(client)


async def test_http_429_raises_at_once_with_retry_after(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    octopus_simulator.faults.inject("rate_limit", 5, retry_after=120)
    with pytest.raises(OctopusRateLimitError) as info:
        await _rates(client)
    assert info.value.retry_after == 120
    assert info.value.status == 429
    assert client.stats.total == 1


async def test_graphql_rate_limit_is_not_an_auth_error(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    await client.async_get_account_numbers()
    octopus_simulator.faults.inject("graphql_rate_limit", 5)
    with pytest.raises(OctopusRateLimitError) as info:
        await client.async_get_account(ACCOUNT_AGILE)
    assert info.value.code == "KT-CT-1199"
    assert not isinstance(info.value, OctopusAuthError)
    assert client.stats.by_operation["graphql:Account"] == 1


async def test_the_field_rate_limit_of_planned_dispatches(client: OctopusClient) -> None:
    # flexPlannedDispatches allows 5 a minute: the sixth is refused with KT-CT-1199.
    for _ in range(5):
        await client.async_get_planned_dispatches(CHARGER_DEVICE_ID)
    with pytest.raises(OctopusRateLimitError):
        await client.async_get_planned_dispatches(CHARGER_DEVICE_ID)


async def test_a_cut_off_answer_to_a_read_is_asked_again(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    """A truncated body is the network's doing: reads are retried like a 5xx."""
    octopus_simulator.faults.inject("malformed_json", 1, path_contains=RATES)
    assert len(await _rates(client)) == 48
    octopus_simulator.faults.inject("malformed_json", 1, path_contains="/v1/graphql/")
    account = await client.async_get_account(ACCOUNT_AGILE)
    assert account.number == ACCOUNT_AGILE
    octopus_simulator.faults.inject("malformed_json", 10, path_contains=RATES)
    with pytest.raises(OctopusUnavailableError):
        await _rates(client)


async def test_a_cut_off_answer_to_a_mutation_is_not_sent_again(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    """The mutation may have been carried out: it is never repeated on its own."""
    await client.async_get_account_numbers()
    octopus_simulator.faults.inject("malformed_json", 1, operation="updateDeviceSmartControl")
    with pytest.raises(OctopusResponseError):
        await client.async_set_smart_control(CHARGER_DEVICE_ID, SmartControlAction.SUSPEND)
    assert client.stats.by_operation["graphql:UpdateDeviceSmartControl"] == 1


async def test_a_fresh_token_called_expired_again_is_not_a_bad_key(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    """The key just obtained a token: a second "expired" is the API's trouble (no reauth)."""
    await client.async_get_account_numbers()
    octopus_simulator.faults.inject("expired_token", 2, operation="Devices")
    with pytest.raises(OctopusUnavailableError):
        await client.async_get_devices(ACCOUNT_AGILE)


async def test_auth_errors(client: OctopusClient, octopus_simulator: Any) -> None:
    octopus_simulator.faults.inject("auth_error", 1, path_contains="consumption")
    with pytest.raises(OctopusAuthError) as rest_error:
        await client.async_get_consumption(
            Fuel.ELECTRICITY, AGILE_IMPORT_MPAN, AGILE_METER_SERIAL, period_from=DAY
        )
    assert rest_error.value.status == 401
    await client.async_get_account_numbers()
    octopus_simulator.faults.inject("auth_error", 1, path_contains="/v1/graphql/")
    with pytest.raises(OctopusAuthError) as graphql_error:
        await client.async_get_account(ACCOUNT_AGILE)
    assert graphql_error.value.code in {"KT-CT-1139", "KT-CT-1111"}


async def test_an_expired_token_mid_burst_is_refreshed_once(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    await client.async_get_account_numbers()
    octopus_simulator.faults.inject("expired_token", 20, path_contains="/v1/graphql/")
    results = await asyncio.gather(*(client.async_get_account_numbers() for _ in range(20)))
    assert all(sorted(r) == [ACCOUNT_AGILE, ACCOUNT_INTELLIGENT] for r in results)
    assert client.stats.by_operation["graphql:ObtainKrakenToken"] == 2  # the first and one more
    assert octopus_simulator.count(operation="ObtainKrakenToken") == 2


async def test_a_token_expired_on_the_server_clock_is_refreshed_once(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    await client.async_get_account_numbers()
    octopus_simulator.clock.advance(timedelta(hours=2))  # the client's clock does not move
    results = await asyncio.gather(*(client.async_get_devices(ACCOUNT_AGILE) for _ in range(20)))
    assert all(r[0].id == CHARGER_DEVICE_ID for r in results)
    assert octopus_simulator.count(operation="ObtainKrakenToken") == 2


async def test_concurrent_first_calls_share_one_token_request(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    await asyncio.gather(*(client.async_get_account_numbers() for _ in range(20)))
    assert octopus_simulator.count(operation="ObtainKrakenToken") == 1


async def test_logs_name_operations_but_never_secrets(
    client: OctopusClient, octopus_simulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.octopus_kraken.api")
    await client.async_get_account(ACCOUNT_AGILE)
    await client.async_get_devices(ACCOUNT_AGILE)
    await client.async_get_telemetry(ESME_DEVICE_ID)
    await client.async_get_consumption(
        Fuel.ELECTRICITY,
        AGILE_IMPORT_MPAN,
        AGILE_METER_SERIAL,
        period_from=DAY,
        period_to=DAY + timedelta(days=1),
    )
    await client.async_get_electricity_meter_point(AGILE_IMPORT_MPAN)
    octopus_simulator.faults.inject("server_error", 1)
    octopus_simulator.faults.inject("auth_error", 1, path_contains="consumption")
    with pytest.raises(OctopusAuthError):
        await client.async_get_consumption(Fuel.ELECTRICITY, AGILE_IMPORT_MPAN, AGILE_METER_SERIAL)
    token = client._graphql.tokens.token
    assert token is not None
    # Only the client's own records: the simulator's access log does print URLs.
    text = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.octopus_kraken.api")
    )
    assert "/v1/electricity-meter-points/<mpan>/meters/<serial>/consumption/" in text
    assert "graphql:Account" in text
    assert "Retrying" in text
    for secret in (
        octopus_simulator.api_key,
        token.token,
        token.refresh_token,
        ACCOUNT_AGILE,
        AGILE_IMPORT_MPAN,
        AGILE_METER_SERIAL,
        ESME_DEVICE_ID,
    ):
        assert secret
        assert secret not in text


async def test_callers_waiting_on_a_failed_token_request_share_its_error(
    make_client: Any, octopus_simulator: Any
) -> None:
    client: OctopusClient = make_client(max_retries=1)
    octopus_simulator.faults.inject("server_error", 100, path_contains="/v1/graphql/")
    results = await asyncio.gather(
        *(client.async_get_account_numbers() for _ in range(20)), return_exceptions=True
    )
    assert all(isinstance(result, OctopusUnavailableError) for result in results)
    # One token request and its one retry, not twenty callers' worth.
    assert client.stats.by_operation == {"graphql:ObtainKrakenToken": 2}
    octopus_simulator.faults.clear()
    assert await client.async_get_account_numbers()  # a later caller tries afresh


async def test_a_reset_connection_is_retried_then_unavailable(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    octopus_simulator.faults.inject("connection_reset", 1, path_contains=RATES)
    assert len(await _rates(client)) == 48
    # Asked again, whether by aiohttp itself (a GET on a kept-alive connection) or the client.
    assert octopus_simulator.count(path_contains=RATES) == 2
    octopus_simulator.faults.inject("connection_reset", 1, path_contains="/v1/graphql/")
    assert (await client.async_get_account(ACCOUNT_AGILE)).number == ACCOUNT_AGILE
    octopus_simulator.faults.inject("connection_reset", 10, path_contains=RATES)
    with pytest.raises(OctopusUnavailableError, match="Cannot reach"):
        await _rates(client)


async def test_a_reset_mutation_is_not_sent_again(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    await client.async_get_account_numbers()
    octopus_simulator.faults.inject("connection_reset", 1, operation="updateDeviceSmartControl")
    with pytest.raises(OctopusUnavailableError):
        await client.async_set_smart_control(CHARGER_DEVICE_ID, SmartControlAction.SUSPEND)
    assert client.stats.by_operation["graphql:UpdateDeviceSmartControl"] == 1


async def test_http_429_without_retry_after_pauses_for_the_documented_default(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    octopus_simulator.faults.inject("rate_limit_no_retry_after", 1, path_contains=RATES)
    with pytest.raises(OctopusRateLimitError) as info:
        await _rates(client)
    assert info.value.status == 429
    # The README's documented default: five minutes.
    assert info.value.retry_after == pytest.approx(300, abs=1)
    octopus_simulator.reset_log()
    with pytest.raises(OctopusRateLimitError):  # every caller of the client rests
        await client.async_get_account_numbers()
    assert octopus_simulator.request_log == []


@pytest.mark.parametrize("kind", ["query_too_complex", "too_many_nodes"])
async def test_a_query_over_the_allowance_is_neither_a_bad_key_nor_a_rate_limit(
    client: OctopusClient, octopus_simulator: Any, kind: str
) -> None:
    await client.async_get_account_numbers()
    octopus_simulator.faults.inject(kind, 1, operation="Account")
    with pytest.raises(OctopusQueryTooLargeError) as info:
        await client.async_get_account(ACCOUNT_AGILE)
    assert info.value.code == {"query_too_complex": "KT-CT-1188"}.get(kind, "KT-CT-1189")
    assert not isinstance(info.value, OctopusAuthError | OctopusRateLimitError)
    # Not repeated on the spot (the same query fails the same way), and no pause: the next
    # request goes out and succeeds.
    assert client.stats.by_operation["graphql:Account"] == 1
    assert (await client.async_get_account(ACCOUNT_AGILE)).number == ACCOUNT_AGILE


async def test_an_empty_page_leading_on_loses_no_rows(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    expected = await _rates(client)
    octopus_simulator.reset_log()
    octopus_simulator.faults.inject("empty_page", 2, path_contains=RATES)
    assert await _rates(client) == expected
    # The empty page, its ``next`` (empty again), and the real page behind both.
    assert octopus_simulator.count(path_contains=RATES) == 3
    consumption = await client.async_get_consumption(
        Fuel.ELECTRICITY, AGILE_IMPORT_MPAN, AGILE_METER_SERIAL, period_from=DAY
    )
    octopus_simulator.faults.inject("empty_page", 1, path_contains="consumption")
    assert (
        await client.async_get_consumption(
            Fuel.ELECTRICITY, AGILE_IMPORT_MPAN, AGILE_METER_SERIAL, period_from=DAY
        )
        == consumption
    )


async def test_an_empty_body_is_asked_again_for_reads_only(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    octopus_simulator.faults.inject("empty_body", 1, path_contains=RATES)
    assert len(await _rates(client)) == 48
    octopus_simulator.faults.inject("empty_body", 1, path_contains="/v1/graphql/")
    assert (await client.async_get_account(ACCOUNT_AGILE)).number == ACCOUNT_AGILE
    octopus_simulator.faults.inject("empty_body", 1, operation="updateDeviceSmartControl")
    with pytest.raises(OctopusResponseError):
        await client.async_set_smart_control(CHARGER_DEVICE_ID, SmartControlAction.SUSPEND)
    assert client.stats.by_operation["graphql:UpdateDeviceSmartControl"] == 1
