"""The integration's actions, registered once in ``async_setup``.

- ``get_rates``: a meter's unit rates over any period, fetched when not cached;
- ``find_cheapest_window``: one cheapest-window search on demand.

Both take the account as ``config_entry_id`` (a config-entry selector) and the meter as ``meter``
(``import`` / ``export`` / ``gas``), and answer with response data only.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonValueType
import voluptuous as vol

from .api import OctopusError
from .cheapest_model import (
    CONF_ALLOW_PARTIAL,
    CONF_DURATION,
    CONF_DURATION_MODE,
    CONF_END,
    CONF_HOURS,
    CONF_MAX_PRICE,
    CONF_METER,
    CONF_MIN_MINUTES_LEFT,
    CONF_MIN_PRICE,
    CONF_MODE,
    CONF_PREFER_LATEST,
    CONF_START,
    CONF_START_OFFSET,
    CONF_TARGET,
    CONF_WEIGHTING,
    MAX_MINUTES_LEFT,
    MeterChoice,
    is_half_hour_multiple,
    option_errors,
    search_from_fields,
    search_window,
)
from .const import DOMAIN
from .coordinators.rates import RatesCoordinator
from .domain.cheapest import DurationMode, SearchMode, SearchTarget, rolling_window_bounds
from .domain.time import HALF_HOUR, LocalWindow, Period, floor_half_hour
from .domain.timeline import RateTimeline
from .rate_view import pounds
from .runtime import OctopusConfigEntry

SERVICE_GET_RATES = "get_rates"
SERVICE_FIND_CHEAPEST_WINDOW = "find_cheapest_window"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
MAX_RATES_SPAN = timedelta(days=31)

_ENTRY_AND_METER = {
    vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
    vol.Optional(CONF_METER, default=MeterChoice.IMPORT.value): vol.In(
        [choice.value for choice in MeterChoice]
    ),
}

GET_RATES_SCHEMA = vol.Schema(
    {
        **_ENTRY_AND_METER,
        vol.Required(CONF_START): cv.datetime,
        vol.Required(CONF_END): cv.datetime,
    }
)

_TIME_OR_DATETIME = vol.Any(cv.time, cv.datetime)

FIND_CHEAPEST_WINDOW_SCHEMA = vol.Schema(
    {
        **_ENTRY_AND_METER,
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
        vol.Optional(CONF_DURATION_MODE, default=DurationMode.EXACT.value): vol.In(
            [mode.value for mode in DurationMode]
        ),
        vol.Optional(CONF_WEIGHTING): cv.string,
        vol.Optional(CONF_MIN_MINUTES_LEFT, default=0): vol.All(
            vol.Coerce(int), vol.Range(min=0, max=MAX_MINUTES_LEFT)
        ),
    }
)


# --- shared by every action ---------------------------------------------------------------------


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _loaded_entry(hass: HomeAssistant, entry_id: str) -> OctopusConfigEntry:
    """The loaded entry the call names, or a translated refusal."""
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise _invalid("entry_not_found", entry_id=entry_id)
    if entry.state is not ConfigEntryState.LOADED:
        raise _invalid("entry_not_loaded", title=entry.title)
    return entry


def _rates_coordinator(entry: OctopusConfigEntry, choice: MeterChoice) -> RatesCoordinator:
    """The rates of the entry's first meter of the chosen kind that has rates."""
    runtime = entry.runtime_data
    for meter in runtime.meters:
        coordinator = runtime.rates.get(meter.key)
        if meter.kind is choice.meter_kind and coordinator is not None:
            return coordinator
    raise _invalid("meter_not_found", meter=choice.value, title=entry.title)


def _as_utc(value: datetime) -> datetime:
    """A datetime field in UTC; one without a zone is Home Assistant's local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_utc(value)


# --- get_rates ----------------------------------------------------------------------------------


async def _async_get_rates(call: ServiceCall) -> ServiceResponse:
    """A meter's half-hourly rates over ``[start, end)``."""
    start, end = _as_utc(call.data[CONF_START]), _as_utc(call.data[CONF_END])
    if end <= start:
        raise _invalid("end_before_start")
    if end - start > MAX_RATES_SPAN:
        raise _invalid("period_too_long", days=str(MAX_RATES_SPAN.days))
    entry = _loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    choice = MeterChoice(call.data[CONF_METER])
    coordinator = _rates_coordinator(entry, choice)
    try:
        rates, codes = await coordinator.async_rates_between(start, end)
    except OctopusError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="rates_unavailable",
            translation_placeholders={"error": type(err).__name__},
        ) from err
    items: list[JsonValueType] = [
        {
            "start": dt_util.as_local(rate.valid_from).isoformat(),
            "end": None if rate.valid_to is None else dt_util.as_local(rate.valid_to).isoformat(),
            "value_inc_vat": float(pounds(rate.value_inc_vat)),
            "value_exc_vat": float(pounds(rate.value_exc_vat)),
        }
        for rate in RateTimeline(rates).split_half_hours(start, end)
    ]
    return {
        "meter": choice.value,
        "tariff_codes": list[JsonValueType](codes),
        "tariff_code": codes[-1] if codes else None,
        "unit": "GBP/kWh",
        "rates": items,
    }


# --- find_cheapest_window -----------------------------------------------------------------------


def _window(data: dict[str, Any], now: datetime) -> tuple[Period, datetime | None]:
    """The window to search and where in it to start (times: not in the past of ``now``)."""
    start, end, hours = data.get(CONF_START), data.get(CONF_END), data.get(CONF_HOURS)
    if hours is not None:
        if start is not None or end is not None:
            raise _invalid("window_conflict")
        if hours <= 0:
            raise _invalid("window_end_before_start")
        min_left = timedelta(minutes=data[CONF_MIN_MINUTES_LEFT])
        return rolling_window_bounds(now, timedelta(hours=hours), min_left), None
    if start is None or end is None:
        raise _invalid("window_missing")
    if isinstance(start, datetime) and isinstance(end, datetime):
        window = (_as_utc(start), _as_utc(end))
        if window[1] <= window[0]:
            raise _invalid("window_end_before_start")
        return window, None
    if isinstance(start, datetime) or isinstance(end, datetime):
        raise _invalid("window_mixed")
    assert isinstance(start, time)
    assert isinstance(end, time)
    # Times: today's instance of the daily window (over midnight when end <= start), what is
    # left of it when it is already running.
    tz = dt_util.get_default_time_zone()
    first = floor_half_hour(now)
    if first + HALF_HOUR - now < timedelta(minutes=data[CONF_MIN_MINUTES_LEFT]):
        first += HALF_HOUR  # too little of the current slot is left for it to count
    return LocalWindow(start, end).instance_at(now, tz), first


def _check_search(data: dict[str, Any], window: Period) -> None:
    duration = timedelta(hours=data[CONF_DURATION])
    if not is_half_hour_multiple(duration):
        raise _invalid("duration_not_half_hours")
    if duration > window[1] - window[0]:
        raise _invalid("duration_longer_than_window")
    low, high = data.get(CONF_MIN_PRICE), data.get(CONF_MAX_PRICE)
    if low is not None and high is not None and low > high:
        raise _invalid("min_price_above_max_price")
    for key in option_errors(data).values():
        raise _invalid(key)


def _loaded_timeline(entry: OctopusConfigEntry, choice: MeterChoice) -> RateTimeline:
    prices = _rates_coordinator(entry, choice).prices
    timeline = None if prices is None else prices.timeline
    if timeline is None or not len(timeline):
        raise _invalid("rates_not_loaded", meter=choice.value)
    return timeline


async def _async_find_cheapest_window(call: ServiceCall) -> ServiceResponse:
    """Search the given window of an entry's rates and answer with the result."""
    data = dict(call.data)
    now = dt_util.utcnow()
    entry = _loaded_entry(call.hass, data[ATTR_CONFIG_ENTRY_ID])
    window, search_from = _window(data, now)
    _check_search(data, window)
    choice = MeterChoice(data[CONF_METER])
    timeline = _loaded_timeline(entry, choice)
    result = search_window(timeline, window, search_from_fields(data), now, search_from=search_from)
    shown = result.as_dict(now, dt_util.get_default_time_zone())
    return {
        "meter": choice.value,
        "window_start": shown["window_start"],
        "window_end": shown["window_end"],
        "slots": shown["target_times"],
        "periods": shown["periods"],
        "duration": shown["duration"],
        "total": shown["total_price"],
        "min": shown["min_price"],
        "max": shown["max_price"],
        "average": shown["average_price"],
        **{key: value for key, value in shown.items() if key.startswith(("current_", "next_"))},
        "complete": shown["complete"],
        "reason": shown["reason"],
    }


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action of the integration (response only)."""
    for name, handler, schema in (
        (SERVICE_GET_RATES, _async_get_rates, GET_RATES_SCHEMA),
        (SERVICE_FIND_CHEAPEST_WINDOW, _async_find_cheapest_window, FIND_CHEAPEST_WINDOW_SCHEMA),
    ):
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=SupportsResponse.ONLY
        )
