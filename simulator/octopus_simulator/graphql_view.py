"""``POST /v1/graphql/``: parse, validate, check complexity, execute, shape errors like Kraken."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from aiohttp import web
from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
    parse,
    validate,
)

from octopus_simulator.choices import LostAnswer
from octopus_simulator.complexity import complexity, operation_of, root_fields
from octopus_simulator.faults import Fault, FaultKind
from octopus_simulator.gqlcontext import GqlContext
from octopus_simulator.graphql_schema import schema
from octopus_simulator.keys import SIM
from octopus_simulator.kraken_errors import KrakenError

if TYPE_CHECKING:
    from graphql import DocumentNode

    from octopus_simulator.app import Simulator

GRAPHQL_PATH = "/v1/graphql/"


# A client sends the same few documents again and again: parse and validate each text once.
# (A document that does not parse raises, and is not cached.)
@lru_cache(maxsize=256)
def _parsed(query: str) -> DocumentNode:
    return parse(query)


@lru_cache(maxsize=256)
def _validation_errors(query: str) -> tuple[GraphQLError, ...]:
    return tuple(validate(schema(), _parsed(query)))


def _bad_request(message: str) -> web.Response:
    # Malformed documents are refused before execution with HTTP 400, as graphene does.
    return web.json_response({"errors": [{"message": message}]}, status=400)


def _error_response(
    code: str, operation: OperationDefinitionNode, field: str | None, **extra: Any
) -> web.Response:
    """A whole-request Kraken error, located at the operation's first field like the API's."""
    error = KrakenError(code, nodes=list(operation.selection_set.selections[:1]), **extra)
    formatted = dict(error.formatted)
    if field is not None:
        formatted["path"] = [field]
    return web.json_response({"data": None, "errors": [formatted]})


async def graphql_handler(request: web.Request) -> web.Response:
    """The GraphQL endpoint."""
    sim = request.app[SIM]
    try:
        body = await request.json()
    except ValueError:
        return _bad_request("POST body sent invalid JSON.")
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return _bad_request("Must provide query string.")
    query: str = body["query"]
    variables = body.get("variables") or {}
    operation_name = body.get("operationName")
    try:
        document = _parsed(query)
    except GraphQLError as error:
        return web.json_response({"errors": [error.formatted]}, status=400)
    operation = operation_of(document, operation_name)
    if operation is None:
        return _bad_request("Must provide a valid operation name for a multi-operation document.")
    fields = root_fields(document, operation)
    name = operation.name.value if operation.name else operation_name
    request["operation_name"] = name
    request["fields"] = fields
    fault = sim.faults.take(request.path, fields, name)
    authorization = request.headers.get("Authorization")
    if fault is not None:
        request["fault"] = fault.kind.value
        first = fields[0] if fields else None
        if fault.kind is FaultKind.GRAPHQL_RATE_LIMIT:
            return _error_response("KT-CT-1199", operation, first)
        if fault.kind is FaultKind.QUERY_TOO_COMPLEX:
            return _error_response("KT-CT-1188", operation, None)
        if fault.kind is FaultKind.TOO_MANY_NODES:
            return _error_response("KT-CT-1189", operation, None)
        if fault.kind is FaultKind.AUTH_ERROR:
            code = "KT-CT-1139" if "obtainKrakenToken" in fields else "KT-CT-1111"
            return _error_response(code, operation, first)
        if fault.kind is FaultKind.EXPIRED_TOKEN:
            if authorization:
                sim.tokens.revoke(authorization)
        else:
            return await sim.apply_http_fault(
                fault,
                lambda: _execute(sim, query, operation, variables, authorization),
                request,
            )
    lost = sim.scenario.choices.mutation_answer_lost
    if (
        lost is not None
        and operation.operation is OperationType.MUTATION
        and "obtainKrakenToken" not in fields
    ):
        kind = FaultKind.LOST_502 if lost is LostAnswer.BAD_GATEWAY else FaultKind.LOST_TIMEOUT
        request["fault"] = kind.value
        return await sim.apply_http_fault(
            Fault(kind, 1),
            lambda: _execute(sim, query, operation, variables, authorization),
            request,
        )
    return await _execute(sim, query, operation, variables, authorization)


async def _execute(
    sim: Simulator,
    query: str,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
    authorization: str | None,
) -> web.Response:
    executable = schema()
    document = _parsed(query)
    errors = _validation_errors(query)
    if errors:
        return web.json_response({"errors": [e.formatted for e in errors]}, status=400)
    cost = complexity(document, operation)
    limit = sim.scenario.complexity_limit
    if cost > limit:
        return _error_response(
            "KT-CT-1188",
            operation,
            None,
            description=f"Query complexity of {cost} exceeds the maximum of {limit}.",
        )
    result = execute(
        executable,
        document,
        variable_values=variables,
        operation_name=operation.name.value if operation.name else None,
        context_value=GqlContext(sim, authorization),
    )
    assert not hasattr(result, "__await__")  # every resolver is synchronous
    response: dict[str, Any] = {"data": result.data}  # type: ignore[union-attr]
    if result.errors:  # type: ignore[union-attr]
        response["errors"] = [e.formatted for e in result.errors]  # type: ignore[union-attr]
        if result.data is None and not any(  # type: ignore[union-attr]
            "errorCode" in (e.extensions or {})
            for e in result.errors  # type: ignore[union-attr]
        ):
            # Variables that do not fit their types never reach execution: a 400, like graphene.
            return web.json_response(response, status=400)
    return web.json_response(response)


def add_routes(app: web.Application) -> None:
    """Register the GraphQL endpoint."""
    app.router.add_post(GRAPHQL_PATH, graphql_handler)
