"""Malformed payloads into every parser: a parsed result or ``OctopusResponseError``, nothing else.

The valid payloads are the simulator's real answers, captured once per test from the wire; then
hypothesis deletes fields, adds fields, swaps values for ones of the wrong type, and multiplies
pages, and feeds the result (and arbitrary JSON) to the parser that reads that answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import contextlib
import copy
from datetime import UTC, datetime, timedelta
import json
from typing import Any

import aiohttp
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.octopus_kraken.api import (
    Fuel,
    OctopusClient,
    OctopusError,
    OctopusResponseError,
)
from custom_components.octopus_kraken.api.auth import parse_token
from custom_components.octopus_kraken.api.graphql import interpret
from custom_components.octopus_kraken.api.parsing import (
    page_results,
    parse_account,
    parse_account_numbers,
    parse_completed_dispatches,
    parse_consumption,
    parse_devices,
    parse_grid_supply_points,
    parse_meter_point,
    parse_planned_dispatches,
    parse_product_detail,
    parse_products,
    parse_rates,
    parse_standing_charges,
    parse_telemetry,
)
from custom_components.octopus_kraken.api.transport import Response, Transport
from octopus_simulator.scenario import (
    ACCOUNT_INTELLIGENT,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    CHARGER_DEVICE_ID,
    ESME_DEVICE_ID,
)
from octopus_simulator.server import SimulatorHandle

DAY = datetime(2025, 3, 10, tzinfo=UTC)
EVENING = datetime(2025, 6, 18, 19, 0, tzinfo=UTC)
AGILE = ("AGILE-24-10-01", "E-1R-AGILE-24-10-01-C")

# The value a parser reads, out of the body the API sent.
type Extract = Callable[[Any], Any]


def _results(body: Any) -> Any:
    return page_results(body)[0]


def _data(field: str | None = None) -> Extract:
    def extract(body: Any) -> Any:
        data = body["data"]
        return data if field is None else data.get(field)

    return extract


# (client call, operation recorded, extract the parser's input, parser)
CASES: dict[str, tuple[Callable[[OctopusClient], Awaitable[object]], str, Extract, Any]] = {
    "products": (lambda c: c.async_get_products(), "rest:products", _results, parse_products),
    "product": (
        lambda c: c.async_get_product(AGILE[0]),
        "rest:product",
        lambda body: body,
        parse_product_detail,
    ),
    "rates": (
        lambda c: c.async_get_unit_rates(
            *AGILE, fuel=Fuel.ELECTRICITY, period_from=DAY, period_to=DAY + timedelta(days=2)
        ),
        "rest:standard-unit-rates",
        _results,
        parse_rates,
    ),
    "standing charges": (
        lambda c: c.async_get_standing_charges(
            *AGILE, fuel=Fuel.ELECTRICITY, period_from=DAY, period_to=DAY + timedelta(days=2)
        ),
        "rest:standing-charges",
        _results,
        parse_standing_charges,
    ),
    "consumption": (
        lambda c: c.async_get_consumption(
            Fuel.ELECTRICITY,
            AGILE_IMPORT_MPAN,
            AGILE_METER_SERIAL,
            period_from=DAY,
            period_to=DAY + timedelta(days=1),
        ),
        "rest:consumption",
        _results,
        parse_consumption,
    ),
    "meter point": (
        lambda c: c.async_get_electricity_meter_point(AGILE_IMPORT_MPAN),
        "rest:electricity-meter-point",
        lambda body: body,
        parse_meter_point,
    ),
    "grid supply points": (
        lambda c: c.async_get_grid_supply_points(),
        "rest:grid-supply-points",
        _results,
        parse_grid_supply_points,
    ),
    "account numbers": (
        lambda c: c.async_get_account_numbers(),
        "graphql:AccountNumbers",
        _data(),
        parse_account_numbers,
    ),
    "account": (
        lambda c: c.async_get_account(ACCOUNT_INTELLIGENT),
        "graphql:Account",
        _data(),
        parse_account,
    ),
    "devices": (
        lambda c: c.async_get_devices(ACCOUNT_INTELLIGENT),
        "graphql:Devices",
        _data("devices"),
        parse_devices,
    ),
    "planned dispatches": (
        lambda c: c.async_get_flex_state(ACCOUNT_INTELLIGENT, [CHARGER_DEVICE_ID]),
        "graphql:FlexState",
        _data("planned0"),
        parse_planned_dispatches,
    ),
    "completed dispatches": (
        lambda c: c.async_get_completed_dispatches(ACCOUNT_INTELLIGENT),
        "graphql:CompletedDispatches",
        _data("completedDispatches"),
        parse_completed_dispatches,
    ),
    "telemetry": (
        lambda c: c.async_get_telemetry(
            ESME_DEVICE_ID,
            start=EVENING - timedelta(hours=6),
            end=EVENING,
            grouping="HALF_HOURLY",
        ),
        "graphql:SmartMeterTelemetry",
        _data("smartMeterTelemetry"),
        parse_telemetry,
    ),
    "token": (
        lambda c: c.async_get_account_numbers(),
        "graphql:ObtainKrakenToken",
        _data(),
        lambda data: parse_token(data, datetime.now(UTC)),
    ),
}

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "2025-13-45T00:00:00Z",
            "2025-03-10T00:00:00",  # naive
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59+14:00",
            "1e999",
            "NaN",
            "-Infinity",
            "25:61",
            "12.5.3",
        ]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=3),
)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def mutate(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with one flaw inside: a field gone, added or retyped, or a page grown."""
    if isinstance(value, dict) and value:
        key = draw(st.sampled_from(sorted(value)))
        action = draw(st.sampled_from(["delete", "extra", "retype", "descend"]))
        changed = dict(value)
        if action == "delete":
            del changed[key]
        elif action == "extra":
            changed[draw(st.text(min_size=1, max_size=10))] = draw(JUNK)
        elif action == "retype":
            changed[key] = draw(JUNK)
        else:
            changed[key] = mutate(draw, value[key])
        return changed
    if isinstance(value, list) and value:
        action = draw(st.sampled_from(["descend", "retype", "huge", "empty"]))
        index = draw(st.integers(0, len(value) - 1))
        if action == "huge":
            return value * draw(st.integers(2, 8))
        if action == "empty":
            return []
        changed = list(value)
        changed[index] = draw(JUNK) if action == "retype" else mutate(draw, value[index])
        return changed
    return draw(JUNK)


@st.composite
def flawed(draw: st.DrawFn, valid: Any) -> Any:
    """One to three flaws in a copy of ``valid``."""
    value = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, 3))):
        value = mutate(draw, value)
    return value


def assert_parses_or_refuses(parser: Any, payload: Any) -> None:
    """The parser returns, or raises the client's own response error: nothing else."""
    with contextlib.suppress(OctopusResponseError):
        parser(payload)


async def _capture(simulator: SimulatorHandle, monkeypatch: pytest.MonkeyPatch, name: str) -> Any:
    """The body the simulator sent for one case's operation, from the wire."""
    call, operation, extract, _parser = CASES[name]
    # Plugged in since 17:30 and evening now: the charger has a plan and dispatches to show.
    simulator.state.device(CHARGER_DEVICE_ID)[1].connected = True
    simulator.clock.set(EVENING)
    bodies: dict[str, bytes] = {}
    original = Transport.request

    async def recording(self: Transport, *args: Any, **kwargs: Any) -> Response:
        response = await original(self, *args, **kwargs)
        bodies.setdefault(kwargs["operation"], response.body)
        return response

    with monkeypatch.context() as patch:
        patch.setattr(Transport, "request", recording)
        async with aiohttp.ClientSession() as session:
            client = OctopusClient(
                session, simulator.api_key, base_url=simulator.url, retry_base_delay=0
            )
            await call(client)
    valid = extract(json.loads(bodies[operation]))
    assert valid, f"the simulator sent nothing to fuzz for {name}"
    return valid


@pytest.mark.parametrize("name", list(CASES))
async def test_a_flawed_payload_parses_or_raises_the_clients_own_error(
    octopus_simulator: SimulatorHandle, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    valid = await _capture(octopus_simulator, monkeypatch, name)
    parser = CASES[name][3]
    parser(copy.deepcopy(valid))  # the unflawed answer parses

    @settings(
        max_examples=50,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(payload=flawed(valid))
    def check_flawed(payload: Any) -> None:
        assert_parses_or_refuses(parser, payload)

    @settings(max_examples=25, deadline=None, derandomize=True)
    @given(payload=ANY_JSON)
    def check_arbitrary(payload: Any) -> None:
        assert_parses_or_refuses(parser, payload)

    check_flawed()
    check_arbitrary()


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    status=st.sampled_from([200, 400, 401, 403, 404, 418]),
    body=st.one_of(
        st.binary(max_size=40),
        ANY_JSON.map(lambda value: json.dumps(value).encode()),
        st.builds(
            lambda errors, data: json.dumps({"errors": errors, "data": data}).encode(),
            ANY_JSON,
            ANY_JSON,
        ),
        st.just(b'{"data": {"account": {"number": "A-1'),  # truncated
    ),
)
def test_any_graphql_answer_becomes_data_or_an_octopus_error(status: int, body: bytes) -> None:
    with contextlib.suppress(OctopusError):
        interpret(Response(status=status, body=body, retry_after=None))


def test_a_huge_page_of_consumption_parses_whole() -> None:
    """A year of half hours in one page (what the client asks for) is parsed, not refused."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = [
        {
            "consumption": 0.25,
            "interval_start": (start + timedelta(minutes=30 * i)).isoformat(),
            "interval_end": (start + timedelta(minutes=30 * (i + 1))).isoformat(),
        }
        for i in range(17_568)
    ]
    assert len(parse_consumption(rows)) == 17_568
