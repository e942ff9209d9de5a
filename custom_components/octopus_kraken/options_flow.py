"""Options: polling preferences a user may want to change after set-up.

Saving options reloads the entry (the update listener in ``__init__``), so every coordinator starts
again with the new values.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import voluptuous as vol

from .options import NUMBER_OPTIONS, OPTIONS_DEFAULTS, SWITCH_OPTIONS


def _schema() -> vol.Schema:
    fields: dict[Any, Any] = {vol.Required(name): BooleanSelector() for name in SWITCH_OPTIONS}
    for name, number in NUMBER_OPTIONS.items():
        fields[vol.Required(name)] = NumberSelector(
            NumberSelectorConfig(
                min=number.low,
                max=number.high,
                step=number.step,
                unit_of_measurement=number.unit,
                mode=NumberSelectorMode.BOX,
            )
        )
    return vol.Schema(fields)


class OptionsFlowHandler(OptionsFlow):
    """One form with every preference, pre-filled with the current values."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the preferences; store them (whole numbers where the unit is counted)."""
        if user_input is not None:
            options = {**self.config_entry.options}
            for name, value in user_input.items():
                number = NUMBER_OPTIONS.get(name)
                options[name] = int(value) if number is not None and number.whole else value
            return self.async_create_entry(data=options)
        current = {**OPTIONS_DEFAULTS, **self.config_entry.options}
        return self.async_show_form(
            step_id="init", data_schema=self.add_suggested_values_to_schema(_schema(), current)
        )
