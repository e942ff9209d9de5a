"""Tariff comparisons against the simulator: the meter's own days on another tariff.

Expected figures come from the simulator's independent biller (``bill_day`` with a
``tariff_code``: the same consumption billed on the compared tariff), never from the
integration's pricing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
import time
from types import MappingProxyType
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import slugify
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import (
    CONF_BACKFILL_DAYS,
    CONF_DEVICES,
    CONF_ELECTRICITY_METERS,
    CONF_HOME_MINI,
    CONF_IMPORT_STATISTICS,
)
from octopus_simulator.biller import bill_day
from octopus_simulator.scenario import AGILE_EXPORT_MPAN, AGILE_IMPORT_MPAN, GAS_MPRN

from ..conftest import account_entry, advance_time, settle

START = datetime(2026, 10, 20, 11, 7, tzinfo=UTC)  # Tuesday 12:07 BST
GO = "E-1R-GO-VAR-22-10-14-C"
OUTGOING_FIXED = "E-1R-OUTGOING-FIX-12M-19-05-13-C"
TOLERANCE = Decimal("0.000001")  # GBP: the sensors round to 6 places


def comparison(title: str, meter: str, product: str, tariff: str) -> ConfigSubentry:
    return ConfigSubentry(
        data=MappingProxyType({"meter": meter, "product_code": product, "tariff_code": tariff}),
        subentry_type="tariff_comparison",
        title=title,
        unique_id=None,
    )


def make_entry(entry_data: dict[str, Any], *, statistics: bool = False) -> MockConfigEntry:
    options = {CONF_BACKFILL_DAYS: 3, CONF_HOME_MINI: False, CONF_IMPORT_STATISTICS: statistics}
    return account_entry(entry_data, options)


async def set_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    *subentries: ConfigSubentry,
    start: datetime = START,
) -> MockConfigEntry:
    freezer.move_to(start)
    entry.add_to_hass(hass)
    for subentry in subentries:
        hass.config_entries.async_add_subentry(entry, subentry)
    assert await hass.config_entries.async_setup(entry.entry_id)
    entities = [f"sensor.{slugify(s.title)}_previous_day_on_compared_tariff" for s in subentries]
    await until(hass, lambda: all(day_of(hass, e) for e in entities))
    return entry


async def until(hass: HomeAssistant, ready: Callable[[], bool]) -> None:
    """Settle, and wait (in real time, at most about five seconds) until ``ready()``.

    A comparison prices its days in a background task that reads the recorder in its executor:
    ``settle`` alone may give up on it before that thread has answered.
    """
    for _ in range(500):
        await settle(hass)
        if ready():
            return
        # Real time for the executor thread (the loop's clock is frozen with the test's).
        await hass.async_add_executor_job(time.sleep, 0.01)


def day_of(hass: HomeAssistant, entity_id: str) -> str | None:
    """The ``date`` attribute of a previous-day sensor (``None`` before the first day)."""
    state = hass.states.get(entity_id)
    return None if state is None else state.attributes.get("date")


def gbp(hass: HomeAssistant, entity_id: str) -> Decimal:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return Decimal(state.state)


def gbp_or_none(hass: HomeAssistant, entity_id: str) -> Decimal | None:
    state = hass.states.get(entity_id)
    if state is None or state.state in ("unknown", "unavailable"):
        return None
    return Decimal(state.state)


def billed(sim: Any, meter: str, day: date, tariff: str | None = None) -> Decimal:
    """The biller's exact amount of the day in GBP (on ``tariff`` if given)."""
    bill = bill_day(sim.state, meter, day, tariff_code=tariff)
    assert bill.complete
    return bill.exact / 100


async def test_each_day_and_the_month_are_priced_on_both_tariffs_as_the_biller_bills_them(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    """Agile import against Octopus Go: previous day, month so far, then the next day."""
    await set_up(
        hass,
        freezer,
        make_entry(entry_data),
        comparison("Go check", "import", "GO-VAR-22-10-14", GO),
    )
    yesterday = date(2026, 10, 19)
    previous = "sensor.go_check_previous_day_on_compared_tariff"
    assert (
        abs(gbp(hass, previous) - billed(octopus_simulator, AGILE_IMPORT_MPAN, yesterday, GO))
        < TOLERANCE
    )
    own = "sensor.go_check_previous_day_on_current_tariff"
    assert abs(gbp(hass, own) - billed(octopus_simulator, AGILE_IMPORT_MPAN, yesterday)) < TOLERANCE
    state = hass.states.get(previous)
    assert state.attributes["date"] == "2026-10-19"
    assert state.attributes["tariff_code"] == GO
    halves = state.attributes["half_hours"]
    bill = bill_day(octopus_simulator.state, AGILE_IMPORT_MPAN, yesterday, tariff_code=GO)
    assert len(halves) == len(bill.half_hours) == 48
    for half, line in zip(halves, bill.half_hours, strict=True):
        assert datetime.fromisoformat(half["start"]) == line.start
        assert abs(Decimal(str(half["compared"])) - line.cost / 100) < TOLERANCE
    assert len(str(state.attributes)) < 16_000  # under the recorder's attribute limit anyway

    month = hass.states.get("sensor.go_check_month_on_compared_tariff")
    counted = [date.fromisoformat(d["date"]) for d in month.attributes["days"]]
    assert counted[-1] == yesterday
    assert all(d.month == 10 for d in counted)
    expected = sum(
        (billed(octopus_simulator, AGILE_IMPORT_MPAN, d, GO) for d in counted), Decimal(0)
    )
    assert abs(gbp(hass, "sensor.go_check_month_on_compared_tariff") - expected) < Decimal(
        "0.00001"
    )

    # The next day: its consumption arrives; Go's prices of that day were fetched with the
    # month's (a fetch reaches to the end of the day it is made on: those prices are final).
    octopus_simulator.reset_log()
    await advance_time(hass, freezer, START + timedelta(days=1))
    await until(hass, lambda: day_of(hass, previous) == "2026-10-20")
    assert hass.states.get(previous).attributes["date"] == "2026-10-20"
    assert (
        abs(
            gbp(hass, previous)
            - billed(octopus_simulator, AGILE_IMPORT_MPAN, date(2026, 10, 20), GO)
        )
        < TOLERANCE
    )
    go_requests = [r for r in octopus_simulator.request_log if "GO-VAR" in r.path]
    assert go_requests == []
    month_days = hass.states.get("sensor.go_check_month_on_compared_tariff").attributes["days"]
    assert [d["date"] for d in month_days][-2:] == ["2026-10-19", "2026-10-20"]

    # And the day after: unit rates and standing charge for two days, however often
    # consumption is polled.
    await advance_time(hass, freezer, START + timedelta(days=2))
    await until(hass, lambda: day_of(hass, previous) == "2026-10-21")
    assert hass.states.get(previous).attributes["date"] == "2026-10-21"
    assert len([r for r in octopus_simulator.request_log if "GO-VAR" in r.path]) == 2


async def test_an_export_meter_is_compared_on_an_export_tariff_without_standing_charge(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    await set_up(
        hass,
        freezer,
        make_entry(entry_data),
        comparison("Fixed export", "export", "OUTGOING-FIX-12M-19-05-13", OUTGOING_FIXED),
    )
    yesterday = date(2026, 10, 19)
    entity = "sensor.fixed_export_previous_day_on_compared_tariff"
    expected = billed(octopus_simulator, AGILE_EXPORT_MPAN, yesterday, OUTGOING_FIXED)
    assert abs(gbp(hass, entity) - expected) < TOLERANCE
    assert hass.states.get(entity).attributes["standing_charge"] is None


async def test_gas_is_compared_in_kwh_with_its_standing_charge(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    await set_up(
        hass,
        freezer,
        make_entry(entry_data),
        comparison("Flexible gas", "gas", "VAR-22-11-01", "G-1R-VAR-22-11-01-C"),
    )
    yesterday = date(2026, 10, 19)
    for side, tariff in (("compared", "G-1R-VAR-22-11-01-C"), ("current", None)):
        entity = f"sensor.flexible_gas_previous_day_on_{side}_tariff"
        assert abs(gbp(hass, entity) - billed(octopus_simulator, GAS_MPRN, yesterday, tariff)) < (
            TOLERANCE
        ), side


async def test_an_entry_without_comparisons_asks_for_no_other_tariff(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    await set_up(hass, freezer, make_entry(entry_data))
    await advance_time(hass, freezer, START + timedelta(days=1))
    asked = {r.path.split("/")[3] for r in octopus_simulator.request_log if "/products/" in r.path}
    assert asked <= {"AGILE-24-10-01", "AGILE-OUTGOING-19-05-13", "SILVER-24-12-31"}


async def _start_flow(hass: HomeAssistant, entry: MockConfigEntry, meter: str) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "tariff_comparison"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Other tariff", "meter": meter}
    )


def _options(result: dict[str, Any], field: str) -> list[str]:
    schema = result["data_schema"].schema
    key = next(k for k in schema if k == field)
    return [o["value"] for o in schema[key].config["options"]]


async def test_the_flow_offers_the_region_s_products_and_tariffs_and_stores_the_choice(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    entry = await set_up(hass, freezer, make_entry(entry_data))
    result = await _start_flow(hass, entry, "import")
    assert result["step_id"] == "product"
    assert result["description_placeholders"] == {"region": "C"}
    products = _options(result, "product_code")
    assert "GO-VAR-22-10-14" in products
    assert "AGILE-24-10-01" in products
    assert not any("OUTGOING" in code or "EXPORT" in code for code in products)
    assert "BUS-12M-FIXED-24-11-01" not in products
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"product_code": "GO-VAR-22-10-14"}
    )
    assert result["step_id"] == "tariff"
    assert _options(result, "tariff_code") == [GO]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"tariff_code": GO}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (subentry,) = entry.subentries.values()
    assert subentry.title == "Other tariff"
    assert dict(subentry.data) == {
        "meter": "import",
        "product_code": "GO-VAR-22-10-14",
        "tariff_code": GO,
    }

    # Gas: an electricity-only product has no gas tariff in the region.
    result = await _start_flow(hass, entry, "gas")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"product_code": "GO-VAR-22-10-14"}
    )
    assert result["errors"] == {"product_code": "no_tariff_in_region"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"product_code": "VAR-22-11-01"}
    )
    assert _options(result, "tariff_code") == ["G-1R-VAR-22-11-01-C"]

    # Export: only export products.
    result = await _start_flow(hass, entry, "export")
    assert all("OUTGOING" in code or "EXPORT" in code for code in _options(result, "product_code"))


async def test_a_comparison_can_be_pointed_at_another_tariff(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    entry = await set_up(
        hass,
        freezer,
        make_entry(entry_data),
        comparison("Go check", "import", "GO-VAR-22-10-14", GO),
    )
    (subentry,) = entry.subentries.values()
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "tariff_comparison"),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry.subentry_id},
    )
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Cosy check", "meter": "import"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"product_code": "COSY-22-12-08"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"tariff_code": "E-1R-COSY-22-12-08-C"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    updated = entry.subentries[subentry.subentry_id]
    assert updated.title == "Cosy check"
    assert updated.data["tariff_code"] == "E-1R-COSY-22-12-08-C"
    # The entry reloads: the days are compared again, on Cosy, not kept from Go.
    expected = billed(
        octopus_simulator, AGILE_IMPORT_MPAN, date(2026, 10, 19), "E-1R-COSY-22-12-08-C"
    )
    entity = "sensor.go_check_previous_day_on_compared_tariff"  # the entity id stays
    await until(hass, lambda: abs((gbp_or_none(hass, entity) or Decimal(0)) - expected) < TOLERANCE)
    assert abs(gbp(hass, entity) - expected) < TOLERANCE


async def test_the_flow_needs_a_loaded_account_and_a_reachable_product_list(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    idle = make_entry(entry_data)
    idle.add_to_hass(hass)
    result = await hass.config_entries.subentries.async_init(
        (idle.entry_id, "tariff_comparison"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "entry_not_loaded"
    await hass.config_entries.async_setup(idle.entry_id)
    await settle(hass)

    octopus_simulator.faults.inject("server_error", count=10, path_contains="/v1/products/")
    result = await _start_flow(hass, idle, "import")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_prices_that_cannot_be_fetched_are_asked_for_again_later(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    octopus_simulator.faults.inject("server_error", count=4, path_contains="GO-VAR")
    await set_up(
        hass,
        freezer,
        make_entry(entry_data),
        comparison("Go check", "import", "GO-VAR-22-10-14", GO),
    )
    previous = "sensor.go_check_previous_day_on_compared_tariff"
    assert hass.states.get(previous).state == "unknown"
    await advance_time(hass, freezer, START + timedelta(hours=4))
    await until(hass, lambda: day_of(hass, previous) is not None)
    expected = billed(octopus_simulator, AGILE_IMPORT_MPAN, date(2026, 10, 19), GO)
    assert abs(gbp(hass, previous) - expected) < TOLERANCE


async def test_a_gas_only_entry_takes_its_region_from_the_gas_tariff(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_simulator: Any,
    entry_data: dict[str, Any],
) -> None:
    entry = await set_up(
        hass, freezer, make_entry({**entry_data, CONF_ELECTRICITY_METERS: [], CONF_DEVICES: []})
    )
    octopus_simulator.reset_log()
    result = await _start_flow(hass, entry, "gas")
    assert result["description_placeholders"] == {"region": "C"}
    assert octopus_simulator.request_log.count(path_contains="electricity-meter-points") == 0
    # The product's own tariff list cannot be had: said on the form, and the choice is kept.
    octopus_simulator.faults.inject("server_error", count=10, path_contains="VAR-22-11-01")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"product_code": "VAR-22-11-01"}
    )
    assert result["errors"] == {"base": "cannot_connect"}
