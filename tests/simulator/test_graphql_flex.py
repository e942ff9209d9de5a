"""SmartFlex devices, planned and completed dispatches, rate limits and device mutations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    ACCOUNT_INTELLIGENT,
    ACCOUNT_NEIGHBOUR,
    CHARGER_DEVICE_ID,
    NEIGHBOUR_API_KEY,
    VEHICLE_DEVICE_ID,
)
from octopus_simulator.server import SimulatorHandle

from .conftest import TOKEN_MUTATION, Gql

EVENING = datetime(2025, 6, 18, 19, 0, tzinfo=UTC)  # 20:00 BST, plugged in since 17:30
DEVICES = """
query Devices($accountNumber: String!) {
  devices(accountNumber: $accountNumber) {
    id name deviceType provider integrationDeviceId propertyId
    status { current currentState isSuspended }
    preferences { mode unit targetType schedules { dayOfWeek time min max } }
    preferenceSetting { deviceType scheduleSettings { min max step timeFrom timeTo timeStep } }
    ... on SmartFlexVehicle { make model }
    ... on SmartFlexChargePoint { make model }
  }
}
"""
PLANNED = """query Planned($deviceId: String!) {
  flexPlannedDispatches(deviceId: $deviceId) { start end type energyAddedKwh } }"""
COMPLETED = """query Completed($accountNumber: String!) {
  completedDispatches(accountNumber: $accountNumber) {
    start end delta meta { source location } } }"""
BOOST = """mutation Boost($input: UpdateBoostChargeInput!) {
  updateBoostCharge(input: $input) { id status { currentState } } }"""
SMART_CONTROL = """mutation Control($input: SmartControlInput!) {
  updateDeviceSmartControl(input: $input) { id status { isSuspended currentState } } }"""
PREFERENCES = """mutation Prefs($input: SmartFlexDevicePreferencesInput!) {
  setDevicePreferences(input: $input) { id preferences { schedules { dayOfWeek time max } } } }"""
CAPPED = """mutation Capped($input: IsChargingDurationCappedInput!) {
  updateIsChargingDurationCapped(input: $input) { id } }"""


def _code(body: dict) -> str:
    return str(body["errors"][0]["extensions"]["errorCode"])


async def _token(sim: SimulatorHandle, gql: Gql, key: str | None = None) -> str:
    _, body = await gql(TOKEN_MUTATION, {"input": {"APIKey": key or sim.api_key}})
    return str(body["data"]["obtainKrakenToken"]["token"])


@pytest.fixture
async def evening(sim: SimulatorHandle, gql: Gql) -> str:
    """Clock at 20:00 BST with the charger plugged in; returns a fresh token."""
    sim.clock.set(EVENING)
    sim.state.device(CHARGER_DEVICE_ID)[1].connected = True
    return await _token(sim, gql)


async def test_devices_have_status_preferences_and_bounds(gql: Gql, token: str) -> None:
    _, body = await gql(DEVICES, {"accountNumber": ACCOUNT_AGILE}, token)
    (device,) = body["data"]["devices"]
    assert device["id"] == CHARGER_DEVICE_ID
    assert device["deviceType"] == "CHARGE_POINTS"
    assert (device["make"], device["model"], device["provider"]) == ("Ohme", "Home Pro", "OHME")
    assert device["status"] == {
        "current": "LIVE",
        "currentState": device["status"]["currentState"],
        "isSuspended": False,
    }
    assert device["preferences"]["schedules"][0] == {
        "dayOfWeek": "MONDAY", "time": "07:00", "min": None, "max": "80.0",
    }  # fmt: skip
    assert device["preferenceSetting"]["scheduleSettings"] == [
        {"min": "10.0", "max": "100.0", "step": "5.0", "timeFrom": "04:00", "timeTo": "11:00",
         "timeStep": 30}
    ]  # fmt: skip
    _, vehicle = await gql(DEVICES, {"accountNumber": ACCOUNT_INTELLIGENT}, token)
    assert vehicle["data"]["devices"][0]["make"] == "Tesla"
    assert vehicle["data"]["devices"][0]["deviceType"] == "ELECTRIC_VEHICLES"
    _, foreign = await gql(DEVICES, {"accountNumber": ACCOUNT_NEIGHBOUR}, token)
    assert _code(foreign) == "KT-CT-4177"


async def test_devices_can_be_filtered_added_and_removed(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    query = """query($n: String!, $d: String, $p: ID) {
      devices(accountNumber: $n, deviceId: $d, propertyId: $p) { id } }"""
    _, body = await gql(query, {"n": ACCOUNT_AGILE, "d": "other"}, token)
    assert body["data"]["devices"] == []
    _, body = await gql(query, {"n": ACCOUNT_AGILE, "p": "300001"}, token)
    assert len(body["data"]["devices"]) == 1
    device = sim.state.device(CHARGER_DEVICE_ID)[1]
    device.removed_at = sim.clock.now()
    _, body = await gql(query, {"n": ACCOUNT_AGILE}, token)
    assert body["data"]["devices"] == []
    _, planned = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, token)
    assert _code(planned) == "KT-CT-1111"
    device.removed_at = None
    device.added_at = sim.clock.now() + timedelta(minutes=30)
    _, body = await gql(query, {"n": ACCOUNT_AGILE}, token)
    assert body["data"]["devices"] == []
    sim.clock.advance(timedelta(minutes=30))
    _, body = await gql(query, {"n": ACCOUNT_AGILE}, token)
    assert len(body["data"]["devices"]) == 1


async def test_planned_dispatches_are_future_smart_windows_in_time_order(
    gql: Gql, evening: str
) -> None:
    status, body = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    assert status == 200
    dispatches = body["data"]["flexPlannedDispatches"]
    assert dispatches
    starts = [d["start"] for d in dispatches]
    assert starts == sorted(starts)
    for dispatch in dispatches:
        assert set(dispatch) == {"start", "end", "type", "energyAddedKwh"}
        assert dispatch["type"] == "SMART"
        assert datetime.fromisoformat(dispatch["end"]) > EVENING
        assert Decimal(dispatch["energyAddedKwh"]) > 0
        assert "." in dispatch["energyAddedKwh"]


async def test_the_plan_changes_over_the_evening(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    changed = 0
    for day in range(6):
        plans = []
        for minutes in (0, 60, 120):
            sim.clock.set(
                datetime(2025, 6, 1 + day, 16, 45, tzinfo=UTC) + timedelta(minutes=minutes)
            )
            token = await _token(sim, gql)
            _, body = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, token)
            plans.append(body["data"]["flexPlannedDispatches"])
        changed += plans[0] != plans[1] or plans[1] != plans[2]
    assert changed >= 2


async def test_a_disconnected_device_has_no_plan_and_broken_planning_is_kt_ct_4340(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    device = sim.state.device(CHARGER_DEVICE_ID)[1]
    device.connected = False
    _, body = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    assert body["data"]["flexPlannedDispatches"] == []
    device.planned_dispatches_unavailable = True
    _, body = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    assert body["data"]["flexPlannedDispatches"] is None
    assert _code(body) == "KT-CT-4340"
    _, unknown = await gql(PLANNED, {"deviceId": "nope"}, evening)
    assert _code(unknown) == "KT-CT-1111"


async def test_planned_dispatches_are_limited_to_five_a_minute(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    for _ in range(5):
        _, body = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
        assert "errors" not in body
    _, limited = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    assert _code(limited) == "KT-CT-1199"
    assert limited["errors"][0]["extensions"]["errorType"] == "AUTHORIZATION"
    sim.clock.advance(timedelta(minutes=1))
    _, again = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    assert "errors" not in again


async def test_default_rate_limits_follow_the_reference(sim: SimulatorHandle) -> None:
    limits = sim.state.rate_limits
    assert limits["flexPlannedDispatches"] == (5, timedelta(minutes=1))
    assert limits["completedDispatches"] == (300, timedelta(hours=1))
    assert limits["smartMeterTelemetry"] == (125, timedelta(hours=1))


async def test_completed_dispatches_are_what_was_planned_twelve_hours_behind(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    _, body = await gql(COMPLETED, {"accountNumber": ACCOUNT_AGILE}, evening)
    completed = body["data"]["completedDispatches"]
    assert completed
    starts = [d["start"] for d in completed]
    assert starts == sorted(starts, reverse=True)
    for dispatch in completed:
        assert datetime.fromisoformat(dispatch["end"]) <= EVENING - timedelta(hours=12)
        assert datetime.fromisoformat(dispatch["end"]) > EVENING - timedelta(days=30)
        assert dispatch["meta"] == {"source": "smart-charge", "location": "AT_HOME"}
        assert Decimal(dispatch["delta"]) > 0
    # The most recent one was in the plan while it ran.
    latest = completed[0]
    sim.clock.set(datetime.fromisoformat(latest["start"]))
    token = await _token(sim, gql)
    _, planned = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, token)
    running = planned["data"]["flexPlannedDispatches"][0]
    assert running["start"] <= latest["start"] < running["end"]


async def test_completed_dispatches_errors_and_limits(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    _, foreign = await gql(COMPLETED, {"accountNumber": ACCOUNT_NEIGHBOUR}, evening)
    assert _code(foreign) == "KT-CT-1111"
    sim.state.rate_limits["completedDispatches"] = (2, timedelta(hours=1))
    for _ in range(2):
        await gql(COMPLETED, {"accountNumber": ACCOUNT_AGILE}, evening)
    _, limited = await gql(COMPLETED, {"accountNumber": ACCOUNT_AGILE}, evening)
    assert _code(limited) == "KT-CT-1199"
    sim.state.rate_limits.pop("completedDispatches")
    sim.state.device(CHARGER_DEVICE_ID)[1].completed_dispatches_unavailable = True
    _, broken = await gql(COMPLETED, {"accountNumber": ACCOUNT_AGILE}, evening)
    assert _code(broken) == "KT-CT-4341"


async def test_boost_adds_a_boost_dispatch_now_and_cancel_ends_it(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    boost = {"input": {"deviceId": CHARGER_DEVICE_ID, "action": "BOOST"}}
    _, body = await gql(BOOST, boost, evening)
    assert body["data"]["updateBoostCharge"] == {
        "id": CHARGER_DEVICE_ID,
        "status": {"currentState": "BOOSTING"},
    }
    _, planned = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    first = planned["data"]["flexPlannedDispatches"][0]
    assert first["type"] == "BOOST"
    assert first["start"] == EVENING.isoformat()
    _, again = await gql(BOOST, boost, evening)
    assert _code(again) == "KT-CT-4357"
    assert again["errors"][0]["extensions"]["boostChargeRefusalReasons"] == [
        "BC_BOOST_CHARGE_IN_PROGRESS"
    ]
    sim.clock.advance(timedelta(minutes=20))
    cancel = {"input": {"deviceId": CHARGER_DEVICE_ID, "action": "CANCEL"}}
    _, cancelled = await gql(BOOST, cancel, evening)
    assert "errors" not in cancelled
    _, nothing = await gql(BOOST, cancel, evening)
    assert _code(nothing) == "KT-CT-4354"
    sim.clock.advance(timedelta(hours=13))
    token = await _token(sim, gql)
    _, completed = await gql(COMPLETED, {"accountNumber": ACCOUNT_AGILE}, token)
    boosts = [
        d for d in completed["data"]["completedDispatches"] if d["meta"]["source"] == "bump-charge"
    ]
    assert len(boosts) == 1
    assert boosts[0]["end"] == (EVENING + timedelta(minutes=20)).isoformat()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"connected": False}, "BC_DEVICE_DISCONNECTED"),
        ({"at_home": False}, "BC_DEVICE_NOT_AT_HOME"),
        ({"fully_charged": True}, "BC_DEVICE_FULLY_CHARGED"),
        ({"status_current": "RETIRED"}, "BC_DEVICE_RETIRED"),
        ({"status_current": "ONBOARDING"}, "BC_DEVICE_NOT_YET_LIVE"),
        ({"suspended": True}, "BC_DEVICE_SUSPENDED"),
        ({"boost_refusals": ["BC_DEVICE_NOT_AT_HOME"]}, "BC_DEVICE_NOT_AT_HOME"),
    ],
)
async def test_boost_refusals_are_kt_ct_4357_with_reasons(
    sim: SimulatorHandle, gql: Gql, evening: str, change: dict, reason: str
) -> None:
    device = sim.state.device(CHARGER_DEVICE_ID)[1]
    for name, value in change.items():
        setattr(device, name, value)
    _, body = await gql(
        BOOST, {"input": {"deviceId": CHARGER_DEVICE_ID, "action": "BOOST"}}, evening
    )
    assert body["data"]["updateBoostCharge"] is None
    assert _code(body) == "KT-CT-4357"
    assert body["errors"][0]["extensions"]["boostChargeRefusalReasons"] == [reason]


async def test_boost_without_input_is_refused(gql: Gql, evening: str) -> None:
    query = "mutation { updateBoostCharge { id } }"
    _, body = await gql(query, token=evening)
    assert _code(body) == "KT-CT-4357"


async def test_suspending_smart_control_stops_smart_dispatches_until_resumed(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    suspend = {"input": {"deviceId": CHARGER_DEVICE_ID, "action": "SUSPEND"}}
    _, body = await gql(SMART_CONTROL, suspend, evening)
    assert body["data"]["updateDeviceSmartControl"]["status"] == {
        "isSuspended": True,
        "currentState": "SMART_CONTROL_OFF",
    }
    _, planned = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    assert planned["data"]["flexPlannedDispatches"] == []
    resume = {"input": {"deviceId": CHARGER_DEVICE_ID, "action": "UNSUSPEND"}}
    _, body = await gql(SMART_CONTROL, resume, evening)
    assert body["data"]["updateDeviceSmartControl"]["status"]["isSuspended"] is False
    _, planned = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    assert planned["data"]["flexPlannedDispatches"]
    sim.state.device(CHARGER_DEVICE_ID)[1].smart_control_fails = True
    _, failed = await gql(SMART_CONTROL, suspend, evening)
    assert _code(failed) == "KT-CT-4358"
    _, failed = await gql(SMART_CONTROL, resume, evening)
    assert _code(failed) == "KT-CT-4359"


async def test_a_suspension_in_the_past_stays_in_the_history(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    suspend = {"input": {"deviceId": CHARGER_DEVICE_ID, "action": "SUSPEND"}}
    resume = {"input": {"deviceId": CHARGER_DEVICE_ID, "action": "UNSUSPEND"}}
    await gql(SMART_CONTROL, suspend, evening)
    sim.clock.advance(timedelta(hours=12))  # the whole night suspended
    token = await _token(sim, gql)
    await gql(SMART_CONTROL, resume, token)
    sim.clock.advance(timedelta(hours=13))
    token = await _token(sim, gql)
    _, body = await gql(COMPLETED, {"accountNumber": ACCOUNT_AGILE}, token)
    night = [
        d
        for d in body["data"]["completedDispatches"]
        if EVENING <= datetime.fromisoformat(d["start"]) < EVENING + timedelta(hours=12)
    ]
    assert night == []


async def test_preferences_change_within_bounds(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    schedules = [{"dayOfWeek": "THURSDAY", "time": "06:30", "max": "90"}]
    variables = {
        "input": {
            "deviceId": CHARGER_DEVICE_ID,
            "mode": "CHARGE",
            "unit": "PERCENTAGE",
            "schedules": schedules,
        }
    }
    _, body = await gql(PREFERENCES, variables, evening)
    result = body["data"]["setDevicePreferences"]["preferences"]["schedules"]
    thursday = next(s for s in result if s["dayOfWeek"] == "THURSDAY")
    assert thursday == {"dayOfWeek": "THURSDAY", "time": "06:30", "max": "90.0"}
    assert len(result) == 7
    device = sim.state.device(CHARGER_DEVICE_ID)[1]
    assert device.schedule_for("THURSDAY").max == Decimal(90)


@pytest.mark.parametrize(
    ("schedule", "unit", "field"),
    [
        ({"dayOfWeek": "MONDAY", "time": "03:00", "max": "80"}, "PERCENTAGE", "time"),
        ({"dayOfWeek": "MONDAY", "time": "06:15", "max": "80"}, "PERCENTAGE", "time"),
        ({"dayOfWeek": "MONDAY", "time": "soon", "max": "80"}, "PERCENTAGE", "time"),
        ({"dayOfWeek": "MONDAY", "time": "06:00", "max": "101"}, "PERCENTAGE", "max"),
        ({"dayOfWeek": "MONDAY", "time": "06:00", "max": "82"}, "PERCENTAGE", "max"),
        ({"dayOfWeek": "MONDAY", "time": "06:00", "max": "lots"}, "PERCENTAGE", "max"),
        ({"dayOfWeek": "MONDAY", "time": "06:00"}, "PERCENTAGE", "max"),
        ({"dayOfWeek": "MONDAY", "time": "06:00", "max": "80"}, "KILOWATT_HOURS", "unit"),
    ],
)
async def test_preferences_out_of_bounds_are_refused(
    gql: Gql, evening: str, schedule: dict, unit: str, field: str
) -> None:
    variables = {
        "input": {
            "deviceId": CHARGER_DEVICE_ID,
            "mode": "CHARGE",
            "unit": unit,
            "schedules": [schedule],
        }
    }
    _, body = await gql(PREFERENCES, variables, evening)
    assert body["data"]["setDevicePreferences"] is None
    assert _code(body) == "KT-CT-4321"
    assert body["errors"][0]["extensions"]["validationErrors"][0]["inputPath"][-1] == field


async def test_a_min_target_is_kept(sim: SimulatorHandle, gql: Gql, evening: str) -> None:
    schedules = [{"dayOfWeek": "MONDAY", "time": "07:00", "max": 80, "min": "20"}]
    variables = {
        "input": {
            "deviceId": CHARGER_DEVICE_ID,
            "mode": "CHARGE",
            "unit": "PERCENTAGE",
            "schedules": schedules,
        }
    }
    _, body = await gql(PREFERENCES, variables, evening)
    assert "errors" not in body
    assert sim.state.device(CHARGER_DEVICE_ID)[1].schedule_for("MONDAY").min == Decimal(20)


async def test_a_higher_target_plans_more_energy(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    _, before = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    schedules = [{"dayOfWeek": day, "time": "07:00", "max": "100"} for day in days]
    variables = {
        "input": {
            "deviceId": CHARGER_DEVICE_ID,
            "mode": "CHARGE",
            "unit": "PERCENTAGE",
            "schedules": schedules,
        }
    }
    await gql(PREFERENCES, variables, evening)
    _, after = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)

    def energy(body: dict) -> Decimal:
        return sum(
            (Decimal(d["energyAddedKwh"]) for d in body["data"]["flexPlannedDispatches"]),
            Decimal(0),
        )

    assert energy(after) >= energy(before)


async def test_charging_duration_cap_limits_the_plan(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    variables = {"input": {"deviceId": CHARGER_DEVICE_ID, "enabled": True}}
    _, body = await gql(CAPPED, variables, evening)
    assert body["data"]["updateIsChargingDurationCapped"] == {"id": CHARGER_DEVICE_ID}
    assert sim.state.device(CHARGER_DEVICE_ID)[1].charging_duration_capped is True
    _, planned = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    total = sum(
        (
            (datetime.fromisoformat(d["end"]) - datetime.fromisoformat(d["start"]))
            for d in planned["data"]["flexPlannedDispatches"]
        ),
        timedelta(0),
    )
    assert timedelta(0) < total <= timedelta(hours=6)


async def test_someone_elses_device_cannot_be_controlled(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    neighbour = await _token(sim, gql, NEIGHBOUR_API_KEY)
    _, body = await gql(
        BOOST, {"input": {"deviceId": VEHICLE_DEVICE_ID, "action": "BOOST"}}, neighbour
    )
    assert _code(body) == "KT-CT-1111"


async def test_mutations_need_a_token(gql: Gql) -> None:
    _, body = await gql(CAPPED, {"input": {"deviceId": CHARGER_DEVICE_ID, "enabled": False}})
    assert _code(body) == "KT-CT-1112"


@pytest.mark.parametrize(
    ("status", "state"),
    [("RETIRED", "RETIRED"), ("ONBOARDING", "AUTHENTICATION_COMPLETE")],
)
async def test_device_state_follows_its_status(
    sim: SimulatorHandle, gql: Gql, token: str, status: str, state: str
) -> None:
    sim.state.device(CHARGER_DEVICE_ID)[1].status_current = status
    _, body = await gql(DEVICES, {"accountNumber": ACCOUNT_AGILE}, token)
    assert body["data"]["devices"][0]["status"]["currentState"] == state
    _, planned = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, token)
    assert _code(planned) == "KT-CT-4340"


async def test_a_running_smart_dispatch_shows_in_the_device_state(
    sim: SimulatorHandle, gql: Gql, evening: str
) -> None:
    _, body = await gql(PLANNED, {"deviceId": CHARGER_DEVICE_ID}, evening)
    first = body["data"]["flexPlannedDispatches"][0]
    sim.clock.set(datetime.fromisoformat(first["start"]))
    token = await _token(sim, gql)
    _, devices = await gql(DEVICES, {"accountNumber": ACCOUNT_AGILE}, token)
    assert devices["data"]["devices"][0]["status"]["currentState"] == "SMART_CONTROL_IN_PROGRESS"
