"""The config subentry flow that adds and edits tariff comparisons.

Three steps each way: the name and meter; a product from the REST product listing (export
products for an export meter, the others for import and gas); a tariff of that product in the
meter's region (the GSP group of the MPAN's meter point; for gas, the electricity meter's or the
region of the gas tariff), checked against the product's own tariff list.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntryState,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .api import Fuel, OctopusClient, OctopusError, ProductTariff
from .comparison_model import (
    CONF_METER,
    CONF_NAME,
    CONF_PRODUCT,
    CONF_TARIFF,
    compared_meter,
    meter_choices,
)
from .domain.tariff_codes import InvalidTariffCodeError, is_export_product, parse_tariff_code
from .meters import MeterConfig, agreement_at, agreements_for, meters_from_entry_data

__all__ = ["TariffComparisonSubentryFlow"]


def _dropdown(
    options: list[SelectOptionDict] | list[str], key: str | None = None
) -> SelectSelector:
    config = SelectSelectorConfig(options=options, mode=SelectSelectorMode.DROPDOWN)
    if key is not None:
        config["translation_key"] = key
    return SelectSelector(config)


class TariffComparisonSubentryFlow(ConfigSubentryFlow):
    """Add or edit one tariff comparison."""

    def __init__(self) -> None:
        """Start with nothing chosen."""
        self._data: dict[str, Any] = {}
        self._region: str | None = None
        self._products: dict[str, str] = {}
        self._tariffs: list[ProductTariff] = []

    # --- step 1: name and meter ---------------------------------------------------------------

    def _meters(self) -> tuple[MeterConfig, ...]:
        return meters_from_entry_data(self._get_entry().data)

    def _first_schema(self) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_NAME): TextSelector(),
                vol.Required(CONF_METER): _dropdown(meter_choices(self._meters()), "meter"),
            }
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Name and meter of a new comparison."""
        if not meter_choices(self._meters()):
            return self.async_abort(reason="no_meters")
        if self._get_entry().state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_not_loaded")
        if user_input is not None:
            self._data = dict(user_input)
            return await self.async_step_product()
        return self.async_show_form(step_id="user", data_schema=self._first_schema())

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Name and meter of an existing comparison."""
        subentry = self._get_reconfigure_subentry()
        if self._get_entry().state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_not_loaded")
        if user_input is not None:
            self._data = {**subentry.data, **user_input}
            return await self.async_step_product()
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                self._first_schema(), {**subentry.data, CONF_NAME: subentry.title}
            ),
        )

    # --- step 2: the product ------------------------------------------------------------------

    def _client(self) -> OctopusClient:
        return self._get_entry().runtime_data.client  # type: ignore[no-any-return]

    async def _async_region(self, meter: MeterConfig) -> str | None:
        """The meter's GSP group ("_C"): the MPAN's meter point; for gas see the module doc."""
        electricity = meter if meter.fuel is Fuel.ELECTRICITY else None
        if electricity is None:
            electricity = next((m for m in self._meters() if m.fuel is Fuel.ELECTRICITY), None)
        if electricity is not None:
            point = await self._client().async_get_electricity_meter_point(electricity.mpxn)
            if point.gsp:
                return point.gsp
        account = self._get_entry().runtime_data.account.data
        agreement = agreement_at(
            agreements_for(account.account if account else None, meter), dt_util.utcnow()
        )
        code = agreement.tariff.tariff_code if agreement else meter.tariff_code
        try:
            return parse_tariff_code(code).region if code else None
        except InvalidTariffCodeError:
            return None

    async def async_step_product(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """A product on offer of the meter's kind."""
        errors: dict[str, str] = {}
        meter = compared_meter(self._meters(), self._data)
        if meter is None:
            return self.async_abort(reason="no_meters")
        if not self._products:
            try:
                self._region = await self._async_region(meter)
                products = await self._client().async_get_products(is_business=False)
            except OctopusError:
                return self.async_abort(reason="cannot_connect")
            if self._region is None:
                return self.async_abort(reason="region_unknown")
            self._products = {
                p.code: f"{p.display_name} ({p.code})"
                for p in sorted(products, key=lambda p: (p.display_name, p.code))
                if is_export_product(p.code) == meter.is_export
            }
        if user_input is not None:
            code = user_input[CONF_PRODUCT]
            try:
                detail = await self._client().async_get_product(code)
            except OctopusError:
                errors["base"] = "cannot_connect"
            else:
                self._tariffs = [
                    t for t in detail.tariffs if t.fuel is meter.fuel and t.region == self._region
                ]
                if self._tariffs:
                    self._data[CONF_PRODUCT] = code
                    return await self.async_step_tariff()
                errors[CONF_PRODUCT] = "no_tariff_in_region"
        options = [SelectOptionDict(value=c, label=label) for c, label in self._products.items()]
        schema = vol.Schema({vol.Required(CONF_PRODUCT): _dropdown(options)})
        return self.async_show_form(
            step_id="product",
            data_schema=self.add_suggested_values_to_schema(
                schema, {**self._data, **(user_input or {})}
            ),
            errors=errors,
            description_placeholders={"region": (self._region or "").removeprefix("_")},
        )

    # --- step 3: the tariff -------------------------------------------------------------------

    async def async_step_tariff(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """One of the product's tariffs in the region (payment method, registers)."""
        errors: dict[str, str] = {}
        codes = {t.tariff_code for t in self._tariffs}
        if user_input is not None:
            if user_input[CONF_TARIFF] in codes:
                data = {
                    CONF_METER: self._data[CONF_METER],
                    CONF_PRODUCT: self._data[CONF_PRODUCT],
                    CONF_TARIFF: user_input[CONF_TARIFF],
                }
                title = self._data[CONF_NAME]
                if self.source == SOURCE_RECONFIGURE:
                    return self.async_update_and_abort(
                        self._get_entry(), self._get_reconfigure_subentry(), title=title, data=data
                    )
                return self.async_create_entry(title=title, data=data)
            errors[CONF_TARIFF] = "invalid_tariff"
        options = [
            SelectOptionDict(
                value=t.tariff_code,
                label=f"{t.tariff_code} ({t.payment_method.replace('_', ' ')})",
            )
            for t in sorted(self._tariffs, key=lambda t: (t.tariff_code, t.payment_method))
        ]
        # One code may be listed under several payment methods: offer it once.
        unique = list({o["value"]: o for o in options}.values())
        schema = vol.Schema({vol.Required(CONF_TARIFF): _dropdown(unique)})
        defaults = {CONF_TARIFF: self._data.get(CONF_TARIFF) or unique[0]["value"]}
        return self.async_show_form(
            step_id="tariff",
            data_schema=self.add_suggested_values_to_schema(schema, defaults),
            errors=errors,
        )
