"""Cache files in ``.storage`` name no meter: MPANs, MPRNs and serials stay out of file names."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import DOMAIN
from custom_components.octopus_kraken.meters import meters_from_entry_data

from ..conftest import Advance, settle

# The meter-specific caches and the old names they had (kind, flow, meter number, serial).
_PER_METER = ("rates_", "consumption_", "tariff_history_")


def _ours(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    prefix = f"{DOMAIN}.{entry.entry_id}."
    return {key: value for key, value in hass_storage.items() if key.startswith(prefix)}


def _numbers(entry: MockConfigEntry) -> list[str]:
    return [n for m in meters_from_entry_data(entry.data) for n in (m.mpxn, m.serial)]


async def test_cache_names_carry_no_meter_number_or_serial(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    init_integration: MockConfigEntry,
    advance: Advance,
) -> None:
    await advance(dt_util.utcnow() + timedelta(seconds=30))  # the delayed cache writes
    names = list(_ours(hass_storage, init_integration))
    assert sum(name.split(".")[-1].startswith(_PER_METER) for name in names) >= 3, names
    numbers = _numbers(init_integration)
    assert numbers
    assert [(n, name) for name in names for n in numbers if n in name] == []


async def test_caches_under_their_old_names_are_moved_once(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    init_integration: MockConfigEntry,
    advance: Advance,
    octopus_simulator: Any,
) -> None:
    entry = init_integration
    await advance(dt_util.utcnow() + timedelta(seconds=30))
    assert await hass.config_entries.async_unload(entry.entry_id)
    await settle(hass)
    # Put every per-meter cache back under the name an older version wrote it to.
    new_names: dict[str, str] = {}
    for meter in meters_from_entry_data(entry.data):
        for prefix in _PER_METER:
            new = next(
                (
                    name
                    for name in _ours(hass_storage, entry)
                    if name.split(".")[-1].startswith(f"{prefix}{meter.kind.value}_")
                    and name not in new_names.values()
                ),
                None,
            )
            if new is None:
                continue
            old = f"{DOMAIN}.{entry.entry_id}.{prefix}{meter.key}"
            hass_storage[old] = {**hass_storage.pop(new), "key": old}
            new_names[old] = new
    assert len(new_names) >= 3
    moved = {old: hass_storage[old]["data"] for old in new_names}

    octopus_simulator.reset_log()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)

    for old, new in new_names.items():
        assert old not in hass_storage
        assert hass_storage[new]["data"] == moved[old]
    # The moved prices were used: a restart costs no refetch of the rates.
    assert octopus_simulator.count(path_contains="unit-rates") == 0
