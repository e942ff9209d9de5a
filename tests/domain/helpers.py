"""Small builders shared by the domain tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from custom_components.octopus_kraken.api.models import Rate

HALF_HOUR = timedelta(minutes=30)


def at(text: str) -> datetime:
    """An instant from ISO text; text without an offset is read as UTC."""
    instant = datetime.fromisoformat(text)
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def rate(
    start: datetime | str,
    end: datetime | str | None,
    price: Decimal | float | str,
    exc: Decimal | float | str | None = None,
) -> Rate:
    """A rate; strings are parsed with ``at`` and prices with ``Decimal(str(...))``."""
    valid_from = at(start) if isinstance(start, str) else start
    valid_to = at(end) if isinstance(end, str) else end
    inc = Decimal(str(price))
    return Rate(valid_from, valid_to, inc, inc if exc is None else Decimal(str(exc)))


def half_hourly(
    start: datetime | str, prices: Sequence[Decimal | float | str | None]
) -> list[Rate]:
    """Consecutive half-hour rates from ``start``; ``None`` leaves a gap."""
    first = at(start) if isinstance(start, str) else start
    return [
        rate(first + i * HALF_HOUR, first + (i + 1) * HALF_HOUR, price)
        for i, price in enumerate(prices)
        if price is not None
    ]
