"""The config subentry flow that adds and edits cost trackers (one step each way)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import voluptuous as vol

from .cost_tracker_model import (
    CONF_ENTITY_ID,
    CONF_MONTH_DAY,
    CONF_NAME,
    CONF_WEEK_START,
    SUBENTRY_TYPE as COST_TRACKER,
    WEEKDAYS,
    energy_reading,
)
from .meters import MeterKind, meters_from_entry_data

__all__ = ["COST_TRACKER", "CostTrackerSubentryFlow"]

_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): TextSelector(),
        vol.Required(CONF_ENTITY_ID): EntitySelector(
            EntitySelectorConfig(domain="sensor", device_class=SensorDeviceClass.ENERGY)
        ),
        vol.Required(CONF_WEEK_START, default="monday"): SelectSelector(
            SelectSelectorConfig(
                options=list(WEEKDAYS),
                translation_key="week_start",
                mode=SelectSelectorMode.DROPDOWN,
            )
        ),
        vol.Required(CONF_MONTH_DAY, default=1): NumberSelector(
            NumberSelectorConfig(min=1, max=28, step=1, mode=NumberSelectorMode.BOX)
        ),
    }
)


class CostTrackerSubentryFlow(ConfigSubentryFlow):
    """Add or edit one cost tracker."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Name, energy sensor, week start and month reset day of a new tracker."""
        meters = meters_from_entry_data(self._get_entry().data)
        if not any(meter.kind is MeterKind.ELECTRICITY_IMPORT for meter in meters):
            return self.async_abort(reason="no_import_meter")
        return await self._async_form("user", user_input, {})

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The same settings of an existing tracker."""
        subentry = self._get_reconfigure_subentry()
        return await self._async_form(
            "reconfigure", user_input, {**subentry.data, CONF_NAME: subentry.title}
        )

    async def _async_form(
        self, step_id: str, user_input: dict[str, Any] | None, defaults: dict[str, Any]
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            if energy_reading(self.hass.states.get(user_input[CONF_ENTITY_ID])) is None:
                errors[CONF_ENTITY_ID] = "not_an_energy_total"
            else:
                data = {
                    CONF_ENTITY_ID: user_input[CONF_ENTITY_ID],
                    CONF_WEEK_START: user_input[CONF_WEEK_START],
                    CONF_MONTH_DAY: int(user_input[CONF_MONTH_DAY]),
                }
                title = user_input[CONF_NAME]
                if self.source == SOURCE_RECONFIGURE:
                    return self.async_update_and_abort(
                        self._get_entry(), self._get_reconfigure_subentry(), title=title, data=data
                    )
                return self.async_create_entry(title=title, data=data)
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                _SCHEMA, {**defaults, **(user_input or {})}
            ),
            errors=errors,
        )
