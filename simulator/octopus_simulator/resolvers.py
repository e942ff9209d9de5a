"""Root query resolvers and the binding of all resolvers to the schema."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from graphql import GraphQLResolveInfo, GraphQLSchema

from octopus_simulator import mutations
from octopus_simulator.choices import NoHomeMini, QuietMode
from octopus_simulator.dispatches import completed_dispatches, planned_dispatches
from octopus_simulator.gqlcontext import GqlContext
from octopus_simulator.heat_pumps import heat_pump_device_view, resolve_heat_pump_status
from octopus_simulator.kraken_errors import KrakenError
from octopus_simulator.scenario import ElectricityMeterPoint
from octopus_simulator.telemetry import GROUPING_SECONDS, latest, readings
from octopus_simulator.timeutil import iso_offset
from octopus_simulator.views import account_view, decimal_text, device_view, property_view

_KWH = Decimal("0.001")


def _ctx(info: GraphQLResolveInfo) -> GqlContext:
    context: GqlContext = info.context
    return context


def resolve_viewer(_root: Any, info: GraphQLResolveInfo) -> dict[str, Any]:
    ctx = _ctx(info)
    user = ctx.user()
    return {
        "id": str(user.user_id),
        "email": user.email,
        "givenName": user.given_name,
        "familyName": user.family_name,
        "fullName": f"{user.given_name} {user.family_name}",
        "accounts": [account_view(ctx.sim, a) for a in ctx.sim.scenario.accounts_of(user)],
    }


def resolve_account(_root: Any, info: GraphQLResolveInfo, accountNumber: str) -> dict[str, Any]:
    ctx = _ctx(info)
    return account_view(ctx.sim, ctx.own_account(accountNumber))


def resolve_properties(
    _root: Any,
    info: GraphQLResolveInfo,
    accountNumber: str,
    active: bool | None = None,
) -> list[dict[str, Any]]:
    ctx = _ctx(info)
    account = ctx.own_account(accountNumber, "KT-CT-1111")
    return [property_view(ctx.sim, p) for p in account.properties]


def resolve_devices(
    _root: Any,
    info: GraphQLResolveInfo,
    accountNumber: str,
    deviceId: str | None = None,
    integrationDeviceId: str | None = None,
    propertyId: str | None = None,
) -> list[dict[str, Any]]:
    ctx = _ctx(info)
    account = ctx.own_account(accountNumber)
    now = ctx.now()
    views = [
        device_view(ctx.sim, d)
        for d in account.devices
        if d.present_at(now)
        and deviceId in (None, d.id)
        and integrationDeviceId in (None, d.integration_device_id)
        and propertyId in (None, d.property_id)
    ]
    pump = account.heat_pump
    if pump is not None and deviceId in (None, pump.id) and integrationDeviceId is None:
        views.append(heat_pump_device_view(pump))
    return views


def resolve_planned(_root: Any, info: GraphQLResolveInfo, deviceId: str) -> list[dict[str, Any]]:
    ctx = _ctx(info)
    ctx.limit("flexPlannedDispatches")
    _, device = ctx.own_device(deviceId)
    if device.planned_dispatches_unavailable or device.status_current != "LIVE":
        raise KrakenError("KT-CT-4340")
    scenario = ctx.sim.scenario
    return [
        {
            "start": iso_offset(w.start),
            "end": iso_offset(w.end),
            "type": w.kind,
            "energyAddedKwh": decimal_text(w.energy_kwh),
        }
        for w in planned_dispatches(scenario.seed, device, ctx.now(), scenario.dispatch)
    ]


def resolve_completed(
    _root: Any,
    info: GraphQLResolveInfo,
    accountNumber: str,
) -> list[dict[str, Any]]:
    ctx = _ctx(info)
    ctx.limit("completedDispatches")
    account = ctx.own_account(accountNumber, "KT-CT-1111")
    now = ctx.now()
    devices = [d for d in account.devices if d.present_at(now)]
    if any(d.completed_dispatches_unavailable for d in devices):
        raise KrakenError("KT-CT-4341")
    scenario = ctx.sim.scenario
    return [
        {
            "start": iso_offset(w.start),
            "end": iso_offset(w.end),
            "delta": decimal_text(w.energy_kwh.quantize(_KWH)),
            "meta": {"source": w.source, "location": w.location},
        }
        for w in completed_dispatches(scenario.seed, devices, now, scenario.dispatch)
    ]


def _parse_instant(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise KrakenError("KT-GB-4039", description=f"Invalid DateTime: {text}") from None
    # The reference: without an offset, UTC is assumed.
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _points(
    ctx: GqlContext, device_id: str
) -> tuple[ElectricityMeterPoint, ElectricityMeterPoint | None]:
    user = ctx.user()
    scenario = ctx.sim.scenario
    try:
        account, prop, point = scenario.smart_meter(device_id)
    except KeyError:
        raise KrakenError("KT-GB-4050") from None
    if account.number not in user.account_numbers:
        raise KrakenError("KT-GB-4050")
    export = next(
        (
            p
            for p in prop.electricity_meter_points
            if p.direction == "EXPORT" and any(m.export_device_id == device_id for m in p.meters)
        ),
        None,
    )
    return point, export


def resolve_telemetry(
    _root: Any,
    info: GraphQLResolveInfo,
    deviceId: str,
    start: str | None = None,
    end: str | None = None,
    grouping: str | None = None,
) -> list[dict[str, Any]] | None:
    ctx = _ctx(info)
    ctx.limit("smartMeterTelemetry")
    point, export = _points(ctx, deviceId)
    choices = ctx.sim.scenario.choices
    if deviceId in ctx.sim.scenario.telemetry_unavailable:
        # No Home Mini paired with this meter: which answer the API gives is a switch.
        if choices.no_home_mini is NoHomeMini.EMPTY:
            return []
        if choices.no_home_mini is NoHomeMini.NULL:
            return None
        raise KrakenError(choices.no_home_mini.value)
    given = [v is not None for v in (start, end, grouping)]
    if not any(given):
        spell = choices.quiet_spell(deviceId, ctx.now())
        if spell is None:
            return latest(ctx.sim, point, export)
        if spell.mode is QuietMode.EMPTY:
            return []
        return latest(ctx.sim, point, export, at=spell.start)
    if not all(given):
        raise KrakenError("KT-GB-4040")
    assert start is not None
    assert end is not None
    assert grouping is not None
    begin, finish = _parse_instant(start), _parse_instant(end)
    if finish <= begin:
        raise KrakenError("KT-GB-4041")
    now = ctx.now()
    if begin < now - ctx.sim.scenario.telemetry_history:
        raise KrakenError("KT-GB-4051")
    rows = readings(ctx.sim, point, export, begin, min(finish, now), GROUPING_SECONDS[grouping])
    spells = [s for s in choices.home_mini_quiet if s.device_id == deviceId]
    if spells:
        # Nothing was recorded while the Home Mini was silent.
        rows = [r for r in rows if not any(s.covers(_parse_instant(r["readAt"])) for s in spells)]
    return rows


def resolve_octoplus(_root: Any, info: GraphQLResolveInfo, accountNumber: str) -> dict[str, Any]:
    """Octoplus status; everyone can be asked, enrolled or not."""
    account = _ctx(info).own_account(accountNumber)
    enrolled = account.octoplus_status == "ENROLLED"
    return {
        "enrollmentStatus": account.octoplus_status,
        "isLoyaltyPointsUser": enrolled,
        "shouldUseV2": True,
    }


def resolve_loyalty_points(
    _root: Any,
    info: GraphQLResolveInfo,
    accountNumber: str | None = None,
    input: dict[str, Any] | None = None,  # the reference names the argument "input"
) -> dict[str, Any]:
    """Points of an enrolled account; KT-CT-9218 for one that is not (a guess)."""
    number = (input or {}).get("accountNumber") or accountNumber
    if not number:
        raise KrakenError("KT-CT-9218")
    account = _ctx(info).own_account(number, "KT-CT-9218")
    if account.octoplus_status != "ENROLLED":
        raise KrakenError("KT-CT-9218")
    # Octoplus points are worth 1p each at the time of writing.
    return {
        "loyaltyPoints": account.octoplus_points,
        "totalMonetaryAmount": account.octoplus_points,
    }


def bind(schema: GraphQLSchema) -> None:
    """Attach the root resolvers (nested fields use the default dict resolver)."""
    query = schema.query_type
    mutation = schema.mutation_type
    assert query is not None
    assert mutation is not None
    for name, resolver in {
        "viewer": resolve_viewer,
        "account": resolve_account,
        "properties": resolve_properties,
        "devices": resolve_devices,
        "flexPlannedDispatches": resolve_planned,
        "completedDispatches": resolve_completed,
        "smartMeterTelemetry": resolve_telemetry,
        "octoplusAccountInfo": resolve_octoplus,
        "loyaltyPointsBalance": resolve_loyalty_points,
        "heatPumpStatus": resolve_heat_pump_status,
    }.items():
        query.fields[name].resolve = resolver
    for name, resolver in mutations.RESOLVERS.items():
        mutation.fields[name].resolve = resolver
