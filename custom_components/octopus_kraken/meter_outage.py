"""One meter whose prices cannot be had: told once, a repair issue if it lasts, cleared on return.

A meter's failure never takes the entry down (``builder``): its rates coordinator keeps trying
on its own and its price entities stay unavailable meanwhile. This keeps the user informed
without log spam: one warning when a meter has no prices, a repair issue at once when the
product refuses this key (restricted or retired: it will not fix itself within minutes) or
after ``REPAIR_AFTER`` of any other failure, and the issue goes away by itself with the prices.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import hashlib

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .api import OctopusProductUnavailableError
from .const import DOMAIN, LOGGER

PRICES_ISSUE = "meter_prices_unavailable"
REPAIR_AFTER = timedelta(hours=6)


def failure_reason(err: BaseException | None) -> str:
    """What went wrong, safe to show: an HTTP status or the error's type, never its message."""
    status = getattr(err, "status", None)
    if isinstance(status, int):
        return f"HTTP {status}"
    return type(err).__name__ if err is not None else "unknown"


class MeterOutage:
    """The outage (if any) of one meter's prices."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, meter_key: str, name: str) -> None:
        """Follow the meter ``meter_key``; ``name`` is what the user calls it (no identifier)."""
        self._hass = hass
        self._name = name
        digest = hashlib.sha256(meter_key.encode()).hexdigest()[:10]
        self.issue_id = f"{PRICES_ISSUE}_{entry.entry_id}_{digest}"
        self.since: datetime | None = None
        self._issue_raised = False

    def failed(self, err: BaseException | None, now: datetime, *, without_prices: bool) -> None:
        """A refresh failed; ``without_prices``: the meter has nothing to show meanwhile."""
        if self.since is None:
            self.since = now
            if without_prices:
                LOGGER.warning(
                    "No prices for the %s yet (%s); its price entities stay unavailable and "
                    "the integration asks again on its own",
                    self._name.lower(),
                    failure_reason(err),
                )
        refused = isinstance(err, OctopusProductUnavailableError)
        if without_prices and (refused or now - self.since >= REPAIR_AFTER):
            self._issue_raised = True
            ir.async_create_issue(
                self._hass,
                DOMAIN,
                self.issue_id,
                is_fixable=False,
                is_persistent=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=PRICES_ISSUE,
                translation_placeholders={
                    "meter": self._name,
                    "reason": failure_reason(err),
                    "since": self.since.strftime("%Y-%m-%d %H:%M UTC"),
                },
            )

    def cleared(self) -> None:
        """A refresh succeeded: the outage (and its repair issue) is over."""
        self.since = None
        if self._issue_raised:
            self._issue_raised = False
            ir.async_delete_issue(self._hass, DOMAIN, self.issue_id)
