"""Set-up from the UI: key, account, meters (discovered or typed in), reauth, reconfigure, options.

Steps a user sees when adding the integration:
``user`` (key and API URL) → ``account`` (only when the key sees several) → ``meters`` (every
discovered meter and SmartFlex device, pre-selected) → optionally ``manual`` (meters typed in).
A key that lists no account goes straight to ``manual``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
)
from homeassistant.const import CONF_API_KEY
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .api import Account, OctopusAuthError, OctopusClient, OctopusNotFoundError, SmartFlexDevice
from .cheapest_model import SUBENTRY_TYPE
from .comparison_flow import TariffComparisonSubentryFlow
from .comparison_model import SUBENTRY_TYPE as TARIFF_COMPARISON
from .const import (
    CONF_ACCOUNT_NUMBER,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_MPAN,
    CONF_MPRN,
    CONF_URL,
    DEFAULT_URL,
    DOMAIN,
)
from .cost_tracker_flow import COST_TRACKER, CostTrackerSubentryFlow
from .discovery import account_title
from .flow_helpers import (
    CONF_ADD_MANUAL,
    CONF_ELECTRICITY_SERIAL,
    CONF_ELECTRICITY_TARIFF,
    CONF_EXPORT_MPAN,
    CONF_EXPORT_SERIAL,
    CONF_EXPORT_TARIFF,
    CONF_GAS_SERIAL,
    CONF_GAS_TARIFF,
    FlowError,
    MeterCatalogue,
    build_catalogue,
    checked,
    checked_base_url,
    key_sees_account,
    merge_meters,
    meters_schema,
    normalise_account_number,
    parse_manual_meters,
)
from .migration import CURRENT_MINOR_VERSION, CURRENT_VERSION
from .options_flow import OptionsFlowHandler
from .subentry_flow import CheapestWindowSubentryFlow

_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
_TEXT = TextSelector()

_MANUAL_METER_FIELDS = (
    CONF_MPAN,
    CONF_ELECTRICITY_SERIAL,
    CONF_ELECTRICITY_TARIFF,
    CONF_EXPORT_MPAN,
    CONF_EXPORT_SERIAL,
    CONF_EXPORT_TARIFF,
    CONF_MPRN,
    CONF_GAS_SERIAL,
    CONF_GAS_TARIFF,
)


class OctopusKrakenConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add an Octopus account: one config entry per account."""

    VERSION = CURRENT_VERSION
    MINOR_VERSION = CURRENT_MINOR_VERSION

    def __init__(self) -> None:
        """Start with nothing known."""
        self._api_key = ""
        self._url = DEFAULT_URL
        self._candidates: list[str] = []
        self._account_number: str | None = None
        self._account: Account | None = None
        self._catalogue: MeterCatalogue | None = None
        self._chosen: dict[str, list[Any]] = {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlowHandler:
        """Polling preferences; the handler reads ``self.config_entry`` itself."""
        return OptionsFlowHandler()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Cheapest windows, cost trackers and tariff comparisons are subentries of the account."""
        return {
            SUBENTRY_TYPE: CheapestWindowSubentryFlow,
            COST_TRACKER: CostTrackerSubentryFlow,
            TARIFF_COMPARISON: TariffComparisonSubentryFlow,
        }

    def _client(self) -> OctopusClient:
        return OctopusClient(async_get_clientsession(self.hass), self._api_key, base_url=self._url)

    # --- user: the key ----------------------------------------------------------------------------

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the API key and base URL; check them at once."""
        errors: dict[str, str] = {}
        if user_input is not None:
            self._api_key = user_input[CONF_API_KEY].strip()
            try:
                self._url = checked_base_url(user_input.get(CONF_URL, DEFAULT_URL))
            except FlowError as err:
                errors[CONF_URL] = err.key
            else:
                try:
                    return await self._async_after_key()
                except FlowError as err:
                    errors["base"] = err.key
        schema = vol.Schema(
            {
                vol.Required(CONF_API_KEY): _PASSWORD,
                vol.Required(CONF_URL, default=DEFAULT_URL): _URL,
            }
        )
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(
                schema, {CONF_URL: user_input.get(CONF_URL)}
            )
        return self.async_show_form(step_id="user", data_schema=schema, errors=errors)

    async def _async_after_key(self) -> ConfigFlowResult:
        numbers = await checked(self._client().async_get_account_numbers())
        if not numbers:
            return await self.async_step_manual()
        configured = self._async_current_ids(include_ignore=False)
        self._candidates = [number for number in numbers if number not in configured]
        if not self._candidates:
            return self.async_abort(reason="already_configured")
        if len(self._candidates) == 1:
            return await self._async_use_account(self._candidates[0])
        return await self.async_step_account()

    # --- account: which one -----------------------------------------------------------------------

    async def async_step_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user pick one of the accounts the key sees."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                return await self._async_use_account(user_input[CONF_ACCOUNT_NUMBER])
            except FlowError as err:
                errors["base"] = err.key
        schema = vol.Schema(
            {
                vol.Required(CONF_ACCOUNT_NUMBER, default=self._candidates[0]): SelectSelector(
                    SelectSelectorConfig(options=self._candidates, mode=SelectSelectorMode.LIST)
                )
            }
        )
        return self.async_show_form(step_id="account", data_schema=schema, errors=errors)

    async def _async_use_account(self, number: str) -> ConfigFlowResult:
        await self.async_set_unique_id(number)
        self._abort_if_unique_id_configured(reload_on_update=False)
        await self._async_discover(number, configured=None)
        if self._catalogue is None or self._catalogue.is_empty:
            return await self.async_step_manual()
        return await self.async_step_meters()

    async def _async_discover(self, number: str, configured: Mapping[str, Any] | None) -> None:
        client = self._client()
        account = await checked(client.async_get_account(number))
        devices: list[SmartFlexDevice] = await checked(client.async_get_devices(number))
        self._account_number = number
        self._account = account
        self._catalogue = build_catalogue(account, devices, configured)

    # --- meters: what to follow -------------------------------------------------------------------

    async def async_step_meters(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Offer every discovered meter and device, pre-selected; the user may untick any."""
        catalogue = self._catalogue
        assert catalogue is not None  # set by discovery before this step is reached
        errors: dict[str, str] = {}
        if user_input is not None:
            self._chosen = {
                CONF_ELECTRICITY_METERS: [
                    catalogue.electricity[key]
                    for key in user_input.get(CONF_ELECTRICITY_METERS, [])
                ],
                CONF_GAS_METERS: [
                    catalogue.gas[key] for key in user_input.get(CONF_GAS_METERS, [])
                ],
                CONF_DEVICES: list(user_input.get(CONF_DEVICES, [])),
            }
            if user_input.get(CONF_ADD_MANUAL):
                return await self.async_step_manual()
            if any(self._chosen.values()):
                return await self._async_finish()
            errors["base"] = "nothing_selected"
        configured = (
            self._get_reconfigure_entry().data if self.source == SOURCE_RECONFIGURE else None
        )
        schema = meters_schema(catalogue, configured)
        return self.async_show_form(step_id="meters", data_schema=schema, errors=errors)

    # --- manual: meters the key cannot list -------------------------------------------------------

    async def async_step_manual(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Type in the account number (if unknown), MPAN/MPRN, serials and optional tariff codes."""
        errors: dict[str, str] = {}
        ask_account = self._account_number is None
        if user_input is not None:
            typed = parse_manual_meters(user_input)
            errors.update(typed.errors)
            number = self._account_number
            if ask_account:
                number = normalise_account_number(user_input.get(CONF_ACCOUNT_NUMBER, ""))
                if number is None:
                    errors[CONF_ACCOUNT_NUMBER] = "invalid_account_number"
            if not errors and not (typed.electricity or typed.gas or any(self._chosen.values())):
                errors["base"] = "nothing_selected"
            if not errors and number is not None:
                try:
                    if ask_account:
                        await self._async_check_manual_account(number)
                    self._chosen = {
                        CONF_ELECTRICITY_METERS: merge_meters(
                            self._chosen.get(CONF_ELECTRICITY_METERS, []), typed.electricity
                        ),
                        CONF_GAS_METERS: merge_meters(
                            self._chosen.get(CONF_GAS_METERS, []), typed.gas
                        ),
                        CONF_DEVICES: self._chosen.get(CONF_DEVICES, []),
                    }
                    return await self._async_finish()
                except FlowError as err:
                    field = CONF_ACCOUNT_NUMBER if err.key == "account_not_found" else "base"
                    errors[field] = err.key
        fields: dict[Any, Any] = {}
        if ask_account:
            fields[vol.Required(CONF_ACCOUNT_NUMBER)] = _TEXT
        for name in _MANUAL_METER_FIELDS:
            fields[vol.Optional(name)] = _TEXT
        schema = vol.Schema(fields)
        if user_input is not None:
            # Keep what was typed, so one wrong field does not cost the others.
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id="manual", data_schema=schema, errors=errors)

    async def _async_check_manual_account(self, number: str) -> None:
        """The key must be able to read the account: the integration reads it on every start."""
        await self.async_set_unique_id(number)
        self._abort_if_unique_id_configured(reload_on_update=False)
        try:
            self._account = await checked(self._client().async_get_account(number))
        except FlowError as err:
            if isinstance(err.__cause__, OctopusAuthError | OctopusNotFoundError):
                raise FlowError("account_not_found") from err
            raise
        self._account_number = number

    # --- the end of every path --------------------------------------------------------------------

    async def _async_finish(self) -> ConfigFlowResult:
        assert self._account_number is not None
        data = {
            CONF_API_KEY: self._api_key,
            CONF_URL: self._url,
            CONF_ACCOUNT_NUMBER: self._account_number,
            CONF_ELECTRICITY_METERS: self._chosen.get(CONF_ELECTRICITY_METERS, []),
            CONF_GAS_METERS: self._chosen.get(CONF_GAS_METERS, []),
            CONF_DEVICES: self._chosen.get(CONF_DEVICES, []),
        }
        assert self._account is not None  # every path reads the account before finishing
        title = account_title(self._account)
        if self.source == SOURCE_RECONFIGURE:
            entry = self._get_reconfigure_entry()
            return self._async_update_and_finish(entry, data, "reconfigure_successful", title)
        return self.async_create_entry(title=title, data=data)

    def _async_update_and_finish(
        self, entry: ConfigEntry, data: Mapping[str, Any], reason: str, title: str | None = None
    ) -> ConfigFlowResult:
        """Store the new data and make sure the entry restarts with it, then close the flow.

        A loaded entry reloads through its update listener when the data changed; an entry that
        is not loaded (failed authentication) or did not change needs the reload scheduled here.
        """
        changed = self.hass.config_entries.async_update_entry(
            entry, data=data, title=title or entry.title
        )
        if not changed or entry.state is not ConfigEntryState.LOADED:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason=reason)

    # --- reauth: a new key for the same account ---------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The key stopped working: ask for a new one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask only for the new key; it must belong to the same account."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            self._api_key = user_input[CONF_API_KEY].strip()
            self._url = entry.data.get(CONF_URL, DEFAULT_URL)
            try:
                sees = await key_sees_account(self._client(), entry.data[CONF_ACCOUNT_NUMBER])
            except FlowError as err:
                errors["base"] = err.key
            else:
                if not sees:
                    return self.async_abort(reason="wrong_account")
                data = {**entry.data, CONF_API_KEY: self._api_key}
                return self._async_update_and_finish(entry, data, "reauth_successful")
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_API_KEY): _PASSWORD}),
            errors=errors,
            description_placeholders={"title": entry.title},
        )

    # --- reconfigure: key, URL and meters of an existing entry ------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the key or URL (same account), then the meter selection."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            # An empty key field keeps the current key: it is never sent back to the browser.
            self._api_key = (user_input.get(CONF_API_KEY) or "").strip() or entry.data[CONF_API_KEY]
            try:
                self._url = checked_base_url(user_input.get(CONF_URL, DEFAULT_URL))
            except FlowError as err:
                errors[CONF_URL] = err.key
            else:
                number = entry.data[CONF_ACCOUNT_NUMBER]
                try:
                    if not await key_sees_account(self._client(), number):
                        return self.async_abort(reason="wrong_account")
                    await self._async_discover(number, configured=entry.data)
                except FlowError as err:
                    errors["base"] = err.key
                else:
                    self._chosen = {}
                    assert self._catalogue is not None
                    if self._catalogue.is_empty:
                        return await self.async_step_manual()
                    return await self.async_step_meters()
        schema = vol.Schema(
            {
                vol.Optional(CONF_API_KEY): _PASSWORD,
                vol.Required(CONF_URL, default=entry.data.get(CONF_URL, DEFAULT_URL)): _URL,
            }
        )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=schema,
            errors=errors,
            description_placeholders={"title": entry.title},
        )
