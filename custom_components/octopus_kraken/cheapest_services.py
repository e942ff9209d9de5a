"""The ``find_cheapest_window`` action: one search on demand, answered as response data."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .cheapest_model import (
    CONF_ALLOW_PARTIAL,
    CONF_DURATION,
    CONF_END,
    CONF_HOURS,
    CONF_MAX_PRICE,
    CONF_MIN_PRICE,
    CONF_MODE,
    CONF_PREFER_LATEST,
    CONF_RATE,
    CONF_START,
    CONF_START_OFFSET,
    CONF_TARGET,
    RateChoice,
    is_half_hour_multiple,
    meter_for_rate,
    search_from_fields,
    search_window,
)
from .const import DOMAIN
from .domain.cheapest import SearchMode, SearchTarget
from .domain.time import LocalWindow, Period, floor_half_hour
from .domain.timeline import RateTimeline
from .runtime import OctopusConfigEntry

SERVICE_FIND_CHEAPEST_WINDOW = "find_cheapest_window"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"

_TIME_OR_DATETIME = vol.Any(cv.time, cv.datetime)

FIND_CHEAPEST_WINDOW_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(CONF_RATE, default=RateChoice.IMPORT.value): vol.In(
            [rate.value for rate in RateChoice]
        ),
        vol.Optional(CONF_START): _TIME_OR_DATETIME,
        vol.Optional(CONF_END): _TIME_OR_DATETIME,
        vol.Optional(CONF_HOURS): vol.Coerce(float),
        vol.Required(CONF_DURATION): vol.Coerce(float),
        vol.Optional(CONF_MODE, default=SearchMode.CONTINUOUS.value): vol.In(
            [mode.value for mode in SearchMode]
        ),
        vol.Optional(CONF_TARGET, default=SearchTarget.CHEAPEST.value): vol.In(
            [target.value for target in SearchTarget]
        ),
        vol.Optional(CONF_MAX_PRICE): vol.Coerce(float),
        vol.Optional(CONF_MIN_PRICE): vol.Coerce(float),
        vol.Optional(CONF_PREFER_LATEST, default=False): cv.boolean,
        vol.Optional(CONF_START_OFFSET, default=0): vol.Coerce(float),
        vol.Optional(CONF_ALLOW_PARTIAL, default=False): cv.boolean,
    }
)


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _loaded_entry(hass: HomeAssistant, entry_id: str) -> OctopusConfigEntry:
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise _invalid("entry_not_found", entry_id=entry_id)
    if entry.state is not ConfigEntryState.LOADED:
        raise _invalid("entry_not_loaded", title=entry.title)
    return entry


def _as_utc(value: datetime, tz: tzinfo) -> datetime:
    """A service datetime in UTC; one without a zone is a local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return dt_util.as_utc(value)


def _window(data: dict[str, Any], now: datetime, tz: tzinfo) -> tuple[Period, datetime | None]:
    """The window to search and where in it to start (times: not in the past of ``now``)."""
    start, end, hours = data.get(CONF_START), data.get(CONF_END), data.get(CONF_HOURS)
    if hours is not None:
        if start is not None or end is not None:
            raise _invalid("window_conflict")
        if hours <= 0:
            raise _invalid("window_end_before_start")
        first = floor_half_hour(now)
        return (first, first + timedelta(hours=hours)), None
    if start is None or end is None:
        raise _invalid("window_missing")
    if isinstance(start, datetime) and isinstance(end, datetime):
        window = (_as_utc(start, tz), _as_utc(end, tz))
        if window[1] <= window[0]:
            raise _invalid("window_end_before_start")
        return window, None
    if isinstance(start, datetime) or isinstance(end, datetime):
        raise _invalid("window_mixed")
    assert isinstance(start, time)
    assert isinstance(end, time)
    # Times: today's instance of the daily window (over midnight when end <= start), what is
    # left of it when it is already running.
    return LocalWindow(start, end).instance_at(now, tz), floor_half_hour(now)


def _check_search(data: dict[str, Any], window: Period) -> None:
    duration = timedelta(hours=data[CONF_DURATION])
    if not is_half_hour_multiple(duration):
        raise _invalid("duration_not_half_hours")
    if duration > window[1] - window[0]:
        raise _invalid("duration_longer_than_window")
    low, high = data.get(CONF_MIN_PRICE), data.get(CONF_MAX_PRICE)
    if low is not None and high is not None and low > high:
        raise _invalid("min_price_above_max_price")


def _timeline(entry: OctopusConfigEntry, rate: RateChoice) -> RateTimeline:
    meter = meter_for_rate(entry.runtime_data.meters, rate)
    if meter is None:
        raise _invalid("no_meter_for_rate", rate=rate.value)
    coordinator = entry.runtime_data.rates.get(meter.key)
    timeline: RateTimeline | None = None if coordinator is None else coordinator.timeline
    if timeline is None or not len(timeline):
        raise _invalid("rates_not_loaded", rate=rate.value)
    return timeline


async def _async_find_cheapest_window(call: ServiceCall) -> ServiceResponse:
    """Search the given window of an entry's rates and answer with the result."""
    hass = call.hass
    data = dict(call.data)
    now = dt_util.utcnow()
    tz = dt_util.get_default_time_zone()
    entry = _loaded_entry(hass, data[ATTR_CONFIG_ENTRY_ID])
    window, search_from = _window(data, now, tz)
    _check_search(data, window)
    timeline = _timeline(entry, RateChoice(data[CONF_RATE]))
    result = search_window(timeline, window, search_from_fields(data), now, search_from=search_from)
    shown = result.as_dict(now, tz)
    return {
        "window_start": shown["window_start"],
        "window_end": shown["window_end"],
        "slots": shown["target_times"],
        "periods": shown["periods"],
        "total": shown["total_price"],
        "average": shown["average_price"],
        "next_start": shown["next_start"],
        "next_end": shown["next_end"],
        "complete": shown["complete"],
        "reason": shown["reason"],
    }


def async_setup_cheapest_services(hass: HomeAssistant) -> None:
    """Register ``find_cheapest_window`` (response only)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_FIND_CHEAPEST_WINDOW,
        _async_find_cheapest_window,
        schema=FIND_CHEAPEST_WINDOW_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
