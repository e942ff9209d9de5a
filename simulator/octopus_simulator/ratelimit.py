"""Per-user, per-field request limits on the simulator clock (sliding windows)."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


class RateLimiter:
    """Counts hits per (user, field) and refuses the one over the limit."""

    def __init__(self) -> None:
        self._hits: dict[tuple[str, str], deque[datetime]] = {}

    def hit(self, key: str, field: str, now: datetime, limit: tuple[int, timedelta]) -> bool:
        """Record a hit; ``False`` (not recorded) when the window is already full."""
        allowed, window = limit
        hits = self._hits.setdefault((key, field), deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) >= allowed:
            return False
        hits.append(now)
        return True
