"""The integration's import graph: no cycles, and no Home Assistant below the entity layer.

Read with ``ast`` from the source, so imports under ``if TYPE_CHECKING:`` count as much as any
other module-level import (they are how a cycle hides from the interpreter but not from a reader).
Imports inside functions are left out: they run late and are no module-level dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PACKAGE = "custom_components.octopus_kraken"
SOURCE = ROOT / "custom_components" / "octopus_kraken"
PURE = ("api", "domain")


def module_name(path: Path) -> str:
    """``custom_components.octopus_kraken.api.client`` for ``.../api/client.py``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def module_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run (or, under ``TYPE_CHECKING``, are read) when the module is imported."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for field in ("body", "orelse", "finalbody", "handlers"):
                pending.extend(getattr(node, field, ()))


def absolute(module: str, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` names."""
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def imported_names(module: str) -> Iterator[str]:
    """Every absolute module name a module imports at module level."""
    tree = ast.parse(MODULES[module].read_text(), str(MODULES[module]))
    for node in module_level_imports(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
            continue
        base = absolute(module, node)
        submodules = [f"{base}.{alias.name}" for alias in node.names]
        # ``from . import queries`` names a submodule, not the package it sits in.
        if not all(name in MODULES for name in submodules):
            yield base
        yield from (name for name in submodules if name in MODULES)


def graph() -> dict[str, set[str]]:
    """Module → the integration's modules it imports."""
    return {
        module: {name for name in imported_names(module) if name in MODULES and name != module}
        for module in MODULES
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_graph_reader_sees_type_checking_imports_and_finds_a_cycle() -> None:
    """The checker itself: a cycle closed only under TYPE_CHECKING is still a cycle."""
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n")
    assert "from .b import B" in {ast.unparse(node) for node in module_level_imports(tree)}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_every_module_is_read() -> None:
    assert f"{PACKAGE}.api.client" in MODULES
    assert PACKAGE in MODULES  # the package's __init__
    assert all(name.startswith(PACKAGE) for name in MODULES)


def test_no_import_cycle_among_the_integrations_modules() -> None:
    assert cycles(graph()) == []


@pytest.mark.parametrize("layer", PURE)
def test_api_and_domain_never_reach_home_assistant(layer: str) -> None:
    """Neither directly nor through another of the integration's modules."""
    edges = graph()
    start = [name for name in MODULES if name.startswith(f"{PACKAGE}.{layer}")]
    assert start
    reached: set[str] = set()
    pending = list(start)
    while pending:
        module = pending.pop()
        if module not in reached:
            reached.add(module)
            pending.extend(edges[module])
    offenders = sorted(
        f"{module} imports {name}"
        for module in reached
        for name in imported_names(module)
        if name == "homeassistant" or name.startswith("homeassistant.")
    )
    assert offenders == []
