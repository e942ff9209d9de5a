"""Pieces of the config flow that need no flow state: labels, meter catalogues, manual entry checks.

Kept apart from ``config_flow.py`` so the flow class reads as the sequence of steps a user sees.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass
import ipaddress
import re
from typing import Any

import aiohttp
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import voluptuous as vol
from yarl import URL

from .api import (
    Account,
    Fuel,
    OctopusAuthError,
    OctopusClient,
    OctopusError,
    OctopusNotFoundError,
    OctopusRateLimitError,
    OctopusUnavailableError,
    SmartFlexDevice,
)
from .const import (
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_GAS_METERS,
    CONF_IS_EXPORT,
    CONF_MPAN,
    CONF_MPRN,
    CONF_SERIAL,
    CONF_TARIFF_CODE,
    LOGGER,
)
from .discovery import discover_meters
from .domain.tariff_codes import (
    is_valid_mpan,
    is_valid_mprn,
    normalise_serial,
    parse_tariff_code,
)

# Fields of the manual step (entry data keeps the shapes of const.py; these are form fields only).
CONF_ELECTRICITY_SERIAL = "electricity_serial"
CONF_ELECTRICITY_TARIFF = "electricity_tariff_code"
CONF_EXPORT_MPAN = "export_mpan"
CONF_EXPORT_SERIAL = "export_serial"
CONF_EXPORT_TARIFF = "export_tariff_code"
CONF_GAS_SERIAL = "gas_serial"
CONF_GAS_TARIFF = "gas_tariff_code"
CONF_ADD_MANUAL = "add_manual"

ACCOUNT_NUMBER_PATTERN = re.compile(r"A-[A-Z0-9]{8}")


class FlowError(Exception):
    """A failure to show on the form as the translated error ``key``."""

    def __init__(self, key: str) -> None:
        """Remember the translation key of the error."""
        super().__init__(key)
        self.key = key


async def checked[T](call: Awaitable[T]) -> T:
    """Await an API call, turning every failure into a :class:`FlowError` the form can show."""
    try:
        return await call
    except OctopusAuthError as err:
        raise FlowError("invalid_auth") from err
    except OctopusRateLimitError as err:
        raise FlowError("rate_limited") from err
    except (OctopusUnavailableError, aiohttp.ClientError, TimeoutError) as err:
        raise FlowError("cannot_connect") from err
    except OctopusError as err:
        # The message may quote the API's answer; the type is enough to diagnose, and safe.
        LOGGER.exception("Unexpected answer from the Octopus API: %s", type(err).__name__)
        raise FlowError("unknown") from err
    except Exception as err:
        LOGGER.exception("Unexpected error while checking the Octopus API key")
        raise FlowError("unknown") from err


async def key_sees_account(client: OctopusClient, number: str) -> bool:
    """Whether the client's key belongs to account ``number`` (raises FlowError on failure)."""
    if number in await checked(client.async_get_account_numbers()):
        return True
    try:
        # Accounts entered by hand are readable without being listed.
        await checked(client.async_get_account(number))
    except FlowError as err:
        if isinstance(err.__cause__, OctopusAuthError | OctopusNotFoundError):
            return False
        raise
    return True


def checked_base_url(value: str) -> str:
    """The API base URL without a trailing slash; ``FlowError`` when it is unusable.

    The API key and tokens travel with every request, so plain ``http://`` is refused except
    to this machine's own loopback address (the simulator, a local proxy).
    """
    text = value.strip().rstrip("/")
    try:
        url = URL(text)
    except ValueError:
        raise FlowError("invalid_url") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise FlowError("invalid_url")
    if url.scheme == "http" and not is_loopback_host(url.host):
        raise FlowError("insecure_url")
    return text


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` names this machine: ``localhost`` or a loopback IP address."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_account_number(value: str) -> str | None:
    """``A-`` and 8 letters or digits, upper-cased; None when the text is not one."""
    text = value.strip().upper()
    return text if ACCOUNT_NUMBER_PATTERN.fullmatch(text) else None


def _tail(value: str) -> str:
    """The last four characters: enough to recognise a meter, not enough to leak it whole."""
    return f"…{value[-4:]}" if len(value) > 4 else value


def meter_option_key(item: Mapping[str, Any]) -> str:
    """The value of a meter in the selection lists: meter point and serial."""
    point = item.get(CONF_MPAN) or item[CONF_MPRN]
    return f"{point}:{item[CONF_SERIAL]}"


def meter_label(item: Mapping[str, Any], *, by_hand: bool = False) -> str:
    """A label a user recognises, e.g. ``Electricity import …2368 (serial …1234)``."""
    if CONF_MPRN in item:
        kind, point = "Gas", item[CONF_MPRN]
    else:
        kind = "Electricity export" if item.get(CONF_IS_EXPORT) else "Electricity import"
        point = item[CONF_MPAN]
    label = f"{kind} {_tail(point)} (serial {_tail(item[CONF_SERIAL])})"
    if item.get(CONF_TARIFF_CODE):
        label += f", tariff {item[CONF_TARIFF_CODE]}"
    if by_hand:
        label += ", entered by hand"
    return label


def device_label(device: SmartFlexDevice) -> str:
    """``Name (make model)`` or whatever of it is known."""
    described = " ".join(part for part in (device.make, device.model) if part)
    name = device.name or described or device.device_type
    if described and described != name:
        return f"{name} ({described})"
    return name


@dataclass(frozen=True, slots=True)
class MeterCatalogue:
    """What the meters step offers: option key → entry-data item, and the labels."""

    electricity: dict[str, dict[str, Any]]
    gas: dict[str, dict[str, Any]]
    devices: dict[str, str]  # device id → label
    labels: dict[str, str]  # option key → label (meters only)

    @property
    def is_empty(self) -> bool:
        """Nothing to choose from: the user has to type the meters in."""
        return not (self.electricity or self.gas or self.devices)


def build_catalogue(
    account: Account,
    devices: Iterable[SmartFlexDevice],
    configured: Mapping[str, Any] | None = None,
) -> MeterCatalogue:
    """The discovered meters and devices, plus those ``configured`` that discovery no longer lists.

    Reconfiguring keeps meters entered by hand selectable instead of silently dropping them.
    """
    device_list = tuple(devices)
    found = discover_meters(account, device_list)
    electricity = {meter_option_key(item): dict(item) for item in found.electricity}
    gas = {meter_option_key(item): dict(item) for item in found.gas}
    labels = {key: meter_label(item) for key, item in (electricity | gas).items()}
    device_names = {d.id: device_label(d) for d in device_list if d.id in found.devices}
    if configured:
        for target, items in ((electricity, CONF_ELECTRICITY_METERS), (gas, CONF_GAS_METERS)):
            for item in configured.get(items, []):
                key = meter_option_key(item)
                if key not in target:
                    target[key] = dict(item)
                    labels[key] = meter_label(item, by_hand=True)
                elif item.get(CONF_TARIFF_CODE):
                    # A tariff typed in by hand is what the user wants priced: keep it.
                    target[key] = dict(item)
        for device_id in configured.get(CONF_DEVICES, []):
            device_names.setdefault(device_id, "SmartFlex device (no longer listed)")
    return MeterCatalogue(electricity=electricity, gas=gas, devices=device_names, labels=labels)


def _tariff(raw: str, fuel: Fuel, field: str, errors: dict[str, str]) -> str | None:
    """A valid tariff code of the right fuel (canonical spelling), None when empty or wrong."""
    if not raw.strip():
        return None
    try:
        parsed = parse_tariff_code(raw)
    except ValueError:
        errors[field] = "invalid_tariff_code"
        return None
    if parsed.fuel is not fuel:
        errors[field] = "invalid_tariff_code"
        return None
    return parsed.code


def _serial(raw: str, field: str, errors: dict[str, str]) -> str:
    try:
        return normalise_serial(raw)
    except ValueError:
        errors[field] = "invalid_serial"
        return ""


@dataclass(frozen=True, slots=True)
class ManualMeters:
    """Meters typed into the manual step, in entry-data form, and the errors per field."""

    electricity: list[dict[str, Any]]
    gas: list[dict[str, Any]]
    errors: dict[str, str]


def parse_manual_meters(user_input: Mapping[str, Any]) -> ManualMeters:
    """Validate the manual step's meter fields; a group left entirely empty is skipped."""
    errors: dict[str, str] = {}
    electricity: list[dict[str, Any]] = []
    gas: list[dict[str, Any]] = []
    groups = (
        (CONF_MPAN, CONF_ELECTRICITY_SERIAL, CONF_ELECTRICITY_TARIFF, False),
        (CONF_EXPORT_MPAN, CONF_EXPORT_SERIAL, CONF_EXPORT_TARIFF, True),
    )
    for point_field, serial_field, tariff_field, is_export in groups:
        point = str(user_input.get(point_field) or "").strip().replace(" ", "")
        raw_serial = str(user_input.get(serial_field) or "")
        raw_tariff = str(user_input.get(tariff_field) or "")
        if not (point or raw_serial.strip() or raw_tariff.strip()):
            continue
        if not is_valid_mpan(point):
            errors[point_field] = "invalid_mpan"
        serial = _serial(raw_serial, serial_field, errors)
        tariff = _tariff(raw_tariff, Fuel.ELECTRICITY, tariff_field, errors)
        item: dict[str, Any] = {CONF_MPAN: point, CONF_SERIAL: serial, CONF_IS_EXPORT: is_export}
        if tariff:
            item[CONF_TARIFF_CODE] = tariff
        electricity.append(item)
    point = str(user_input.get(CONF_MPRN) or "").strip().replace(" ", "")
    raw_serial = str(user_input.get(CONF_GAS_SERIAL) or "")
    raw_tariff = str(user_input.get(CONF_GAS_TARIFF) or "")
    if point or raw_serial.strip() or raw_tariff.strip():
        if not is_valid_mprn(point):
            errors[CONF_MPRN] = "invalid_mprn"
        serial = _serial(raw_serial, CONF_GAS_SERIAL, errors)
        tariff = _tariff(raw_tariff, Fuel.GAS, CONF_GAS_TARIFF, errors)
        gas_item: dict[str, Any] = {CONF_MPRN: point, CONF_SERIAL: serial}
        if tariff:
            gas_item[CONF_TARIFF_CODE] = tariff
        gas.append(gas_item)
    return ManualMeters(electricity=electricity, gas=gas, errors=errors)


def merge_meters(chosen: list[dict[str, Any]], typed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chosen meters plus typed ones; a typed meter replaces a chosen one with the same key."""
    merged = {meter_option_key(item): item for item in chosen}
    merged.update((meter_option_key(item), item) for item in typed)
    return list(merged.values())


def _multi_select(options: Mapping[str, str]) -> SelectSelector:
    return SelectSelector(
        SelectSelectorConfig(
            options=[SelectOptionDict(value=key, label=label) for key, label in options.items()],
            multiple=True,
            mode=SelectSelectorMode.LIST,
        )
    )


def _is_configured(data: Mapping[str, Any], items: str, key: str) -> bool:
    return any(meter_option_key(item) == key for item in data.get(items, []))


def meters_schema(catalogue: MeterCatalogue, configured: Mapping[str, Any] | None) -> vol.Schema:
    """The meters step: everything pre-selected, or what ``configured`` follows (reconfigure)."""
    if configured is None:
        defaults = {
            CONF_ELECTRICITY_METERS: list(catalogue.electricity),
            CONF_GAS_METERS: list(catalogue.gas),
            CONF_DEVICES: list(catalogue.devices),
        }
    else:
        defaults = {
            CONF_ELECTRICITY_METERS: [
                key
                for key in catalogue.electricity
                if _is_configured(configured, CONF_ELECTRICITY_METERS, key)
            ],
            CONF_GAS_METERS: [
                key for key in catalogue.gas if _is_configured(configured, CONF_GAS_METERS, key)
            ],
            CONF_DEVICES: [d for d in catalogue.devices if d in configured.get(CONF_DEVICES, [])],
        }
    fields: dict[Any, Any] = {}
    for name, options in (
        (CONF_ELECTRICITY_METERS, {k: catalogue.labels[k] for k in catalogue.electricity}),
        (CONF_GAS_METERS, {k: catalogue.labels[k] for k in catalogue.gas}),
        (CONF_DEVICES, catalogue.devices),
    ):
        if options:  # an empty list would only confuse
            fields[vol.Optional(name, default=defaults[name])] = _multi_select(options)
    fields[vol.Optional(CONF_ADD_MANUAL, default=False)] = BooleanSelector()
    return vol.Schema(fields)
