"""The GraphQL half of the client: accounts, SmartFlex devices and dispatches, Home Mini."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
import re
from typing import Any

from . import queries
from .graphql import (
    NO_PLANNED_DISPATCHES_CODE,
    RATE_LIMIT_CODES,
    GraphQLErrorInfo,
    GraphQLExecutor,
)
from .models import (
    Account,
    BoostAction,
    ChargeSchedule,
    Dispatch,
    FlexState,
    HeatPumpStatus,
    Octoplus,
    SmartControlAction,
    SmartFlexDevice,
    TelemetryReading,
)
from .parsing import (
    parse_account,
    parse_account_numbers,
    parse_completed_dispatches,
    parse_devices,
    parse_octoplus,
    parse_planned_dispatches,
    parse_telemetry,
)
from .parsing.heat_pump import parse_heat_pump_status
from .values import format_datetime

ALL_DAYS: tuple[str, ...] = (
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
)

_READY_BY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _percent(value: Decimal | None) -> str:
    """A percentage as the API takes it: ``"80"``, or ``"80.5"`` when not whole."""
    if value is None:
        raise ValueError("a percentage is required")
    whole = value.to_integral_value()
    return format(whole if value == whole else value.normalize(), "f")


def _octoplus_refused(info: GraphQLErrorInfo) -> bool:
    """Octoplus rides on the account request: its refusal must not fail it (or start reauth)."""
    return (
        bool(info.path)
        and info.path[0] in ("octoplusAccountInfo", "loyaltyPointsBalance")
        and info.code not in RATE_LIMIT_CODES
    )


def _no_plan(info: GraphQLErrorInfo) -> bool:
    return info.code == NO_PLANNED_DISPATCHES_CODE


class KrakenApi:
    """GraphQL calls; mixed into ``OctopusClient``."""

    _graphql: GraphQLExecutor

    async def async_get_account_numbers(self) -> list[str]:
        """The accounts the API key can see; also the cheapest check that the key is valid."""
        data = await self._graphql.execute(queries.ACCOUNT_NUMBERS, queries.ACCOUNT_NUMBERS_QUERY)
        return parse_account_numbers(data)

    async def async_get_account(self, account_number: str) -> Account:
        """An account with its properties, meter points, meters and active agreements."""
        data = await self._graphql.execute(
            queries.ACCOUNT, queries.ACCOUNT_QUERY, {"accountNumber": account_number}
        )
        return parse_account(data)

    async def async_get_account_and_octoplus(
        self, account_number: str, *, points: bool = False
    ) -> tuple[Account, Octoplus | None]:
        """The account and, in the same request, its Octoplus status (and ``points`` balance)."""
        query = queries.ACCOUNT_WITH_POINTS_QUERY if points else queries.ACCOUNT_WITH_OCTOPLUS_QUERY
        data = await self._graphql.execute(
            queries.ACCOUNT, query, {"accountNumber": account_number}, tolerated=_octoplus_refused
        )
        return parse_account(data), parse_octoplus(data)

    async def async_get_heat_pump_status(
        self, account_number: str, *, detailed: bool = True
    ) -> HeatPumpStatus | None:
        """The heat pump's connection (and, ``detailed``, zone and hot-water status if given)."""
        query = queries.HEAT_PUMP_STATUS_QUERY if detailed else queries.HEAT_PUMP_CONNECTION_QUERY
        data = await self._graphql.execute(
            queries.HEAT_PUMP_STATUS, query, {"accountNumber": account_number}
        )
        return parse_heat_pump_status(data.get("heatPumpStatus"))

    async def async_get_devices(self, account_number: str) -> list[SmartFlexDevice]:
        """The account's SmartFlex devices."""
        data = await self._graphql.execute(
            queries.DEVICES, queries.DEVICES_QUERY, {"accountNumber": account_number}
        )
        return parse_devices(data.get("devices"))

    async def async_get_planned_dispatches(self, device_id: str) -> list[Dispatch]:
        """A device's planned dispatches, ascending; none when Kraken has no plan (KT-CT-4340)."""
        data = await self._graphql.execute(
            queries.PLANNED_DISPATCHES,
            queries.PLANNED_DISPATCHES_QUERY,
            {"deviceId": device_id},
            tolerated=_no_plan,
        )
        return parse_planned_dispatches(data.get("flexPlannedDispatches"))

    async def async_get_completed_dispatches(self, account_number: str) -> list[Dispatch]:
        """Completed dispatches (about 12 hours behind), ascending."""
        data = await self._graphql.execute(
            queries.COMPLETED_DISPATCHES,
            queries.COMPLETED_DISPATCHES_QUERY,
            {"accountNumber": account_number},
        )
        return parse_completed_dispatches(data.get("completedDispatches"))

    async def async_get_flex_state(
        self, account_number: str, device_ids: Sequence[str]
    ) -> FlexState:
        """Devices, completed dispatches and each device's plan, in one request.

        A KT-CT-4340 on one device's plan means that device has no plan; it fails nothing else.
        """
        device_ids = list(dict.fromkeys(device_ids))
        variables: dict[str, Any] = {"accountNumber": account_number}
        aliases: dict[str, str] = {}
        for index, device_id in enumerate(device_ids):
            variables[queries.device_variable(index)] = device_id
            aliases[queries.planned_alias(index)] = device_id
        # Only flexPlannedDispatches raises KT-CT-4340, so it is tolerated whatever its path;
        # the alias it failed on then reads as null, which parses as no plan.
        data = await self._graphql.execute(
            queries.FLEX_STATE,
            queries.flex_state_query(len(device_ids)),
            variables,
            tolerated=_no_plan,
        )
        return FlexState(
            devices=tuple(parse_devices(data.get("devices"))),
            planned={
                device_id: tuple(parse_planned_dispatches(data.get(alias)))
                for alias, device_id in aliases.items()
            },
            completed=tuple(parse_completed_dispatches(data.get("completedDispatches"))),
        )

    async def async_get_telemetry(
        self,
        device_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        grouping: str | None = None,
    ) -> list[TelemetryReading]:
        """Home Mini readings, ascending; without a range, the latest reading."""
        variables: dict[str, Any] = {"deviceId": device_id}
        if start is not None:
            variables["start"] = format_datetime(start)
        if end is not None:
            variables["end"] = format_datetime(end)
        if grouping is not None:
            variables["grouping"] = grouping
        data = await self._graphql.execute(queries.TELEMETRY, queries.TELEMETRY_QUERY, variables)
        return parse_telemetry(data.get("smartMeterTelemetry"))

    async def async_set_boost(self, device_id: str, action: BoostAction) -> None:
        """Start or cancel a boost charge; a refusal raises ``OctopusBoostRefusedError``."""
        await self._graphql.execute(
            queries.UPDATE_BOOST_CHARGE,
            queries.UPDATE_BOOST_CHARGE_MUTATION,
            {"input": {"deviceId": device_id, "action": BoostAction(action).value}},
        )

    async def async_set_smart_control(self, device_id: str, action: SmartControlAction) -> None:
        """Suspend or resume smart control of a device."""
        await self._graphql.execute(
            queries.UPDATE_SMART_CONTROL,
            queries.UPDATE_SMART_CONTROL_MUTATION,
            {"input": {"deviceId": device_id, "action": SmartControlAction(action).value}},
        )

    async def async_set_preferences(
        self,
        device_id: str,
        *,
        target_percentage: int,
        ready_by: str,
        days: Sequence[str] = ALL_DAYS,
    ) -> None:
        """Charge to ``target_percentage`` by ``ready_by`` ("HH:MM") on ``days``."""
        if isinstance(target_percentage, bool) or not 0 <= target_percentage <= 100:
            raise ValueError("target_percentage must be between 0 and 100")
        await self.async_set_schedules(
            device_id,
            [
                ChargeSchedule(day, ready_by, None, Decimal(target_percentage))
                for day in dict.fromkeys(days)
            ],
        )

    async def async_set_schedules(
        self, device_id: str, schedules: Sequence[ChargeSchedule]
    ) -> None:
        """Set the device's charging preferences, one per day of the week given.

        Send every day the device has: days left out may be dropped by the API.
        """
        unknown = {s.day_of_week for s in schedules} - set(ALL_DAYS)
        if unknown or not schedules:
            raise ValueError(f"days must be some of {', '.join(ALL_DAYS)}")
        if any(not _READY_BY.match(s.time) for s in schedules):
            raise ValueError("ready_by must be a time of day as HH:MM")
        if any(s.max is None or not 0 <= s.max <= 100 for s in schedules):
            raise ValueError("target_percentage must be between 0 and 100")
        payload: list[dict[str, str]] = []
        for schedule in schedules:
            item = {"dayOfWeek": schedule.day_of_week, "time": schedule.time}
            item["max"] = _percent(schedule.max)
            if schedule.min is not None:
                item["min"] = _percent(schedule.min)
            payload.append(item)
        await self._graphql.execute(
            queries.SET_DEVICE_PREFERENCES,
            queries.SET_DEVICE_PREFERENCES_MUTATION,
            {
                "input": {
                    "deviceId": device_id,
                    "mode": "CHARGE",
                    "unit": "PERCENTAGE",
                    "schedules": payload,
                }
            },
        )
