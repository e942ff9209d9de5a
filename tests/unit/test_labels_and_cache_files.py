"""Small helpers of the config flow and the entry lifecycle."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from custom_components.octopus_kraken.api import SmartFlexDevice
from custom_components.octopus_kraken.const import DOMAIN
from custom_components.octopus_kraken.flow_helpers import device_label
from custom_components.octopus_kraken.lifecycle import _cache_files


def test_a_device_without_make_and_model_is_labelled_by_its_name_or_type() -> None:
    plain = SmartFlexDevice(
        id="d1", name=None, device_type="BATTERIES", provider=None, make=None, model=None,
        status_current="LIVE", status_current_state=None, is_suspended=False,
    )  # fmt: skip
    assert device_label(plain) == "BATTERIES"
    named = replace(plain, name="Tesla Model 3", make="Tesla", model="Model 3")
    assert device_label(named) == "Tesla Model 3"


def test_cache_files_on_disk_are_found_per_entry(tmp_path: Path) -> None:
    assert _cache_files(str(tmp_path), "entry") == []  # no .storage folder yet
    storage = tmp_path / ".storage"
    storage.mkdir()
    for name in (f"{DOMAIN}.entry.rates_old_meter", f"{DOMAIN}.other.account", "core.config"):
        (storage / name).write_text("{}")

    assert _cache_files(str(tmp_path), "entry") == [f"{DOMAIN}.entry.rates_old_meter"]
