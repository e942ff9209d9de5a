"""Every GraphQL document the client sends carries its values in variables, never in its text.

The documents are captured on the wire (an aiohttp trace of the request bodies) while every
GraphQL call of the client runs against the simulator with recognisable values, then parsed
with graphql-core: a literal anywhere but in the fixed boolean filters fails the test, and so
does any of the values showing up in the text rather than in ``variables``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
import inspect
import json
from types import SimpleNamespace
from typing import Any

import aiohttp
from graphql import (
    BooleanValueNode,
    DocumentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    ValueNode,
    VariableNode,
    parse,
    visit,
)
from graphql.language import Visitor
import pytest

from custom_components.octopus_kraken.api import (
    BoostAction,
    OctopusClient,
    OctopusError,
    SmartControlAction,
    queries,
)
from custom_components.octopus_kraken.api.kraken import KrakenApi
from custom_components.octopus_kraken.api.models import ChargeSchedule
from octopus_simulator.scenario import ACCOUNT_INTELLIGENT, CHARGER_DEVICE_ID, ESME_DEVICE_ID
from octopus_simulator.server import SimulatorHandle

# The only literals a document may hold: fixed filters that never depend on data.
FIXED_BOOLEAN_ARGUMENTS = frozenset({"active", "includeInactive"})


class _Literals(Visitor):
    """Collects every literal value node that is not a permitted fixed filter."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._argument: list[str] = []

    def enter_argument(self, node: Any, *_: Any) -> None:
        self._argument.append(node.name.value)

    def leave_argument(self, *_: Any) -> None:
        self._argument.pop()

    def enter(self, node: Any, *_: Any) -> None:
        if not isinstance(node, ValueNode) or isinstance(
            node, VariableNode | ObjectValueNode | ListValueNode
        ):
            return  # containers are checked through the values they hold
        if (
            isinstance(node, BooleanValueNode)
            and self._argument
            and self._argument[-1] in FIXED_BOOLEAN_ARGUMENTS
        ):
            return
        self.found.append(f"{type(node).__name__} in argument {self._argument[-1:]}")


def literals_in(document: DocumentNode) -> list[str]:
    """The literal values written into ``document``'s text."""
    visitor = _Literals()
    visit(document, visitor)
    return visitor.found


def assert_values_only_in_variables(document: str) -> None:
    """Fail when ``document`` holds a value in its text or uses an undeclared variable."""
    ast = parse(document)
    assert literals_in(ast) == [], document
    operations = [d for d in ast.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1
    declared = {v.variable.name.value for v in operations[0].variable_definitions}
    used: set[str] = set()

    class _Used(Visitor):
        def enter_variable(self, node: VariableNode, *_: Any) -> None:
            used.add(node.name.value)

    visit(ast, _Used())
    assert used <= declared, f"undeclared variables {used - declared}"


def _module_documents() -> dict[str, str]:
    documents = {
        name: value
        for name, value in vars(queries).items()
        if isinstance(value, str) and name.endswith(("_QUERY", "_MUTATION"))
    }
    for count in (0, 1, 2, 7):
        documents[f"flex_state_query({count})"] = queries.flex_state_query(count)
    return documents


@pytest.mark.parametrize(("name", "document"), _module_documents().items())
def test_every_document_in_the_queries_module_keeps_values_in_variables(
    name: str, document: str
) -> None:
    assert_values_only_in_variables(document)


def test_a_literal_in_a_document_is_caught() -> None:
    """The check itself fails on the mistakes it exists for."""
    assert literals_in(parse('query A { account(accountNumber: "A-1") { id } }'))
    assert literals_in(parse("query A { telemetry(limit: 5) { id } }"))
    assert literals_in(parse("query A { x(input: {deviceId: $d}) { id } }")) == []
    assert literals_in(parse("query A { x(input: {mode: CHARGE}) { id } }"))
    assert literals_in(parse("query A { x(suspended: true) { id } }"))


@pytest.fixture
async def recording_session() -> AsyncIterator[tuple[aiohttp.ClientSession, list[bytes]]]:
    """A session whose request bodies are recorded as they go on the wire."""
    bodies: list[bytes] = []

    async def on_chunk(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestChunkSentParams,
    ) -> None:
        bodies.append(params.chunk)

    trace = aiohttp.TraceConfig()
    trace.on_request_chunk_sent.append(on_chunk)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        yield session, bodies


ACCOUNT = ACCOUNT_INTELLIGENT
DEVICE = CHARGER_DEVICE_ID
START = datetime(2025, 3, 10, tzinfo=UTC)

CALLS: dict[str, Callable[[OctopusClient], Awaitable[object]]] = {
    "async_get_account_numbers": lambda c: c.async_get_account_numbers(),
    "async_get_account": lambda c: c.async_get_account(ACCOUNT),
    "async_get_account_and_octoplus": lambda c: c.async_get_account_and_octoplus(
        ACCOUNT, points=True
    ),
    "async_get_devices": lambda c: c.async_get_devices(ACCOUNT),
    "async_get_heat_pump_status": lambda c: c.async_get_heat_pump_status(ACCOUNT),
    "async_get_planned_dispatches": lambda c: c.async_get_planned_dispatches(DEVICE),
    "async_get_completed_dispatches": lambda c: c.async_get_completed_dispatches(ACCOUNT),
    "async_get_flex_state": lambda c: c.async_get_flex_state(ACCOUNT, [DEVICE, "dev-2"]),
    "async_get_telemetry": lambda c: c.async_get_telemetry(
        ESME_DEVICE_ID, start=START, end=START + timedelta(hours=1), grouping="HALF_HOURLY"
    ),
    "async_set_boost": lambda c: c.async_set_boost(DEVICE, BoostAction.BOOST),
    "async_set_smart_control": lambda c: c.async_set_smart_control(
        DEVICE, SmartControlAction.SUSPEND
    ),
    "async_set_preferences": lambda c: c.async_set_preferences(
        DEVICE, target_percentage=87, ready_by="06:45"
    ),
    "async_set_schedules": lambda c: c.async_set_schedules(
        DEVICE,
        [
            ChargeSchedule("MONDAY", "06:45", None, Decimal(87)),
            ChargeSchedule("TUESDAY", "07:30", Decimal(20), Decimal(80)),
        ],
    ),
}


def test_every_graphql_call_of_the_client_is_exercised() -> None:
    public = {
        name
        for name, member in vars(KrakenApi).items()
        if name.startswith("async_") and inspect.iscoroutinefunction(member)
    }
    assert public == set(CALLS)


async def test_every_document_sent_keeps_values_in_variables(
    recording_session: tuple[aiohttp.ClientSession, list[bytes]],
    octopus_simulator: SimulatorHandle,
) -> None:
    session, bodies = recording_session
    client = OctopusClient(
        session, octopus_simulator.api_key, base_url=octopus_simulator.url, retry_base_delay=0
    )
    values = (ACCOUNT, DEVICE, ESME_DEVICE_ID, "dev-2", "87", "06:45", "HALF_HOURLY", "2025")
    for call in CALLS.values():
        # A refusal (a boost while unplugged, say) still sent its document.
        with contextlib.suppress(OctopusError):
            await call(client)
    sent = [json.loads(body) for body in bodies if body.startswith(b"{")]
    operations = {payload["operationName"] for payload in sent}
    assert operations >= {
        queries.OBTAIN_TOKEN,
        queries.ACCOUNT_NUMBERS,
        queries.ACCOUNT,
        queries.DEVICES,
        queries.PLANNED_DISPATCHES,
        queries.COMPLETED_DISPATCHES,
        queries.FLEX_STATE,
        queries.TELEMETRY,
        queries.UPDATE_BOOST_CHARGE,
        queries.UPDATE_SMART_CONTROL,
        queries.SET_DEVICE_PREFERENCES,
    }
    for payload in sent:
        document = payload["query"]
        assert_values_only_in_variables(document)
        for value in values:
            assert value not in document, (payload["operationName"], value)
        # The API key and tokens travel in variables or headers only.
        assert octopus_simulator.api_key not in document
    variables_text = json.dumps([payload["variables"] for payload in sent])
    for value in (ACCOUNT, DEVICE, ESME_DEVICE_ID, "dev-2", "06:45", "HALF_HOURLY"):
        assert value in variables_text
