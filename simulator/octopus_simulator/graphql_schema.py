"""The subset of the Kraken GraphQL schema the simulator serves (``kraken_schema.graphql``).

Field names follow the reference (``kraken-graphql-queries.txt``) for the root fields and
``api-notes.md`` for nested types the reference leaves as fragments. Where both are silent the
choice is noted in the SDL's descriptions. Queries are parsed and validated against this schema,
so a misspelt field fails exactly as it would against the real API.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, build_schema

SDL_PATH = Path(__file__).with_name("kraken_schema.graphql")


@cache
def schema() -> GraphQLSchema:
    """The executable schema with the simulator's resolvers attached."""
    from octopus_simulator.resolvers import bind

    built = build_schema(SDL_PATH.read_text(encoding="utf-8"))
    bind(built)
    return built
