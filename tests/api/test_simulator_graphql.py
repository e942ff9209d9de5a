"""Every GraphQL call of the client against the simulator, over real HTTP on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from custom_components.octopus_kraken.api import (
    ALL_DAYS,
    BoostAction,
    Direction,
    OctopusAuthError,
    OctopusBoostRefusedError,
    OctopusClient,
    OctopusGraphQLError,
    SmartControlAction,
)
from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    ACCOUNT_INTELLIGENT,
    ACCOUNT_NEIGHBOUR,
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    CHARGER_DEVICE_ID,
    ESME_DEVICE_ID,
    GAS_METER_SERIAL,
    GAS_MPRN,
    GSME_DEVICE_ID,
    VEHICLE_DEVICE_ID,
)


def _device(sim: Any, device_id: str) -> Any:
    return sim.state.device(device_id)[1]


async def test_account_numbers_list_the_keys_accounts(client: OctopusClient) -> None:
    assert sorted(await client.async_get_account_numbers()) == [ACCOUNT_AGILE, ACCOUNT_INTELLIGENT]
    assert client.stats.by_operation == {
        "graphql:ObtainKrakenToken": 1,
        "graphql:AccountNumbers": 1,
    }


async def test_a_wrong_api_key_is_an_auth_error(make_client: Any) -> None:
    client: OctopusClient = make_client(api_key="sk_live_wrong")
    with pytest.raises(OctopusAuthError) as info:
        await client.async_get_account_numbers()
    assert info.value.code == "KT-CT-1139"


async def test_the_account_has_meter_points_meters_and_agreement_history(
    client: OctopusClient,
) -> None:
    account = await client.async_get_account(ACCOUNT_AGILE)
    assert account.number == ACCOUNT_AGILE
    assert account.balance == Decimal(4523)
    [prop] = account.properties
    assert prop.id == "300001"
    assert prop.address_line_1 == "1 Test Street"
    assert prop.postcode == "SW1A 1AA"
    points = {mp.mpan: mp for mp in account.electricity_meter_points}
    assert set(points) == {AGILE_IMPORT_MPAN, AGILE_EXPORT_MPAN}
    imported = points[AGILE_IMPORT_MPAN]
    assert imported.direction is Direction.IMPORT
    assert imported.meters[0].serial_number == AGILE_METER_SERIAL
    assert imported.meters[0].import_device_id == ESME_DEVICE_ID
    assert [a.tariff.tariff_code for a in imported.agreements] == [
        "E-1R-VAR-22-11-01-C",
        "E-1R-AGILE-24-10-01-C",
    ]
    assert imported.agreements[1].tariff.product_code == "AGILE-24-10-01"
    assert imported.agreements[0].valid_to == imported.agreements[1].valid_from
    assert imported.agreements[1].valid_to is None
    assert points[AGILE_EXPORT_MPAN].direction is Direction.EXPORT
    assert points[AGILE_EXPORT_MPAN].meters[0].export_device_id == ESME_DEVICE_ID
    [gas] = account.gas_meter_points
    assert gas.mprn == GAS_MPRN
    assert gas.meters[0].serial_number == GAS_METER_SERIAL
    assert gas.meters[0].consumption_units == "m³"
    assert gas.meters[0].device_id == GSME_DEVICE_ID
    assert [a.tariff.product_code for a in gas.agreements] == ["VAR-22-11-01", "SILVER-24-12-31"]


async def test_another_users_account_is_an_auth_error(client: OctopusClient) -> None:
    with pytest.raises(OctopusAuthError) as info:
        await client.async_get_account(ACCOUNT_NEIGHBOUR)
    assert info.value.code == "KT-CT-4177"


async def test_devices_carry_status_preferences_and_bounds(client: OctopusClient) -> None:
    [charger] = await client.async_get_devices(ACCOUNT_AGILE)
    assert charger.id == CHARGER_DEVICE_ID
    assert charger.device_type == "CHARGE_POINTS"
    assert (charger.make, charger.model) == ("Ohme", "Home Pro")
    assert charger.status_current == "LIVE"
    assert charger.is_suspended is False
    assert len(charger.schedules) == 7
    assert charger.schedules[0].max == 80
    assert charger.bounds is not None
    assert charger.bounds.target_step == 5
    assert charger.bounds.time_step_minutes == 30
    [vehicle] = await client.async_get_devices(ACCOUNT_INTELLIGENT)
    assert vehicle.make == "Tesla"


async def test_planned_and_completed_dispatches_are_ascending(client: OctopusClient) -> None:
    planned = await client.async_get_planned_dispatches(VEHICLE_DEVICE_ID)
    assert planned == sorted(planned, key=lambda d: d.start)
    completed = await client.async_get_completed_dispatches(ACCOUNT_INTELLIGENT)
    assert completed == sorted(completed, key=lambda d: d.start)
    assert all(d.end > d.start for d in completed)


async def test_no_plan_available_is_an_empty_plan(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    _device(octopus_simulator, VEHICLE_DEVICE_ID).planned_dispatches_unavailable = True
    assert await client.async_get_planned_dispatches(VEHICLE_DEVICE_ID) == []


async def test_completed_dispatches_failing_is_a_graphql_error(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    _device(octopus_simulator, VEHICLE_DEVICE_ID).completed_dispatches_unavailable = True
    with pytest.raises(OctopusGraphQLError) as info:
        await client.async_get_completed_dispatches(ACCOUNT_INTELLIGENT)
    assert info.value.code == "KT-CT-4341"


async def test_flex_state_is_one_request(client: OctopusClient, octopus_simulator: Any) -> None:
    await client.async_get_account_numbers()  # token first, so only FlexState is counted
    octopus_simulator.reset_log()
    state = await client.async_get_flex_state(ACCOUNT_INTELLIGENT, [VEHICLE_DEVICE_ID])
    assert [d.id for d in state.devices] == [VEHICLE_DEVICE_ID]
    assert set(state.planned) == {VEHICLE_DEVICE_ID}
    assert state.planned[VEHICLE_DEVICE_ID] == tuple(
        await client.async_get_planned_dispatches(VEHICLE_DEVICE_ID)
    )
    assert list(state.completed) == await client.async_get_completed_dispatches(ACCOUNT_INTELLIGENT)
    assert octopus_simulator.count(operation="FlexState") == 1


async def test_flex_state_without_a_plan_for_one_device(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    _device(octopus_simulator, CHARGER_DEVICE_ID).planned_dispatches_unavailable = True
    state = await client.async_get_flex_state(ACCOUNT_AGILE, [CHARGER_DEVICE_ID])
    assert state.planned == {CHARGER_DEVICE_ID: ()}
    assert [d.id for d in state.devices] == [CHARGER_DEVICE_ID]
    empty = await client.async_get_flex_state(ACCOUNT_AGILE, [])
    assert empty.planned == {}


async def test_home_mini_telemetry(client: OctopusClient, octopus_simulator: Any) -> None:
    now = octopus_simulator.clock.now()
    [latest] = await client.async_get_telemetry(ESME_DEVICE_ID)
    assert latest.read_at <= now
    readings = await client.async_get_telemetry(
        ESME_DEVICE_ID,
        start=now - timedelta(hours=2),
        end=now - timedelta(hours=1),
        grouping="HALF_HOURLY",
    )
    assert readings
    assert readings == sorted(readings, key=lambda r: r.read_at)
    with pytest.raises(OctopusGraphQLError) as info:
        await client.async_get_telemetry(ESME_DEVICE_ID, start=now - timedelta(hours=1))
    assert info.value.code == "KT-GB-4040"


async def test_boost_and_cancel(client: OctopusClient, octopus_simulator: Any) -> None:
    vehicle = _device(octopus_simulator, VEHICLE_DEVICE_ID)
    vehicle.connected = True
    await client.async_set_boost(VEHICLE_DEVICE_ID, BoostAction.BOOST)
    planned = await client.async_get_planned_dispatches(VEHICLE_DEVICE_ID)
    assert any(d.dispatch_type == "BOOST" for d in planned)
    await client.async_set_boost(VEHICLE_DEVICE_ID, BoostAction.CANCEL)


async def test_a_refused_boost_says_why(client: OctopusClient, octopus_simulator: Any) -> None:
    _device(octopus_simulator, VEHICLE_DEVICE_ID).connected = False
    with pytest.raises(OctopusBoostRefusedError) as info:
        await client.async_set_boost(VEHICLE_DEVICE_ID, BoostAction.BOOST)
    assert info.value.code == "KT-CT-4357"
    assert "BC_DEVICE_DISCONNECTED" in info.value.reasons


async def test_smart_control_suspend_and_resume(
    client: OctopusClient, octopus_simulator: Any
) -> None:
    await client.async_set_smart_control(VEHICLE_DEVICE_ID, SmartControlAction.SUSPEND)
    [device] = await client.async_get_devices(ACCOUNT_INTELLIGENT)
    assert device.is_suspended is True
    await client.async_set_smart_control(VEHICLE_DEVICE_ID, SmartControlAction.UNSUSPEND)
    [device] = await client.async_get_devices(ACCOUNT_INTELLIGENT)
    assert device.is_suspended is False


async def test_set_preferences_changes_every_day_by_default(client: OctopusClient) -> None:
    await client.async_set_preferences(VEHICLE_DEVICE_ID, target_percentage=90, ready_by="06:30")
    [device] = await client.async_get_devices(ACCOUNT_INTELLIGENT)
    assert {s.day_of_week for s in device.schedules} == set(ALL_DAYS)
    assert all((s.time, s.max) == ("06:30", 90) for s in device.schedules)
    await client.async_set_preferences(
        VEHICLE_DEVICE_ID, target_percentage=70, ready_by="08:00", days=["SATURDAY"]
    )
    [device] = await client.async_get_devices(ACCOUNT_INTELLIGENT)
    saturday = next(s for s in device.schedules if s.day_of_week == "SATURDAY")
    assert (saturday.time, saturday.max) == ("08:00", 70)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"target_percentage": 101, "ready_by": "06:30"},
        {"target_percentage": True, "ready_by": "06:30"},
        {"target_percentage": 80, "ready_by": "6:30"},
        {"target_percentage": 80, "ready_by": "24:00"},
        {"target_percentage": 80, "ready_by": "06:30", "days": ["FUNDAY"]},
        {"target_percentage": 80, "ready_by": "06:30", "days": []},
    ],
)
async def test_invalid_preferences_are_refused_before_any_request(
    client: OctopusClient, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValueError):
        await client.async_set_preferences(VEHICLE_DEVICE_ID, **kwargs)
    assert client.stats.total == 0


async def test_preferences_out_of_bounds_are_a_graphql_error(client: OctopusClient) -> None:
    with pytest.raises(OctopusGraphQLError):
        await client.async_set_preferences(VEHICLE_DEVICE_ID, target_percentage=3, ready_by="06:30")


async def test_the_token_is_refreshed_before_it_expires(
    client: OctopusClient, octopus_simulator: Any, freezer: Any
) -> None:
    freezer.move_to(datetime.now(UTC))
    await client.async_get_account_numbers()
    freezer.tick(timedelta(minutes=50))
    await client.async_get_account_numbers()
    assert client.stats.by_operation["graphql:ObtainKrakenToken"] == 1
    freezer.tick(timedelta(minutes=6))  # inside the five-minute margin
    await client.async_get_account_numbers()
    assert client.stats.by_operation["graphql:ObtainKrakenToken"] == 2
    assert octopus_simulator.count(operation="ObtainKrakenToken") == 2
