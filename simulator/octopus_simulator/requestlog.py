"""A record of every API request the simulator served (control requests excluded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One served request; ``operation_name`` is the GraphQL operation, ``fields`` its top-level
    fields (so a combined document is still countable per field)."""

    method: str
    path: str
    query: dict[str, str]
    operation_name: str | None
    status: int
    at: datetime
    fields: tuple[str, ...] = field(default=())
    fault: str | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON form for ``GET /_sim/requests``."""
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "operation_name": self.operation_name,
            "fields": list(self.fields),
            "status": self.status,
            "at": self.at.isoformat(),
            "fault": self.fault,
        }


class RequestLog(list[LoggedRequest]):
    """The log is a plain list of ``LoggedRequest`` with counting helpers."""

    def count(self, path_contains: str | None = None, operation: str | None = None) -> int:
        """Requests whose path contains ``path_contains`` and whose operation name or one of
        whose top-level fields equals ``operation``."""
        return sum(
            1
            for entry in self
            if (path_contains is None or path_contains in entry.path)
            and (
                operation is None or entry.operation_name == operation or operation in entry.fields
            )
        )
