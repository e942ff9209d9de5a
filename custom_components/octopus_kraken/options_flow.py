"""Options: polling preferences, and each Economy 7 meter's night window.

Saving options reloads the entry (the update listener in ``__init__``), so every coordinator starts
again with the new values. The night-window step follows the preferences once for every meter
whose tariff has day and night registers.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    TimeSelector,
)
import voluptuous as vol

from .const import CONF_NIGHT_WINDOWS
from .domain.economy7 import NightWindow
from .entity import METER_NAMES
from .meters import MeterConfig
from .options import (
    NUMBER_OPTIONS,
    OPTIONS_DEFAULTS,
    SWITCH_OPTIONS,
    OctopusOptions,
    night_window_to,
)

NIGHT_START = "night_start"
NIGHT_END = "night_end"
NIGHT_CLOCK = "night_clock"
CLOCK_UTC, CLOCK_UK = "utc", "uk"


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


def _night_schema() -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(NIGHT_START): TimeSelector(),
            vol.Required(NIGHT_END): TimeSelector(),
            vol.Required(NIGHT_CLOCK): SelectSelector(
                SelectSelectorConfig(options=[CLOCK_UTC, CLOCK_UK], translation_key=NIGHT_CLOCK)
            ),
        }
    )


def night_window_errors(user_input: dict[str, Any]) -> tuple[NightWindow | None, dict[str, str]]:
    """The window a night-window form describes, or its errors (field -> translation key)."""
    try:
        start = time.fromisoformat(str(user_input[NIGHT_START]))
        end = time.fromisoformat(str(user_input[NIGHT_END]))
    except ValueError:
        return None, {"base": "night_window_malformed"}
    if start == end:
        return None, {"base": "night_window_empty"}
    try:
        window = NightWindow(start, end, uk_time=user_input[NIGHT_CLOCK] == CLOCK_UK)
    except ValueError:
        return None, {"base": "night_window_not_half_hours"}
    return window, {}


class OptionsFlowHandler(OptionsFlow):
    """The preferences form, then one night-window form per Economy 7 meter."""

    def __init__(self) -> None:
        """Nothing chosen yet."""
        self._options: dict[str, Any] = {}
        self._economy7: list[MeterConfig] = []

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the preferences; store them (whole numbers where the unit is counted)."""
        if user_input is not None:
            options = {**self.config_entry.options}
            for name, value in user_input.items():
                number = NUMBER_OPTIONS.get(name)
                options[name] = int(value) if number is not None and number.whole else value
            self._options = options
            self._economy7 = self._economy7_meters()
            return await self.async_step_economy7()
        current = {**OPTIONS_DEFAULTS, **self.config_entry.options}
        return self.async_show_form(
            step_id="init", data_schema=self.add_suggested_values_to_schema(_schema(), current)
        )

    async def async_step_economy7(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The night window of the next Economy 7 meter; save when none is left."""
        if not self._economy7:
            return self.async_create_entry(data=self._options)
        meter = self._economy7[0]
        errors: dict[str, str] = {}
        if user_input is not None:
            window, errors = night_window_errors(user_input)
            if window is not None:
                windows = dict(self._options.get(CONF_NIGHT_WINDOWS) or {})
                windows[meter.key] = night_window_to(window)
                self._options[CONF_NIGHT_WINDOWS] = windows
                self._economy7.pop(0)
                return await self.async_step_economy7()
        current = OctopusOptions.from_mapping(self._options).night_window(meter.key)
        suggested = user_input or {
            NIGHT_START: current.start.isoformat(),
            NIGHT_END: current.end.isoformat(),
            NIGHT_CLOCK: CLOCK_UK if current.uk_time else CLOCK_UTC,
        }
        return self.async_show_form(
            step_id="economy7",
            data_schema=self.add_suggested_values_to_schema(_night_schema(), suggested),
            errors=errors,
            description_placeholders={"meter": self._meter_name(meter)},
        )

    def _economy7_meters(self) -> list[MeterConfig]:
        """The entry's meters with a day/night tariff, as far as the loaded entry knows."""
        entry = self.config_entry
        if entry.state is not ConfigEntryState.LOADED:
            return []
        return [
            coordinator.meter
            for coordinator in entry.runtime_data.rates.values()
            if coordinator.data is not None
            and any(tariff.registers == 2 for tariff in coordinator.data.tariffs)
        ]

    def _meter_name(self, meter: MeterConfig) -> str:
        """The meter's device name and its Economy 7 tariff (nothing personal)."""
        coordinator = self.config_entry.runtime_data.rates[meter.key]
        codes = [] if coordinator.data is None else coordinator.data.tariffs
        code = next((t.tariff_code for t in codes if t.registers == 2), "")
        return f"{METER_NAMES[meter.kind]} ({code})"
