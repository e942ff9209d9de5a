"""Query complexity, roughly as Kraken counts it: the reference's figure for each root field,
one more for every nested object field, nothing for scalars. Over the limit is KT-CT-1188."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

# "Query Complexity" of the root fields in kraken-graphql-queries.txt.
ROOT_COMPLEXITY: dict[str, int] = {
    "account": 2,
    "viewer": 1,
    "properties": 1,
    "devices": 1,
    "flexPlannedDispatches": 3,
    "completedDispatches": 3,
    "smartMeterTelemetry": 1,
}


def operation_of(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation a request runs (the only one, or the named one)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


def root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> tuple[str, ...]:
    """Names of the root fields an operation selects (through fragments too)."""
    fragments = _fragments(document)
    names: list[str] = []

    def collect(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.append(selection.name.value)
            elif isinstance(selection, FragmentSpreadNode):
                collect(fragments[selection.name.value].selection_set)
            elif isinstance(selection, InlineFragmentNode):
                collect(selection.selection_set)

    collect(operation.selection_set)
    return tuple(names)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def complexity(document: DocumentNode, operation: OperationDefinitionNode) -> int:
    """The complexity of one (already validated) operation."""
    fragments = _fragments(document)

    def cost(selection_set: SelectionSetNode | None, root: bool) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                own = ROOT_COMPLEXITY.get(selection.name.value, 1) if root else 0
                if not root and selection.selection_set is not None:
                    own = 1
                total += own + cost(selection.selection_set, False)
            elif isinstance(selection, FragmentSpreadNode):
                total += cost(fragments[selection.name.value].selection_set, root)
            elif isinstance(selection, InlineFragmentNode):
                total += cost(selection.selection_set, root)
        return total

    return cost(operation.selection_set, True)
