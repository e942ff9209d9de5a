"""One way to flip every silent choice: ``apply_switches(scenario, {...})``.

``POST /_sim/scenario`` hands its body here, and tests call it directly (or set the dataclass
fields it sets), so a switch has the same name and values in both places. ``SWITCHES`` names
each switch with its plausible values, the simulator's default first, for parametrised tests.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from octopus_simulator.catalogue import parse_tariff_code
from octopus_simulator.choices import (
    LostAnswer,
    MeterPointAuth,
    NightWindow,
    NoHomeMini,
    QuietMode,
    QuietSpell,
)
from octopus_simulator.price_rules import AHEAD_FAMILIES, TIME_OF_USE_FAMILIES, Ahead
from octopus_simulator.scenario import Agreement, Scenario
from octopus_simulator.timeutil import parse_api_datetime

SWITCHES: dict[str, tuple[Any, ...]] = {
    "no_home_mini": tuple(v.value for v in NoHomeMini),
    "home_mini_quiet": tuple(v.value for v in QuietMode),
    "ahead": tuple(v.value for v in Ahead),
    "tracker_unpublished": (False, True),
    "export_standing_charges": (True, False),
    "restricted_products": (None, 404, 401),
    "meter_point_auth": tuple(v.value for v in MeterPointAuth),
    "economy7_night": (
        {"start": "00:30", "end": "07:30", "zone": "UTC"},
        {"start": "00:30", "end": "07:30", "zone": "Europe/London"},
        {"start": "23:00", "end": "06:00", "zone": "UTC"},
        {"start": "22:00", "end": "08:00", "zone": "Europe/London"},
    ),
    "mutation_answer_lost": (None, *(v.value for v in LostAnswer)),
    "unplugged_state": ("SMART_CONTROL_CAPABLE", "SMART_CONTROL_NOT_AVAILABLE"),
    "no_plan_state": ("SMART_CONTROL_CAPABLE", "SMART_CONTROL_NOT_AVAILABLE"),
    "completed_dispatch_lag_minutes": (720, 5, 60, 240),
    "completed_dispatch_retention_days": (30, 2, 7),
    "expired_token_code": ("KT-CT-1120", "KT-CT-1124"),
    "unsent_schedule_days": ("kept", "dropped"),
}


def _hhmm(text: str) -> time:
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


def night_window(raw: dict[str, Any]) -> NightWindow:
    """A night window from ``{"start": "HH:MM", "end": "HH:MM", "zone": "UTC"}``."""
    zone = str(raw.get("zone", "UTC"))
    if zone not in ("UTC", "Europe/London"):
        raise ValueError(f"zone must be UTC or Europe/London, not {zone}")
    return NightWindow(_hhmm(raw["start"]), _hhmm(raw["end"]), zone)


def switch_tariff(scenario: Scenario, meter: str, tariff_code: str, start: Any) -> None:
    """Put an MPAN on another tariff from ``start`` (its open agreement ends there)."""
    if parse_tariff_code(tariff_code) is None:
        raise ValueError(f"unknown tariff {tariff_code}")
    when = parse_api_datetime(start) if isinstance(start, str) else start
    _, _, point = scenario.electricity_point(meter)
    kept: list[Agreement] = []
    for agreement in point.agreements:
        if agreement.valid_from >= when:
            continue  # superseded before it began
        if agreement.valid_to is None or agreement.valid_to > when:
            agreement.valid_to = when
        kept.append(agreement)
    ids = [a.id for acc in scenario.accounts for p in acc.electricity_meter_points()
           for a in p.agreements]  # fmt: skip
    point.agreements = [*kept, Agreement(max(ids, default=9000) + 1, tariff_code, when)]


def _publication(scenario: Scenario, body: dict[str, Any]) -> None:
    rules = scenario.publication
    if "agile_publication_delay_minutes" in body:
        rules.agile_delay = timedelta(minutes=float(body["agile_publication_delay_minutes"]))
    if "agile_time" in body:
        rules.agile_time = _hhmm(body["agile_time"])
    if "tracker_time" in body:
        rules.tracker_time = _hhmm(body["tracker_time"])
    if "tracker_unpublished" in body:
        rules.tracker_unpublished = {date.fromisoformat(d) for d in body["tracker_unpublished"]}
    if "ahead" in body:
        ahead = {str(k): Ahead(v) for k, v in dict(body["ahead"]).items()}
        unknown = set(ahead) - set(AHEAD_FAMILIES)
        if unknown:
            raise ValueError(f"unknown tariff families {sorted(unknown)}")
        if any(ahead.get(f) is Ahead.OPEN_ENDED for f in TIME_OF_USE_FAMILIES):
            raise ValueError("time-of-use rates change daily: they cannot be open-ended")
        rules.ahead = ahead
    if "ahead_time" in body:
        rules.ahead_time = _hhmm(body["ahead_time"])
    if "export_standing_charges" in body:
        rules.export_standing_charges = bool(body["export_standing_charges"])


def _telemetry(scenario: Scenario, body: dict[str, Any]) -> None:
    choices = scenario.choices
    if "no_home_mini" in body:
        choices.no_home_mini = NoHomeMini(body["no_home_mini"])
    if "without_home_mini" in body:
        scenario.telemetry_unavailable = {str(d) for d in body["without_home_mini"]}
    if "home_mini_quiet" in body:
        choices.home_mini_quiet = [
            QuietSpell(
                str(item["device"]),
                parse_api_datetime(item["from"]),
                parse_api_datetime(item["until"]) if item.get("until") else None,
                QuietMode(item.get("mode", QuietMode.STALE.value)),
            )
            for item in body["home_mini_quiet"]
        ]


def apply_switches(scenario: Scenario, body: dict[str, Any]) -> None:
    """Set the switches named in ``body`` (see the simulator's README for each)."""
    _publication(scenario, body)
    _telemetry(scenario, body)
    choices = scenario.choices
    if "restricted_products" in body:
        restricted = {str(k): int(v) for k, v in dict(body["restricted_products"]).items()}
        if any(v not in (401, 404) for v in restricted.values()):
            raise ValueError("a restricted product answers 401 or 404")
        choices.restricted_products = restricted
    if "meter_point_auth" in body:
        choices.meter_point_auth = MeterPointAuth(body["meter_point_auth"])
    if "economy7_night" in body:
        raw = dict(body["economy7_night"])
        window = night_window(raw)
        if raw.get("mpan"):
            choices.economy7_night_by_mpan[str(raw["mpan"])] = window
        else:
            choices.economy7_night = window
    if "unplugged_state" in body:
        choices.unplugged_state = str(body["unplugged_state"])
    if "no_plan_state" in body:
        choices.no_plan_state = str(body["no_plan_state"])
    if "mutation_answer_lost" in body:
        lost = body["mutation_answer_lost"]
        choices.mutation_answer_lost = LostAnswer(lost) if lost is not None else None
    if "completed_dispatch_lag_minutes" in body:
        minutes = float(body["completed_dispatch_lag_minutes"])
        scenario.dispatch.completed_lag = timedelta(minutes=minutes)
    if "completed_dispatch_retention_days" in body:
        days = float(body["completed_dispatch_retention_days"])
        scenario.dispatch.completed_retention = timedelta(days=days)
    if "unsent_schedule_days" in body:
        unsent = str(body["unsent_schedule_days"])
        if unsent not in SWITCHES["unsent_schedule_days"]:
            raise ValueError("unsent_schedule_days is kept or dropped")
        choices.unsent_schedule_days = unsent
    if "expired_token_code" in body:
        scenario.auth.expired_token_code = str(body["expired_token_code"])
    if "tariff" in body:
        item = dict(body["tariff"])
        switch_tariff(scenario, str(item["meter"]), str(item["tariff_code"]), item["from"])
