"""A coordinator that schedules its own next fetch, persists its data and backs off on errors.

Each concrete coordinator implements one pure-ish step, ``_async_fetch(previous, now)``, which
returns the new data and when it is next worth asking the API. Everything else lives here: the
translation of client errors into Home Assistant's, exponential backoff with jitter that honours
Retry-After, never polling on :00/:30 exactly, and a ``Store`` so a restart starts from what was
fetched before instead of refetching it.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .. import caches
from ..api import (
    OctopusAuthError,
    OctopusClient,
    OctopusError,
    OctopusProductUnavailableError,
    OctopusQueryTooLargeError,
    OctopusRateLimitError,
    OctopusUnavailableError,
)
from ..caches import cache_store
from ..const import DOMAIN, LOGGER
from ..domain.jitter import avoid_round_times, backoff_delay

# A product that refuses this key (restricted or retired) is not back within minutes.
PRODUCT_RETRY = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class FetchResult[DataT]:
    """What one fetch produced and when the next one is worth making."""

    data: DataT
    next_fetch: datetime


class OctopusCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Base of every coordinator of this integration."""

    config_entry: ConfigEntry
    client: OctopusClient  # set by each coordinator

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        *,
        name: str,
        store_key: str | None,
        legacy_store_key: str | None = None,
    ) -> None:
        """Create the coordinator; ``store_key`` names its cache (None: nothing persisted).

        A cache found under ``legacy_store_key`` (an older name) is moved to ``store_key``.
        """
        # A logger per entry: with two accounts, the log says which one failed.
        logger = LOGGER.getChild(entry.entry_id)
        super().__init__(hass, logger, config_entry=entry, name=name, update_interval=None)
        self._failures = 0
        # An outage is logged once: from the first failure until a fetch gets an answer again.
        # In memory on purpose: after a restart (or a reload) during an outage the first failure
        # logs once more, since each start begins a new log (home-assistant.log) that should say
        # why the data is not updating; a stored flag would leave that log silent. The soak
        # restarts in the middle of an outage and checks exactly one line per start.
        self._outage_logged = False
        self._too_large_warned = False
        self._store: Store[dict[str, Any]] | None = (
            cache_store(hass, entry.entry_id, store_key) if store_key else None
        )
        self._legacy_store_key = legacy_store_key
        self.next_fetch: datetime | None = None
        self._cache_snapshot: dict[str, Any] = {}
        self._cache_dirty = False

    # --- what subclasses provide ----------------------------------------------------------------

    @abstractmethod
    async def _async_fetch(self, previous: DataT | None, now: datetime) -> FetchResult[DataT]:
        """Fetch what is missing from ``previous`` and say when to come back."""

    def _serialize(self, data: DataT) -> dict[str, Any] | None:
        """Turn data into JSON for the cache (None: do not persist)."""
        return None

    def _deserialize(self, stored: dict[str, Any]) -> DataT | None:
        """Rebuild data from the cache (None: the cache is unusable)."""
        return None

    # --- machinery ------------------------------------------------------------------------------

    async def async_load_cache(self) -> None:
        """Start from what a previous run stored, so the first refresh may cost nothing."""
        if self._store is None:
            return
        stored = await caches.async_load(
            self.hass, self._store, self.config_entry.entry_id, self._legacy_store_key
        )
        if not stored:
            return
        try:
            data = self._deserialize(stored)
        except (KeyError, TypeError, ValueError, ArithmeticError) as err:
            LOGGER.debug("Ignoring an unreadable cache for %s: %s", self.name, type(err).__name__)
            return
        if data is not None:
            self.data = data

    def _schedule_next(self, when: datetime) -> None:
        """Make the next refresh happen at ``when`` (jittered, never on a round half hour)."""
        now = dt_util.utcnow()
        when = avoid_round_times(when)
        self.next_fetch = when
        self.update_interval = max(when - now, timedelta(seconds=1))

    def _persist(self, data: DataT) -> None:
        if self._store is None:
            return
        snapshot = self._serialize(data)
        if snapshot is not None:
            self._cache_snapshot, self._cache_dirty = snapshot, True
            # Hand the store a ready snapshot: newer cores run the callback in the event loop.
            self._store.async_delay_save(self._saved_snapshot, 5)

    def _saved_snapshot(self) -> dict[str, Any]:
        self._cache_dirty = False
        return self._cache_snapshot

    async def async_shutdown(self) -> None:
        """Stop polling and write what is not saved yet, so a reload starts from it."""
        await super().async_shutdown()
        if self._store is not None and self._cache_dirty:
            await self._store.async_save(self._saved_snapshot())

    def _failed(self, err: OctopusError, retry_after: float | None = None) -> UpdateFailed:
        self._failures += 1
        delay = backoff_delay(self._failures, retry_after=retry_after)
        self._schedule_next(dt_util.utcnow() + delay)
        key = (
            "rate_limited"
            if isinstance(err, OctopusRateLimitError)
            else "api_unavailable"
            if isinstance(err, OctopusUnavailableError)
            else "update_failed"
        )
        failure = UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={"error": type(err).__name__},
        )
        # Honoured by Home Assistant 2025.12 and newer; harmless before.
        failure.retry_after = delay.total_seconds()  # type: ignore[attr-defined]
        return failure

    def _keep_previous(self, err: OctopusError, retry_after: float | None) -> DataT:
        """Fail without an ERROR line: what was fetched stays true; try again after a wait."""
        previous = self.data
        if previous is None:
            # Nothing to keep. Fail, but quietly: Home Assistant logs an ERROR only when a
            # coordinator goes from success to failure.
            self.last_update_success = False
            raise self._failed(err, retry_after) from err
        self._failures += 1
        delay = backoff_delay(self._failures, retry_after=retry_after)
        self._schedule_next(dt_util.utcnow() + delay)
        LOGGER.debug(
            "%s: %s; keeping the last data, next try in %s", self.name, type(err).__name__, delay
        )
        return previous

    def _outage(self, err: OctopusError) -> UpdateFailed:
        """The failure of a fetch, logged at ERROR once per outage, not once per try."""
        failure = self._failed(err)
        if self._outage_logged:
            # Home Assistant logs on a change from success to failure only; a fetch that
            # needed no request (a cache, a postponed poll) may have looked like a success.
            self.last_update_success = False
        elif not self.last_update_success:
            # A quiet failure came first (a rate limit with nothing cached): say it now.
            self.logger.error("Error fetching %s data: %s", self.name, failure)
        self._outage_logged = True
        return failure

    async def _async_update_data(self) -> DataT:
        previous = self.data
        sent = self.client.stats.total
        try:
            result = await self._async_fetch(previous, dt_util.utcnow())
        except OctopusAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except OctopusRateLimitError as err:
            # The client has already logged the pause once, at WARNING; the user can do
            # nothing about it.
            return self._keep_previous(err, err.retry_after)
        except OctopusQueryTooLargeError as err:
            if not self._too_large_warned:
                self._too_large_warned = True
                LOGGER.warning(
                    "The Octopus API refused the %s query as too large (%s); keeping the last "
                    "data and trying again later. If this repeats, please report it",
                    self.name,
                    err.code,
                )
            return self._keep_previous(err, None)
        except OctopusProductUnavailableError as err:
            raise self._failed(err, PRODUCT_RETRY.total_seconds()) from err
        except OctopusError as err:
            raise self._outage(err) from err
        if self.client.stats.total != sent:
            self._outage_logged = False  # the API answered: a later failure is a new outage
        self._failures = 0
        self._schedule_next(result.next_fetch)
        self._persist(result.data)
        return result.data
