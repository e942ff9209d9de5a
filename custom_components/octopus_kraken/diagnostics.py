"""Diagnostics: the entry, its options and what each coordinator holds, with nothing personal in it.

Redaction happens twice. ``async_redact_data`` blanks the fields known to be personal; then every
personal string found anywhere (the key, the account number, meter points, serials, device ids,
addresses, postcodes, names) is scrubbed from the whole output, because such values also hide
inside other strings: unique ids, cache keys, titles, error messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any, Protocol

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant

from .codec import to_json
from .const import (
    CONF_ACCOUNT_NUMBER,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_MPAN,
    CONF_MPRN,
    CONF_SERIAL,
)
from .runtime import OctopusConfigEntry

REDACTED = "**REDACTED**"
# Field names whose values are personal wherever they appear.
TO_REDACT = {
    CONF_API_KEY,
    "token",
    "refresh_token",
    "access_token",
    CONF_ACCOUNT_NUMBER,
    "number",
    CONF_MPAN,
    CONF_MPRN,
    "mpxn",
    CONF_SERIAL,
    "serial",
    "id",
    "device_id",
    "import_device_id",
    "export_device_id",
    CONF_DEVICES,
    "address_line_1",
    "postcode",
    "name",
    "title",
    "unique_id",
}
# Field names whose string values are collected and scrubbed from the whole output.
_SECRET_FIELDS = TO_REDACT - {"title", "unique_id", CONF_DEVICES}
# Shorter values would scrub ordinary words and numbers; no personal value is that short.
_MIN_SECRET_LENGTH = 4


def _collect_secrets(value: Any, found: set[str]) -> None:
    """Every string held under a personal field name, at any depth, in dataclasses too."""
    if is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in _SECRET_FIELDS:
                _add_strings(item, found)
            _collect_secrets(item, found)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _collect_secrets(item, found)


def _add_strings(value: Any, found: set[str]) -> None:
    if isinstance(value, str):
        if len(value.strip()) >= _MIN_SECRET_LENGTH:
            found.add(value.strip())
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _add_strings(item, found)


def _scrub(value: Any, secrets: list[str]) -> Any:
    """Replace every occurrence of every secret, in keys and values, longest first."""
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, Mapping):
        return {_scrub(str(key), secrets): _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item, secrets) for item in value]
    return value


def _jsonable(value: Any) -> Any:
    """JSON-ready data: the codec for dataclasses, then a string for anything it leaves alone."""
    encoded = to_json(value)
    if isinstance(encoded, Mapping):
        return {str(key): _jsonable(item) for key, item in encoded.items()}
    if isinstance(encoded, list):
        return [_jsonable(item) for item in encoded]
    if encoded is None or isinstance(encoded, str | int | float | bool):
        return encoded
    return str(encoded)


class _Coordinator(Protocol):
    """What diagnostics read of any of our coordinators."""

    last_update_success: bool
    next_fetch: datetime | None

    @property
    def data(self) -> object:
        """The coordinator's data (None before the first fetch)."""


def _coordinator_summary(coordinator: _Coordinator) -> dict[str, Any]:
    """Health and data of one coordinator."""
    next_fetch = coordinator.next_fetch
    data = coordinator.data
    return {
        "last_update_success": coordinator.last_update_success,
        "next_fetch": next_fetch.isoformat() if next_fetch is not None else None,
        "data": _jsonable(data) if data is not None else None,
    }


def _runtime_summary(entry: OctopusConfigEntry) -> dict[str, Any] | None:
    if entry.state is not ConfigEntryState.LOADED:
        return None
    runtime = entry.runtime_data
    groups: tuple[tuple[str, Mapping[str, _Coordinator]], ...] = (
        ("rates", runtime.rates),
        ("consumption", runtime.consumption),
        ("dispatch", {"smartflex": runtime.smartflex}),
        ("telemetry", runtime.telemetry),
        ("heat_pump", {"heat_pump": runtime.heat_pump} if runtime.heat_pump else {}),
    )
    return {
        "meters": [_jsonable(meter) for meter in runtime.meters],
        "requests": dict(runtime.client.stats.by_operation),
        "coordinators": {
            "account": _coordinator_summary(runtime.account),
            **{
                group: {key: _coordinator_summary(item) for key, item in items.items()}
                for group, items in groups
            },
        },
        # Product and tariff codes are public; the comparison's meter is named by kind only.
        "comparisons": {
            subentry_id: comparison.diagnostics()
            for subentry_id, comparison in runtime.comparisons.items()
        },
    }


def secrets_of(entry: OctopusConfigEntry) -> list[str]:
    """Every personal string the entry and its coordinators know, longest first."""
    found: set[str] = set()
    _collect_secrets(dict(entry.data), found)
    for meter in entry.data.get(CONF_ELECTRICITY_METERS, []) + entry.data.get(CONF_GAS_METERS, []):
        _collect_secrets(meter, found)
    _add_strings(entry.data.get(CONF_DEVICES, []), found)
    if entry.state is ConfigEntryState.LOADED:
        runtime = entry.runtime_data
        _collect_secrets(runtime.meters, found)
        coordinators: list[_Coordinator] = [runtime.account, runtime.smartflex]
        if runtime.heat_pump is not None:
            coordinators.append(runtime.heat_pump)
        for group in (runtime.rates, runtime.consumption, runtime.telemetry):
            coordinators.extend(group.values())
        for coordinator in coordinators:
            _collect_secrets(coordinator.data, found)
    return sorted(found, key=len, reverse=True)


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: OctopusConfigEntry
) -> dict[str, Any]:
    """What a maintainer needs to understand a problem, and nothing that identifies the user."""
    output = {
        "entry": {
            "title": entry.title,
            "version": entry.version,
            "minor_version": entry.minor_version,
            "data": dict(entry.data),
            "options": dict(entry.options),
        },
        "runtime": _runtime_summary(entry),
    }
    redacted = async_redact_data(output, TO_REDACT)
    result: dict[str, Any] = _scrub(redacted, secrets_of(entry))
    return result
