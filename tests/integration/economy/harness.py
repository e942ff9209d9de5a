"""The economy of four homes: requests a day by operation, token requests and freshness.

Shared by ``test_economy.py`` (one day, homes (a) and (c), asserting the targets) and
``benchmarks/economy.py`` (seven days, all four homes, printing the table).

Each home is the simulator's first account made into one of the issue's homes:

- (a) ``agile``: Agile import + gas; no export meter, no SmartFlex device;
- (b) ``agile_export``: (a) + Agile Outgoing export;
- (c) ``intelligent``: Intelligent Octopus Go import + gas + the account's EV charger, plugged in
  every evening (17:30-20:00 until 07:00-08:00 UK time);
- (d) ``intelligent_home_mini``: (c) + a Home Mini that reports.

In (a)-(c) the smart meter has no Home Mini and ``smartMeterTelemetry`` answers an empty list
(the simulator's ``no_home_mini: "empty"`` switch). The entry has the default options except
statistics import (off: it sends no request, but the recorder would cost minutes) and a two-day
back-fill (the set-up burst is counted apart from the days anyway).

Time moves with ``advance_time`` (``tests/integration/conftest.py``): from one timer on Home
Assistant's event loop to the next, each fired exactly at its due instant. That cannot
undercount: every way the integration can be woken later (``async_track_point_in_utc_time``, a
coordinator's refresh interval, ``asyncio.sleep``, ``call_later``) is a ``TimerHandle`` in the
loop's schedule, and the loop's schedule is what is read; each stop fires the earliest one at its
own instant, lets everything it started finish (requests included), and only then looks for the
next, so no timer is skipped, merged with another or fired late. Fixed steps, by contrast, fire
every timer due within a step at its end: a poll due at 10:00:01 then runs at 10:05 and the
next one is scheduled from there, so polls are lost. ``run_home`` also checks, at every stop,
that no timer of ours is left overdue (``overdue_timers``), and counts the stops.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
import math
import textwrap
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_IMPORT_STATISTICS,
    CONF_IS_EXPORT,
)
from octopus_simulator.dispatches import planned_dispatches, session_on
from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    ESME_DEVICE_ID,
    Device,
    Scenario,
)
from octopus_simulator.switches import apply_switches, switch_tariff
from octopus_simulator.timeutil import LONDON, local_at
from tests.ids import AGILE_EXPORT, AGILE_IMPORT

from ..conftest import _next_timer, account_entry, advance_time

# Monday 19 October 2026, 10:07 BST: the week crosses the clocks going back (25 October).
START = datetime(2026, 10, 19, 9, 7, tzinfo=UTC)
TOKEN_OPERATION = "ObtainKrakenToken"
TOKEN_LIFETIME = timedelta(minutes=60)  # api-notes.md
INTELLIGENT_GO = "E-1R-INTELLI-VAR-24-10-29-C"
CHARGER = "driveway_charger"
DISPATCHING = f"binary_sensor.{CHARGER}_dispatching"
IMPORT_TOMORROW = f"sensor.{AGILE_IMPORT}_next_day_rates"
EXPORT_TOMORROW = f"sensor.{AGILE_EXPORT}_next_day_rates"


class Home(StrEnum):
    """The issue's four homes."""

    AGILE = "agile"
    AGILE_EXPORT = "agile_export"
    INTELLIGENT = "intelligent"
    INTELLIGENT_HOME_MINI = "intelligent_home_mini"

    @property
    def label(self) -> str:
        """The issue's letter and a short description."""
        return {
            Home.AGILE: "(a) Agile + gas",
            Home.AGILE_EXPORT: "(b) (a) + Agile Outgoing",
            Home.INTELLIGENT: "(c) IO Go + gas + EV",
            Home.INTELLIGENT_HOME_MINI: "(d) (c) + Home Mini",
        }[self]

    @property
    def agile(self) -> bool:
        """Whether the home's import is on Agile (its prices for tomorrow appear at 16:00)."""
        return self in (Home.AGILE, Home.AGILE_EXPORT)

    @property
    def smartflex(self) -> bool:
        """Whether the home has the EV charger."""
        return not self.agile


@dataclass(frozen=True, slots=True)
class Targets:
    """The issue's targets for one home (None: no target)."""

    requests: float  # a day
    tokens: float | None  # a day
    price_minutes: float | None = 5.0
    plan_minutes: float | None = 4.0


# What a home polled around the clock can reach instead of the 10 token requests a day:
# an hour's token renewed five minutes before it expires (``api/auth.py``) serves 55 minutes,
# so at most one a 55 minutes of the day. See ``table`` for why 10 is out of reach there.
TOKENS_AROUND_THE_CLOCK = math.ceil(timedelta(days=1) / timedelta(minutes=55))

TARGETS = {
    Home.AGILE: Targets(40, 10, plan_minutes=None),
    Home.AGILE_EXPORT: Targets(50, 10, plan_minutes=None),
    Home.INTELLIGENT: Targets(350, 10, price_minutes=None),
    Home.INTELLIGENT_HOME_MINI: Targets(1700, None, price_minutes=None),
}


def charger(scenario: Scenario) -> Device:
    """The first account's EV charger."""
    account = scenario.account(ACCOUNT_AGILE)
    assert account is not None
    return account.devices[0]


def make_home(scenario: Scenario, home: Home, start: datetime) -> None:
    """Turn the simulator's first account into ``home`` (before anything is set up)."""
    account = scenario.account(ACCOUNT_AGILE)
    assert account is not None
    prop = account.properties[0]
    if home is not Home.AGILE_EXPORT:
        prop.electricity_meter_points = [
            p for p in prop.electricity_meter_points if p.mpan != AGILE_EXPORT_MPAN
        ]
    if home.smartflex:
        # On Intelligent Go for a month before the week starts.
        switch_tariff(scenario, AGILE_IMPORT_MPAN, INTELLIGENT_GO, start - timedelta(days=30))
        charger(scenario).plug_in_probability = 1.0  # plugged in every evening
    else:
        account.devices.clear()
    if home is not Home.INTELLIGENT_HOME_MINI:
        apply_switches(scenario, {"no_home_mini": "empty", "without_home_mini": [ESME_DEVICE_ID]})


def home_entry(entry_data: dict[str, Any], home: Home) -> MockConfigEntry:
    """The home's entry: every meter and device it has, default options but statistics."""
    data = dict(entry_data)
    if home is not Home.AGILE_EXPORT:
        data[CONF_ELECTRICITY_METERS] = [
            m for m in data[CONF_ELECTRICITY_METERS] if not m[CONF_IS_EXPORT]
        ]
    assert data[CONF_GAS_METERS]
    if not home.smartflex:
        data[CONF_DEVICES] = []
    return account_entry(data, {CONF_IMPORT_STATISTICS: False, CONF_BACKFILL_DAYS: 2})


def operation(request: Any) -> str:
    """What a request asked for: the GraphQL operation, or the kind of REST path."""
    if request.operation_name:
        return str(request.operation_name)
    parts = [p for p in request.path.split("?")[0].strip("/").split("/") if p]
    if "consumption" in parts:
        fuel = "gas" if parts[1].startswith("gas") else "electricity"
        return f"REST {fuel} consumption"
    if parts[1:2] == ["products"]:
        if len(parts) == 3:
            return "REST product"
        if len(parts) >= 6:
            return f"REST {parts[5]}" + (" (gas)" if parts[3] == "gas-tariffs" else "")
        return "REST products"
    return "REST " + "/".join(parts[1:2])


@dataclass
class PlanChange:
    """A change of the simulator's plan and when the entity first showed it."""

    at: datetime
    plug_in: bool  # the first plan of a session (the device was just plugged in)
    shown_at: datetime | None = None


@dataclass
class HomeFigures:
    """What one home's run measured."""

    home: Home
    days: int
    setup_requests: Counter[str] = field(default_factory=Counter)
    # Requests after set-up by operation and by day (day i: start + i days .. + i+1 days).
    by_day: list[Counter[str]] = field(default_factory=list)
    price_minutes: list[float] = field(default_factory=list)
    plan_changes: list[PlanChange] = field(default_factory=list)
    # GraphQL requests (token requests aside) by day, for the fewest tokens they could need.
    graphql_at: list[list[datetime]] = field(default_factory=list)
    plugged_in: list[timedelta] = field(default_factory=list)  # by day
    stops: int = 0
    overdue: int = 0  # stops that left a timer of ours overdue (must stay 0)

    def per_day(self, name: str | None = None) -> float:
        """Mean requests a day (of one operation, or all)."""
        return sum(_count(day, name) for day in self.by_day) / self.days

    def worst_day(self, name: str | None = None) -> int:
        """The most requests (of one operation, or all) any one day made."""
        return max((_count(day, name) for day in self.by_day), default=0)

    def fewest_tokens(self) -> int:
        """The fewest tokens any client needs for the same GraphQL requests on the worst day.

        A token lasts an hour (api-notes.md): one serves every request of the next 60 minutes
        at best, so the requests' times alone set this floor, whatever the refresh policy.
        """
        return max((_hour_cover(times) for times in self.graphql_at), default=0)

    def operations(self) -> list[str]:
        """Every operation seen after set-up, by name."""
        return sorted({name for day in self.by_day for name in day})

    def plan_minutes(self, *, plug_in: bool) -> list[float]:
        """Minutes from each plan change (or plug-in) to the entity showing it (inf: never)."""
        return [
            (c.shown_at - c.at).total_seconds() / 60 if c.shown_at else float("inf")
            for c in self.plan_changes
            if c.plug_in is plug_in
        ]


def _hour_cover(times: list[datetime]) -> int:
    """How many one-hour tokens, each taken at a request, cover every request in ``times``."""
    count, expires = 0, None
    for at in sorted(times):
        if expires is None or at >= expires:
            count, expires = count + 1, at + TOKEN_LIFETIME
    return count


def _count(day: Counter[str], name: str | None) -> int:
    return sum(day.values()) if name is None else day[name]


def overdue_timers(hass: HomeAssistant) -> bool:
    """Whether a timer of ours (housekeeping aside) is due and has not fired."""
    timer = _next_timer(hass)
    return timer is not None and timer.when() <= hass.loop.time()


def _sim_plan(scenario: Scenario, now: datetime) -> list[tuple[datetime, datetime]]:
    windows = planned_dispatches(scenario.seed, charger(scenario), now, scenario.dispatch)
    return [(w.start, w.end) for w in windows if w.end > now]


def _shown_plan(hass: HomeAssistant) -> list[tuple[datetime, datetime]] | None:
    state = hass.states.get(DISPATCHING)
    if state is None:
        return None
    return [(d["start"], d["end"]) for d in state.attributes.get("planned_dispatches", ())]


def _shows_tomorrow(hass: HomeAssistant, entity_id: str) -> bool:
    state = hass.states.get(entity_id)
    return state is not None and state.state not in ("0", "unknown", "unavailable")


def _revision_instants(scenario: Scenario, days: Iterable[date]) -> list[tuple[datetime, bool]]:
    """Every instant the simulator's plan may change: plug-in and each revision after it."""
    rules = scenario.dispatch
    found = []
    for day in days:
        session = session_on(scenario.seed, charger(scenario), day)
        if session is None:
            continue
        for k in range(rules.revisions):
            at = session.plug_in + k * rules.revision_interval
            if at < session.unplug:
                found.append((at, k == 0))
    return found


def _publications(scenario: Scenario, days: Iterable[date]) -> list[datetime]:
    rules = scenario.publication
    return [local_at(day, rules.agile_time) + rules.agile_delay for day in days]


async def run_home(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Any,
    entry: MockConfigEntry,
    home: Home,
    *,
    start: datetime,
    days: int,
) -> HomeFigures:
    """Set ``entry`` up at ``start`` and run ``days`` days, measuring ``home``'s figures."""
    scenario: Scenario = simulator.state
    figures = HomeFigures(
        home,
        days,
        by_day=[Counter() for _ in range(days)],
        graphql_at=[[] for _ in range(days)],
        plugged_in=[timedelta(0) for _ in range(days)],
    )
    freezer.move_to(start)
    simulator.reset_log()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    figures.setup_requests = Counter(operation(r) for r in simulator.request_log)
    simulator.reset_log()

    end = start + timedelta(days=days)
    first = start.astimezone(LONDON).date() - timedelta(days=1)
    span = [first + timedelta(days=i) for i in range(days + 2)]
    # Extra stops where the world changes between timers (a plan revision, a publication), so
    # each latency starts at the change itself.
    marks: dict[datetime, str] = {}
    if home.smartflex:
        for at, plug_in in _revision_instants(scenario, span):
            if start < at < end:
                marks[at] = "plug-in" if plug_in else "revision"
    if home.agile:
        marks.update(
            {at: "publication" for at in _publications(scenario, span) if start < at < end}
        )
    entities = [IMPORT_TOMORROW] + ([EXPORT_TOMORROW] if home is Home.AGILE_EXPORT else [])
    pending_price: list[datetime] = []
    previous_plan = _sim_plan(scenario, start) if home.smartflex else []

    def observe(now: datetime) -> None:
        nonlocal previous_plan
        figures.stops += 1
        figures.overdue += overdue_timers(hass)
        kind = marks.pop(now, None)  # a timer due at a mark stops there twice: count it once
        if kind == "publication":
            pending_price.append(now)
        if pending_price and all(_shows_tomorrow(hass, e) for e in entities):
            figures.price_minutes.extend((now - t).total_seconds() / 60 for t in pending_price)
            pending_price.clear()
        if not home.smartflex:
            return
        plan = _sim_plan(scenario, now)
        kept = [w for w in previous_plan if w[1] > now]
        if kind is not None and plan != kept:
            figures.plan_changes.append(PlanChange(now, plug_in=kind == "plug-in"))
        previous_plan = plan
        if _shown_plan(hass) == plan:
            for change in figures.plan_changes:
                if change.shown_at is None:
                    change.shown_at = now

    for target in [*sorted(marks), end]:  # ``observe`` pops each mark it reaches
        await advance_time(hass, freezer, target, observe)
    for request in simulator.request_log:
        index = min(int((request.at - start) / timedelta(days=1)), days - 1)
        name = operation(request)
        figures.by_day[index][name] += 1
        if request.operation_name and name != TOKEN_OPERATION:
            figures.graphql_at[index].append(request.at)
    if home.smartflex:
        for day in span:
            session = session_on(scenario.seed, charger(scenario), day)
            if session is None:
                continue
            for i in range(days):
                low = max(session.plug_in, start + timedelta(days=i))
                high = min(session.unplug, start + timedelta(days=i + 1))
                figures.plugged_in[i] += max(high - low, timedelta(0))
    return figures


def _cell(value: float, target: float | None, digits: int = 1) -> str:
    shown = "never" if value == float("inf") else f"{value:.{digits}f}"
    if target is None:
        return shown
    return f"{shown} (<= {target:g}) {'PASS' if value <= target else 'MISS'}"


def _most(values: list[float]) -> float | None:
    return max(values) if values else None


def _latency(values: list[float], target: float | None) -> str:
    return "-" if not values else _cell(max(values), target)


def _plugged_hours(run: HomeFigures) -> str:
    return f"{max(run.plugged_in) / timedelta(hours=1):.1f}" if run.home.smartflex else "-"


def _plug_in(run: HomeFigures) -> str:
    return _latency(run.plan_minutes(plug_in=True), None)


def _plan_changes(run: HomeFigures) -> str:
    return str(len(run.plan_minutes(plug_in=False))) if run.home.smartflex else "-"


def _tokens(run: HomeFigures, targets: Targets) -> str:
    return _cell(run.worst_day(TOKEN_OPERATION), targets.tokens, 0)


def _prices(run: HomeFigures, targets: Targets) -> str:
    return _latency(run.price_minutes, targets.price_minutes)


def _plans(run: HomeFigures, targets: Targets) -> str:
    return _latency(run.plan_minutes(plug_in=False), targets.plan_minutes)


type CellOf = Callable[[HomeFigures, Targets], str]
CELLS: tuple[tuple[str, CellOf], ...] = (
    ("requests/day (mean)", lambda r, t: _cell(r.per_day(), t.requests)),
    ("requests on the worst day", lambda r, t: _cell(r.worst_day(), t.requests, 0)),
    ("requests at set-up (not in the days)", lambda r, t: str(sum(r.setup_requests.values()))),
    ("token requests on the worst day", _tokens),
    ("  fewest any client needs (60-min token)", lambda r, t: str(r.fewest_tokens())),
    ("  plugged-in hours, worst day", lambda r, t: _plugged_hours(r)),
    ("publication -> prices shown, max min", _prices),
    ("  publications", lambda r, t: str(len(r.price_minutes)) if r.home.agile else "-"),
    ("plan change -> shown (plugged in), max min", _plans),
    ("  plan changes", lambda r, t: _plan_changes(r)),
    ("plug-in -> first plan shown, max min", lambda r, t: _plug_in(r)),
    ("clock stops (each a timer firing)", lambda r, t: str(r.stops)),
    ("  stops leaving a timer overdue", lambda r, t: str(r.overdue)),
)


def _rows(runs: list[HomeFigures]) -> list[tuple[str, list[str]]]:
    """The table's rows: a name and a cell per home."""
    operations = sorted({name for r in runs for name in r.operations()})
    rows = [("requests/day by operation (mean)", ["" for _ in runs])]
    rows += [(f"  {name}", [f"{r.per_day(name):.1f}" for r in runs]) for name in operations]
    rows += [(name, [cell(r, TARGETS[r.home]) for r in runs]) for name, cell in CELLS]
    return rows


def table(runs: list[HomeFigures]) -> list[str]:
    """The benchmark's table, a column per home, and why each missed target is missed."""
    rows = _rows(runs)
    first = max(len(name) for name, _ in rows) + 2
    width = max(len(cell) for _, cells in rows for cell in cells) + 2
    width = max(width, *(len(r.home.label) + 2 for r in runs))
    lines = [f"{'':<{first}}" + "".join(f"{r.home.label:<{width}}" for r in runs)]
    lines.append("-" * len(lines[0]))
    lines += [f"{name:<{first}}" + "".join(f"{c:<{width}}" for c in cells) for name, cells in rows]
    for run in runs:
        lines.extend(textwrap.fill(note, 100, subsequent_indent="    ") for note in _notes(run))
    return lines


def _notes(run: HomeFigures) -> list[str]:
    """Why a target of ``run`` is missed, or what a figure without a target stands for."""
    targets, notes = TARGETS[run.home], []
    tokens = run.worst_day(TOKEN_OPERATION)
    if run.home.smartflex and targets.tokens is not None and tokens > targets.tokens:
        hours = max(run.plugged_in) / timedelta(hours=1)
        notes.append(
            f"{run.home.label}: {targets.tokens:g} token requests a day cannot be met. A token "
            f"lasts 60 minutes; showing a plan change within 4 minutes takes a request at least "
            f"every 4 minutes while plugged in ({hours:.1f} h on the worst day: "
            f"{math.ceil(hours)} tokens), and seeing a plug-in takes a poll every 15 minutes "
            f"the rest of the day (one token an hour). The requests made could not have used "
            f"fewer than {run.fewest_tokens()} tokens on the worst day; refreshing with the "
            f"refresh token (as api/auth.py does) costs the same one request."
        )
    if run.home.smartflex and run.plan_minutes(plug_in=True):
        notes.append(
            f"{run.home.label}: a plug-in (the first plan of the evening) shows within the idle "
            f"poll interval (15 minutes, jittered), not 4: polling every 4 minutes around the "
            f"clock to see it sooner would take 360 requests a day, over the 350 of (c)."
        )
    return notes
