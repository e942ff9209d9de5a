"""The ``octopus_kraken.get_rates`` action: a meter's unit rates over any period."""

from __future__ import annotations

from datetime import datetime, timedelta

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
from .const import DOMAIN
from .coordinators.rates import RatesCoordinator
from .domain.timeline import RateTimeline
from .rate_view import pounds

SERVICE_GET_RATES = "get_rates"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_METER = "meter"
ATTR_START = "start"
ATTR_END = "end"
MAX_SPAN = timedelta(days=31)
# What users pick -> ``MeterConfig.kind``.
METER_KINDS = {
    "import": "electricity_import",
    "export": "electricity_export",
    "gas": "gas",
}

GET_RATES_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_METER, default="import"): cv.string,
        vol.Required(ATTR_START): cv.datetime,
        vol.Required(ATTR_END): cv.datetime,
    }
)


def _aware(value: datetime) -> datetime:
    """Times without a zone are Home Assistant's local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_utc(value)


def _coordinator(hass: HomeAssistant, entry_id: str, meter: str) -> RatesCoordinator:
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"title": entry.title},
        )
    kind = METER_KINDS.get(meter)
    if kind is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_meter",
            translation_placeholders={"meter": meter, "choices": ", ".join(METER_KINDS)},
        )
    for coordinator in entry.runtime_data.rates.values():
        if isinstance(coordinator, RatesCoordinator) and coordinator.meter.kind == kind:
            return coordinator
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="meter_not_found",
        translation_placeholders={"meter": meter, "title": entry.title},
    )


async def _async_get_rates(call: ServiceCall) -> ServiceResponse:
    start, end = _aware(call.data[ATTR_START]), _aware(call.data[ATTR_END])
    if end <= start:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="end_before_start")
    if end - start > MAX_SPAN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="period_too_long",
            translation_placeholders={"days": str(MAX_SPAN.days)},
        )
    coordinator = _coordinator(call.hass, call.data[ATTR_CONFIG_ENTRY_ID], call.data[ATTR_METER])
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
        "meter": coordinator.meter.kind,
        "tariff_codes": list[JsonValueType](codes),
        "tariff_code": codes[-1] if codes else None,
        "unit": "GBP/kWh",
        "rates": items,
    }


@callback
def async_setup_rate_services(hass: HomeAssistant) -> None:
    """Register ``get_rates``."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_RATES,
        _async_get_rates,
        schema=GET_RATES_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
