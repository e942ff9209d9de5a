"""Options: polling preferences a user may want to change after set-up.

Saving options reloads the entry (the update listener in ``__init__``), so every coordinator starts
again with the new values.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.const import UnitOfTime
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import voluptuous as vol

from .const import (
    CONF_BACKFILL_DAYS,
    CONF_CALORIFIC_VALUE,
    CONF_DISPATCH_INTERVAL,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
    CONF_TELEMETRY_INTERVAL,
    DEFAULT_BACKFILL_DAYS,
    DEFAULT_CALORIFIC_VALUE,
    DEFAULT_DISPATCH_INTERVAL,
    DEFAULT_HOME_MINI,
    DEFAULT_IMPORT_STATISTICS,
    DEFAULT_TELEMETRY_INTERVAL,
)
from .options import (
    BACKFILL_DAYS_RANGE,
    CALORIFIC_VALUE_RANGE,
    DISPATCH_INTERVAL_RANGE,
    TELEMETRY_INTERVAL_RANGE,
)

# name → (default, min, max, step, unit, stored as int)
_NUMBERS: Final[dict[str, tuple[float, float, float, float, str, bool]]] = {
    CONF_TELEMETRY_INTERVAL: (
        DEFAULT_TELEMETRY_INTERVAL,
        *TELEMETRY_INTERVAL_RANGE,
        1,
        UnitOfTime.SECONDS,
        True,
    ),
    CONF_BACKFILL_DAYS: (DEFAULT_BACKFILL_DAYS, *BACKFILL_DAYS_RANGE, 1, UnitOfTime.DAYS, True),
    CONF_CALORIFIC_VALUE: (DEFAULT_CALORIFIC_VALUE, *CALORIFIC_VALUE_RANGE, 0.1, "MJ/m³", False),
    CONF_DISPATCH_INTERVAL: (
        DEFAULT_DISPATCH_INTERVAL,
        *DISPATCH_INTERVAL_RANGE,
        1,
        UnitOfTime.SECONDS,
        True,
    ),
}
_SWITCHES: Final[dict[str, bool]] = {
    CONF_IMPORT_STATISTICS: DEFAULT_IMPORT_STATISTICS,
    CONF_HOME_MINI: DEFAULT_HOME_MINI,
}

OPTIONS_DEFAULTS: Final[dict[str, Any]] = {
    **_SWITCHES,
    **{name: spec[0] for name, spec in _NUMBERS.items()},
}


def _schema() -> vol.Schema:
    fields: dict[Any, Any] = {vol.Required(name): BooleanSelector() for name in _SWITCHES}
    for name, (_default, low, high, step, unit, _as_int) in _NUMBERS.items():
        fields[vol.Required(name)] = NumberSelector(
            NumberSelectorConfig(
                min=low, max=high, step=step, unit_of_measurement=unit, mode=NumberSelectorMode.BOX
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
                spec = _NUMBERS.get(name)
                options[name] = int(value) if spec is not None and spec[5] else value
            return self.async_create_entry(data=options)
        current = {**OPTIONS_DEFAULTS, **self.config_entry.options}
        return self.async_show_form(
            step_id="init", data_schema=self.add_suggested_values_to_schema(_schema(), current)
        )
