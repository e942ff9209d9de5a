"""Mutations: the Kraken token and the SmartFlex device controls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from graphql import GraphQLResolveInfo

from octopus_simulator.dispatches import session_at
from octopus_simulator.gqlcontext import GqlContext
from octopus_simulator.kraken_errors import KrakenError, validation_errors
from octopus_simulator.scenario import Boost, Device, Schedule, local_ready_time
from octopus_simulator.views import device_view


def _ctx(info: GraphQLResolveInfo) -> GqlContext:
    context: GqlContext = info.context
    return context


def obtain_kraken_token(
    _root: Any,
    info: GraphQLResolveInfo,
    input: dict[str, Any],
) -> dict[str, Any]:
    """A token from an API key or a refresh token."""
    ctx = _ctx(info)
    sim = ctx.sim
    limit = sim.scenario.rate_limits.get("obtainKrakenToken")
    if limit is not None and not sim.limiter.hit("ip", "obtainKrakenToken", ctx.now(), limit):
        raise KrakenError("KT-CT-1199")
    if input.get("APIKey"):
        user = sim.scenario.user_for_key(input["APIKey"])
        if user is None:
            raise KrakenError(
                "KT-CT-1139",
                validationErrors=validation_errors("Authentication failed.", "input", "APIKey"),
            )
    elif input.get("refreshToken"):
        found = sim.scenario.user_by_id(
            sim.tokens.user_id_for_refresh(input["refreshToken"], ctx.now())
        )
        if found is None:
            raise KrakenError("KT-CT-1135")
        user = found
    else:
        # Email/password and organisation keys are not simulated.
        raise KrakenError(
            "KT-CT-1139",
            validationErrors=validation_errors("Authentication failed.", "input"),
        )
    return sim.tokens.issue(user, ctx.now(), sim.scenario.auth)


def _boost_refusals(ctx: GqlContext, device: Device, now: datetime) -> list[str]:
    scenario = ctx.sim.scenario
    reasons = list(device.boost_refusals)
    if device.status_current == "RETIRED":
        reasons.append("BC_DEVICE_RETIRED")
    elif device.status_current != "LIVE":
        reasons.append("BC_DEVICE_NOT_YET_LIVE")
    if device.suspended:
        reasons.append("BC_DEVICE_SUSPENDED")
    if session_at(scenario.seed, device, now) is None:
        reasons.append("BC_DEVICE_DISCONNECTED")
    if not device.at_home:
        reasons.append("BC_DEVICE_NOT_AT_HOME")
    if device.fully_charged:
        reasons.append("BC_DEVICE_FULLY_CHARGED")
    if any(b.cancelled_at is None and b.start <= now < b.end for b in device.boosts):
        reasons.append("BC_BOOST_CHARGE_IN_PROGRESS")
    return list(dict.fromkeys(reasons))


def update_boost_charge(
    _root: Any,
    info: GraphQLResolveInfo,
    input: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """BOOST adds a BOOST dispatch from now; CANCEL ends the running one."""
    ctx = _ctx(info)
    if input is None:
        raise KrakenError("KT-CT-4357", description="No input given.", boostChargeRefusalReasons=[])
    ctx.limit("updateBoostCharge")
    _, device = ctx.own_device(input["deviceId"])
    now = ctx.now()
    rules = ctx.sim.scenario.dispatch
    if input["action"] == "BOOST":
        reasons = _boost_refusals(ctx, device, now)
        if reasons:
            raise KrakenError("KT-CT-4357", boostChargeRefusalReasons=reasons)
        hours = Decimal(rules.boost_duration.total_seconds()) / 3600
        device.boosts.append(Boost(now, now + rules.boost_duration, device.charge_power_kw * hours))
    else:
        running = [b for b in device.boosts if b.cancelled_at is None and b.start <= now < b.end]
        if not running:
            raise KrakenError("KT-CT-4354")
        for boost in running:
            boost.cancelled_at = now
    return device_view(ctx.sim, device)


def update_device_smart_control(
    _root: Any,
    info: GraphQLResolveInfo,
    input: dict[str, Any],
) -> dict[str, Any]:
    """SUSPEND stops smart dispatches until UNSUSPEND."""
    ctx = _ctx(info)
    ctx.limit("updateDeviceSmartControl")
    _, device = ctx.own_device(input["deviceId"])
    suspend = input["action"] == "SUSPEND"
    if device.smart_control_fails or device.status_current != "LIVE":
        raise KrakenError("KT-CT-4358" if suspend else "KT-CT-4359")
    device.change_settings(ctx.now(), suspended=suspend)
    return device_view(ctx.sim, device)


def _decimal(value: Any, path: tuple[str, ...]) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise KrakenError(
            "KT-CT-4321", validationErrors=validation_errors("Enter a number.", *path)
        ) from None


def _validated_schedule(device: Device, index: int, raw: dict[str, Any]) -> Schedule:
    bounds = device.bounds
    path = ("input", "schedules", str(index))

    def refuse(message: str, name: str) -> KrakenError:
        return KrakenError("KT-CT-4321", validationErrors=validation_errors(message, *path, name))

    try:
        ready = local_ready_time(raw["time"])
    except ValueError:
        raise refuse("Enter a valid time (HH:MM).", "time") from None
    earliest, latest = local_ready_time(bounds.time_from), local_ready_time(bounds.time_to)
    minutes = ready.hour * 60 + ready.minute
    if not earliest <= ready <= latest or minutes % bounds.time_step:
        raise refuse(
            f"Time must be between {bounds.time_from} and {bounds.time_to} "
            f"in steps of {bounds.time_step} minutes.",
            "time",
        )
    if raw.get("max") is None:
        raise refuse("This field is required.", "max")
    target = _decimal(raw["max"], (*path, "max"))
    if not bounds.min <= target <= bounds.max or (target - bounds.min) % bounds.step:
        raise refuse(
            f"Target must be between {bounds.min} and {bounds.max} in steps of {bounds.step}.",
            "max",
        )
    minimum = _decimal(raw["min"], (*path, "min")) if raw.get("min") is not None else None
    return Schedule(raw["dayOfWeek"], f"{ready:%H:%M}", target, minimum)


def set_device_preferences(
    _root: Any,
    info: GraphQLResolveInfo,
    input: dict[str, Any],
) -> dict[str, Any]:
    """Replace the charge targets for the given weekdays, within ``preferenceSetting`` bounds.

    The other weekdays are kept, or dropped under ``unsent_schedule_days: "dropped"``.
    """
    ctx = _ctx(info)
    ctx.limit("setDevicePreferences")
    _, device = ctx.own_device(input["deviceId"])
    if input["unit"] != "PERCENTAGE":
        raise KrakenError(
            "KT-CT-4321",
            validationErrors=validation_errors(
                "Unit not supported by this device.", "input", "unit"
            ),
        )
    given = [_validated_schedule(device, i, s) for i, s in enumerate(input.get("schedules") or [])]
    days = {s.day_of_week for s in given}
    kept = ctx.sim.scenario.choices.unsent_schedule_days == "kept"
    schedules = [s for s in device.schedules if kept and s.day_of_week not in days] + given
    device.change_settings(ctx.now(), schedules=schedules)
    return device_view(ctx.sim, device)


def update_is_charging_duration_capped(
    _root: Any,
    info: GraphQLResolveInfo,
    input: dict[str, Any],
) -> dict[str, Any]:
    """Cap (or uncap) the nightly charging duration."""
    ctx = _ctx(info)
    ctx.limit("updateIsChargingDurationCapped")
    _, device = ctx.own_device(input["deviceId"])
    device.change_settings(ctx.now(), charging_duration_capped=bool(input["enabled"]))
    return device_view(ctx.sim, device)


RESOLVERS: dict[str, Callable[..., Any]] = {
    "obtainKrakenToken": obtain_kraken_token,
    "updateBoostCharge": update_boost_charge,
    "updateDeviceSmartControl": update_device_smart_control,
    "setDevicePreferences": set_device_preferences,
    "updateIsChargingDurationCapped": update_is_charging_duration_capped,
}
