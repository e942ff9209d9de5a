"""The config subentry flow that adds and edits cheapest-window binary sensors.

Two steps each way: the name, meter and kind of window first, then the window (``fixed`` local
times or ``rolling`` hours) with the search options. Reconfiguring walks the same steps with the
current values filled in.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TimeSelector,
)
import voluptuous as vol

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
    CONF_NAME,
    CONF_PREFER_LATEST,
    CONF_RE_EVALUATE,
    CONF_START,
    CONF_START_OFFSET,
    CONF_TARGET,
    CONF_WEIGHTING,
    CONF_WINDOW_TYPE,
    MAX_MINUTES_LEFT,
    MeterChoice,
    ReEvaluate,
    WindowType,
    fixed_window_length,
    is_half_hour_multiple,
    meter_for_choice,
    option_errors,
)
from .domain.cheapest import DurationMode, SearchMode, SearchTarget
from .meters import meters_from_entry_data

MAX_ROLLING_HOURS = 168  # a week
MAX_OFFSET_MINUTES = 720


def _select(options: list[str], translation_key: str) -> SelectSelector:
    return SelectSelector(
        SelectSelectorConfig(
            options=options, translation_key=translation_key, mode=SelectSelectorMode.DROPDOWN
        )
    )


def _hours(minimum: float, maximum: float) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=minimum, max=maximum, step=0.5, unit_of_measurement="h", mode=NumberSelectorMode.BOX
        )
    )


_PRICE = NumberSelector(
    NumberSelectorConfig(
        min=-10, max=10, step="any", unit_of_measurement="GBP/kWh", mode=NumberSelectorMode.BOX
    )
)

_OPTIONS_SCHEMA: dict[vol.Marker, Any] = {
    vol.Required(CONF_DURATION, default=1): _hours(0.5, MAX_ROLLING_HOURS),
    vol.Required(CONF_MODE, default=SearchMode.CONTINUOUS.value): _select(
        [mode.value for mode in SearchMode], "cheapest_mode"
    ),
    vol.Required(CONF_TARGET): _select(
        [target.value for target in SearchTarget], "cheapest_target"
    ),
    vol.Optional(CONF_MAX_PRICE): _PRICE,
    vol.Optional(CONF_MIN_PRICE): _PRICE,
    vol.Required(CONF_PREFER_LATEST, default=False): BooleanSelector(),
    vol.Required(CONF_START_OFFSET, default=0): NumberSelector(
        NumberSelectorConfig(
            min=-MAX_OFFSET_MINUTES,
            max=MAX_OFFSET_MINUTES,
            step=1,
            unit_of_measurement="min",
            mode=NumberSelectorMode.BOX,
        )
    ),
    vol.Required(CONF_ALLOW_PARTIAL, default=False): BooleanSelector(),
    vol.Required(CONF_DURATION_MODE, default=DurationMode.EXACT.value): _select(
        [mode.value for mode in DurationMode], "cheapest_duration_mode"
    ),
    vol.Optional(CONF_WEIGHTING): TextSelector(),
}


def _re_evaluate(default: ReEvaluate) -> dict[vol.Marker, Any]:
    choices = _select([rule.value for rule in ReEvaluate], "cheapest_re_evaluate")
    return {vol.Required(CONF_RE_EVALUATE, default=default.value): choices}


_WINDOW_SCHEMAS: dict[WindowType, dict[vol.Marker, Any]] = {
    WindowType.FIXED: {
        vol.Required(CONF_START, default="00:00:00"): TimeSelector(),
        vol.Required(CONF_END, default="07:00:00"): TimeSelector(),
        **_re_evaluate(ReEvaluate.BEFORE_START),
    },
    WindowType.ROLLING: {
        vol.Required(CONF_HOURS, default=24): _hours(0.5, MAX_ROLLING_HOURS),
        vol.Required(CONF_MIN_MINUTES_LEFT, default=0): NumberSelector(
            NumberSelectorConfig(
                min=0,
                max=MAX_MINUTES_LEFT,
                step=1,
                unit_of_measurement="min",
                mode=NumberSelectorMode.BOX,
            )
        ),
        **_re_evaluate(ReEvaluate.ALWAYS),
    },
}


def validate_window(data: dict[str, Any]) -> dict[str, str]:
    """Field errors (translation keys) of the window step's input; empty when it is valid."""
    errors: dict[str, str] = {}
    duration = timedelta(hours=float(data[CONF_DURATION]))
    if WindowType(data[CONF_WINDOW_TYPE]) is WindowType.FIXED:
        start, end = time.fromisoformat(data[CONF_START]), time.fromisoformat(data[CONF_END])
        for key, value in ((CONF_START, start), (CONF_END, end)):
            if value.minute % 30 or value.second:
                errors[key] = "time_not_half_hour"
        length = fixed_window_length(start, end)
    else:
        length = timedelta(hours=float(data[CONF_HOURS]))
        if not is_half_hour_multiple(length):
            errors[CONF_HOURS] = "hours_not_half_hours"
    if not is_half_hour_multiple(duration):
        errors[CONF_DURATION] = "duration_not_half_hours"
    elif duration > length:
        errors[CONF_DURATION] = "duration_longer_than_window"
    low, high = data.get(CONF_MIN_PRICE), data.get(CONF_MAX_PRICE)
    if low is not None and high is not None and float(low) > float(high):
        errors[CONF_MIN_PRICE] = "min_price_above_max_price"
    if CONF_DURATION not in errors:
        errors.update(option_errors(data))
    return errors


class CheapestWindowSubentryFlow(ConfigSubentryFlow):
    """Add or edit one cheapest-window binary sensor."""

    def __init__(self) -> None:
        """Start with nothing chosen."""
        self._data: dict[str, Any] = {}

    def _meter_choices(self) -> list[str]:
        """The kinds of meter this entry has."""
        meters = meters_from_entry_data(self._get_entry().data)
        return [
            choice.value for choice in MeterChoice if meter_for_choice(meters, choice) is not None
        ]

    def _first_schema(self) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_NAME): TextSelector(),
                vol.Required(CONF_METER): _select(self._meter_choices(), "meter"),
                vol.Required(CONF_WINDOW_TYPE, default=WindowType.FIXED.value): _select(
                    [kind.value for kind in WindowType], "cheapest_window_type"
                ),
            }
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Name, meter and kind of window of a new sensor."""
        if not self._meter_choices():
            return self.async_abort(reason="no_meters")
        if user_input is not None:
            self._data = dict(user_input)
            return await self._async_step_window()
        return self.async_show_form(step_id="user", data_schema=self._first_schema())

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Name, meter and kind of window of an existing sensor."""
        subentry = self._get_reconfigure_subentry()
        if user_input is not None:
            # Keep the other settings as defaults for the next step.
            self._data = {**subentry.data, **user_input}
            return await self._async_step_window()
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                self._first_schema(), {**subentry.data, CONF_NAME: subentry.title}
            ),
        )

    async def _async_step_window(self) -> SubentryFlowResult:
        if WindowType(self._data[CONF_WINDOW_TYPE]) is WindowType.FIXED:
            return await self.async_step_fixed()
        return await self.async_step_rolling()

    async def async_step_fixed(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Daily window between two local times (may run past midnight) and search options."""
        return await self._async_window_step(WindowType.FIXED, user_input)

    async def async_step_rolling(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Window of the next hours from now and search options."""
        return await self._async_window_step(WindowType.ROLLING, user_input)

    async def _async_window_step(
        self, kind: WindowType, user_input: dict[str, Any] | None
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        schema = vol.Schema({**_WINDOW_SCHEMAS[kind], **_OPTIONS_SCHEMA})
        if user_input is not None:
            data = {
                CONF_METER: self._data[CONF_METER],
                CONF_WINDOW_TYPE: kind.value,
                **user_input,
            }
            errors = validate_window(data)
            if not errors:
                return self._finish(self._data[CONF_NAME], data)
        defaults = {**self._data, **(user_input or {})}
        if CONF_TARGET not in defaults:
            export = self._data[CONF_METER] == MeterChoice.EXPORT
            most = SearchTarget.MOST_EXPENSIVE if export else SearchTarget.CHEAPEST
            defaults[CONF_TARGET] = most.value
        return self.async_show_form(
            step_id=kind.value,
            data_schema=self.add_suggested_values_to_schema(schema, defaults),
            errors=errors,
            description_placeholders={"name": self._data[CONF_NAME]},
        )

    def _finish(self, title: str, data: dict[str, Any]) -> SubentryFlowResult:
        if self.source == SOURCE_RECONFIGURE:
            return self.async_update_and_abort(
                self._get_entry(), self._get_reconfigure_subentry(), title=title, data=data
            )
        return self.async_create_entry(title=title, data=data)
