"""Parsing of API payloads (shapes from the reference documents) into the shared dataclasses."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
import json
from typing import Any

import pytest

from custom_components.octopus_kraken.api import (
    Direction,
    DispatchType,
    Fuel,
    OctopusResponseError,
)
from custom_components.octopus_kraken.api.parsing import (
    page_results,
    parse_account,
    parse_account_numbers,
    parse_completed_dispatches,
    parse_consumption,
    parse_devices,
    parse_grid_supply_points,
    parse_meter_point,
    parse_planned_dispatches,
    parse_product_detail,
    parse_products,
    parse_rates,
    parse_standing_charges,
    parse_telemetry,
)
from custom_components.octopus_kraken.api.values import decode_json


def _json(text: str) -> Any:
    return decode_json(text.encode())


PRODUCT = {
    "code": "VAR-17-01-11",
    "full_name": "Flexible Octopus January 2017 v1",
    "display_name": "Flexible Octopus",
    "description": "This great value 12 month fixed tariff guarantees…",
    "is_variable": True,
    "is_green": False,
    "is_tracker": False,
    "is_prepay": False,
    "is_business": False,
    "is_restricted": False,
    "term": 12,
    "brand": "OCTOPUS_ENERGY",
    "available_from": "2017-05-05T05:37:27Z",
    "available_to": None,
    "links": [],
}


def test_product_list_entries_become_products() -> None:
    [product] = parse_products([PRODUCT])
    assert product.code == "VAR-17-01-11"
    assert product.display_name == "Flexible Octopus"
    assert product.is_variable
    assert not product.is_green
    assert product.brand == "OCTOPUS_ENERGY"
    assert product.available_from == datetime(2017, 5, 5, 5, 37, 27, tzinfo=UTC)
    assert product.available_to is None


def test_product_detail_lists_every_non_empty_tariff() -> None:
    payload = _json(
        json.dumps(
            {
                **PRODUCT,
                "tariffs_active_at": "2017-05-05T05:37:27Z",
                "single_register_electricity_tariffs": {
                    "_A": {
                        "direct_debit_monthly": {
                            "code": "E-1R-VAR-17-01-11-A",
                            "standard_unit_rate_exc_vat": 10.85,
                            "standard_unit_rate_inc_vat": 11.3925,
                            "standing_charge_exc_vat": 20.00,
                            "standing_charge_inc_vat": 21,
                        },
                        "direct_debit_quarterly": {},
                    },
                    "_B": {},
                },
                "dual_register_electricity_tariffs": {
                    "_A": {
                        "direct_debit_monthly": {
                            "code": "E-2R-VAR-17-01-11-A",
                            "day_unit_rate_inc_vat": 12.1,
                            "night_unit_rate_inc_vat": 6.3,
                            "standing_charge_inc_vat": 21,
                            "standing_charge_exc_vat": 20,
                        }
                    }
                },
                "single_register_gas_tariffs": {
                    "_A": {"direct_debit_monthly": {"code": "G-1R-VAR-17-01-11-A"}}
                },
                "sample_quotes": {},
            }
        )
    )
    detail = parse_product_detail(payload)
    assert detail.product.code == "VAR-17-01-11"
    assert detail.tariffs_active_at == datetime(2017, 5, 5, 5, 37, 27, tzinfo=UTC)
    single, dual, gas = detail.tariffs
    assert single.tariff_code == "E-1R-VAR-17-01-11-A"
    assert single.fuel is Fuel.ELECTRICITY
    assert (single.region, single.payment_method, single.registers) == (
        "_A",
        "direct_debit_monthly",
        1,
    )
    # Floats keep their decimal text exactly.
    assert single.standard_unit_rate_inc_vat == Decimal("11.3925")
    assert single.standing_charge_exc_vat == Decimal("20.00")
    assert dual.registers == 2
    assert dual.standard_unit_rate_inc_vat is None
    assert gas.fuel is Fuel.GAS
    assert gas.standing_charge_inc_vat is None


def test_rates_come_back_ascending_whatever_the_page_order() -> None:
    payload = _json(
        """{"count": 2, "next": null, "previous": null, "results": [
        {"value_exc_vat": 11, "value_inc_vat": 11.55,
         "valid_from": "2018-05-16T22:30:00Z", "valid_to": "2018-05-16T23:00:00Z"},
        {"value_exc_vat": 10.6, "value_inc_vat": 11.13,
         "valid_from": "2018-05-16T22:00:00Z", "valid_to": "2018-05-16T22:30:00Z"}]}"""
    )
    results, link = page_results(payload)
    assert link is None
    first, second = parse_rates(results)
    assert first.valid_from == datetime(2018, 5, 16, 22, tzinfo=UTC)
    assert first.value_inc_vat == Decimal("11.13")
    assert second.value_exc_vat == Decimal(11)


def test_fixed_tariffs_keep_the_direct_debit_rate_of_each_period() -> None:
    rows = [
        {
            "value_exc_vat": 20,
            "value_inc_vat": 21,
            "valid_from": "2024-01-01T00:00:00Z",
            "valid_to": None,
            "payment_method": "NON_DIRECT_DEBIT",
        },
        {
            "value_exc_vat": 19,
            "value_inc_vat": 19.95,
            "valid_from": "2024-01-01T00:00:00Z",
            "valid_to": None,
            "payment_method": "DIRECT_DEBIT",
        },
        {
            "value_exc_vat": 25,
            "value_inc_vat": 26.25,
            "valid_from": "2024-01-01T00:00:00Z",
            "valid_to": None,
            "payment_method": "NON_DIRECT_DEBIT",
        },
    ]
    [rate] = parse_rates(rows)
    assert rate.value_inc_vat == Decimal("19.95")
    assert rate.valid_to is None
    [charge] = parse_standing_charges(rows)
    assert charge.value_exc_vat == 19


def test_standing_charges_with_an_open_start_sort_first() -> None:
    charges = parse_standing_charges(
        [
            {"value_exc_vat": 2, "value_inc_vat": 2.1, "valid_from": "2024-04-01T00:00:00+01:00"},
            {"value_exc_vat": 1, "value_inc_vat": 1.05, "valid_from": None, "valid_to": None},
        ]
    )
    assert charges[0].valid_from is None
    assert charges[1].valid_from == datetime(2024, 3, 31, 23, tzinfo=UTC)


def test_consumption_is_ascending_and_a_repeated_interval_counts_once() -> None:
    rows = [
        {
            "consumption": 0.063,
            "interval_start": "2018-05-19T23:00:00Z",
            "interval_end": "2018-05-19T23:30:00Z",
        },
        {
            "consumption": 0.071,
            "interval_start": "2018-05-19T22:30:00Z",
            "interval_end": "2018-05-19T23:00:00Z",
        },
        {
            "consumption": 0.063,
            "interval_start": "2018-05-20T00:00:00+01:00",
            "interval_end": "2018-05-20T00:30:00+01:00",
        },
    ]
    intervals = parse_consumption(rows)
    assert [i.consumption for i in intervals] == [Decimal("0.071"), Decimal("0.063")]
    assert intervals[1].interval_end == datetime(2018, 5, 19, 23, 30, tzinfo=UTC)


def test_meter_point_and_grid_supply_points() -> None:
    detail = parse_meter_point({"gsp": "_H", "mpan": "2000024512368", "profile_class": 1})
    assert (detail.mpan, detail.gsp, detail.profile_class) == ("2000024512368", "_H", 1)
    assert parse_meter_point({"mpan": "1", "gsp": None, "profile_class": None}).gsp is None
    assert parse_grid_supply_points([{"group_id": "_A"}]) == ["_A"]


@pytest.mark.parametrize(
    ("parser", "payload"),
    [
        (parse_products, [{**PRODUCT, "is_green": "no"}]),
        (parse_products, [{**PRODUCT, "code": None}]),
        (parse_products, ["not an object"]),
        (parse_product_detail, {**PRODUCT}),  # no tariffs_active_at
        (parse_product_detail, {**PRODUCT, "tariffs_active_at": "2017-05-05", "x": 1}),
        (parse_rates, [{"value_inc_vat": 1, "value_exc_vat": 1, "valid_from": "yesterday"}]),
        (parse_rates, [{"value_inc_vat": 1, "value_exc_vat": 1, "valid_from": None}]),
        (parse_rates, [{"value_inc_vat": "x", "value_exc_vat": 1, "valid_from": None}]),
        (parse_rates, [{"value_inc_vat": True, "value_exc_vat": 1, "valid_from": None}]),
        (
            parse_rates,
            [{"value_inc_vat": 1, "value_exc_vat": 1, "valid_from": "2024-01-01T00:00:00"}],
        ),
        (parse_consumption, [{"consumption": [], "interval_start": 3}]),
        (parse_meter_point, {"mpan": 12, "gsp": "_A"}),
        (parse_meter_point, {"mpan": "1", "profile_class": 1.5}),
        (parse_meter_point, {"mpan": "1", "profile_class": "one"}),
        (parse_meter_point, {"mpan": "1", "profile_class": [1]}),
        (parse_meter_point, []),
        (parse_grid_supply_points, [{"group": "_A"}]),
        (page_results, {"results": {}}),
        (page_results, {"results": [], "next": 5}),
    ],
)
def test_a_malformed_rest_payload_raises_a_response_error(parser: Any, payload: Any) -> None:
    with pytest.raises(OctopusResponseError):
        parser(payload)


ACCOUNT: dict[str, Any] = {
    "account": {
        "number": "A-1234ABCD",
        "balance": -1234,
        "electricityAgreements": [
            {
                "validFrom": "2024-10-01T00:00:00+01:00",
                "validTo": None,
                "tariff": {
                    "productCode": "AGILE-24-10-01",
                    "tariffCode": "E-1R-AGILE-24-10-01-C",
                    "displayName": "Agile Octopus",
                },
                "meterPoint": {
                    "mpan": "1200000000001",
                    "direction": "IMPORT",
                    "meters": [
                        {
                            "serialNumber": "21L000001",
                            "smartImportElectricityMeter": {"deviceId": "00-11-22"},
                            "smartExportElectricityMeter": None,
                        }
                    ],
                },
            },
            {
                "validFrom": "2024-01-01T00:00:00Z",
                "validTo": "2024-10-01T00:00:00+01:00",
                "tariff": {"productCode": "VAR-22-11-01", "tariffCode": "E-1R-VAR-22-11-01-C"},
                "meterPoint": {"mpan": "1200000000001", "direction": "IMPORT", "meters": []},
            },
            {
                "validFrom": "2024-01-01T00:00:00Z",
                "validTo": None,
                "tariff": {"tariffCode": "E-1R-OUTGOING-FIX-12M-19-05-13-C"},
                "meterPoint": {
                    "mpan": "1400000000002",
                    "direction": "EXPORT",
                    "meters": [{"serialNumber": "21L000001"}],
                },
            },
        ],
        "gasAgreements": [
            {
                "validFrom": "2024-01-01T00:00:00Z",
                "validTo": None,
                "tariff": {"productCode": "VAR-22-11-01", "tariffCode": "G-1R-VAR-22-11-01-C"},
                "meterPoint": {
                    "mprn": "9100000000",
                    "meters": [
                        {
                            "serialNumber": "E6S1",
                            "consumptionUnits": "m³",
                            "smartGasMeter": {"deviceId": "44-55"},
                        }
                    ],
                },
            }
        ],
        "properties": [
            {
                "id": "100",
                "address": "1 Octopus Lane\nLondon",
                "splitAddress": None,
                "postcode": "W1 1AA",
            }
        ],
    }
}


def test_account_groups_agreements_by_meter_point_under_its_property() -> None:
    account = parse_account(ACCOUNT)
    assert account.number == "A-1234ABCD"
    assert account.balance == Decimal(-1234)
    [prop] = account.properties
    assert (prop.id, prop.address_line_1, prop.postcode) == ("100", "1 Octopus Lane", "W1 1AA")
    import_point, export_point = account.electricity_meter_points
    assert import_point.direction is Direction.IMPORT
    assert import_point.meters[0].import_device_id == "00-11-22"
    assert import_point.meters[0].export_device_id is None
    # Agreements ascending by start, whatever order they came in.
    assert [a.tariff.product_code for a in import_point.agreements] == [
        "VAR-22-11-01",
        "AGILE-24-10-01",
    ]
    assert import_point.agreements[1].tariff.display_name == "Agile Octopus"
    assert import_point.agreements[0].valid_to == datetime(2024, 9, 30, 23, tzinfo=UTC)
    assert export_point.direction is Direction.EXPORT
    assert export_point.agreements[0].tariff.product_code is None
    [gas] = account.gas_meter_points
    assert gas.meters[0].consumption_units == "m³"
    assert gas.meters[0].device_id == "44-55"


def test_each_meter_point_carries_its_agreement_history_once() -> None:
    payload = json.loads(json.dumps(ACCOUNT))
    active = payload["account"]["electricityAgreements"][0]
    history = [
        {key: active[key] for key in ("validFrom", "validTo", "tariff")},
        {
            "validFrom": "2023-01-01T00:00:00Z",
            "validTo": "2024-01-01T00:00:00Z",
            "tariff": {"productCode": "GO-22-07-05", "tariffCode": "E-1R-GO-22-07-05-C"},
        },
    ]
    active["meterPoint"]["agreements"] = history
    payload["account"]["gasAgreements"][0]["meterPoint"]["agreements"] = None
    account = parse_account(payload)
    codes = [a.tariff.product_code for a in account.electricity_meter_points[0].agreements]
    assert codes == ["GO-22-07-05", "VAR-22-11-01", "AGILE-24-10-01"]
    assert len(account.gas_meter_points[0].agreements) == 1


def test_meter_points_go_to_the_property_that_lists_them() -> None:
    payload = json.loads(json.dumps(ACCOUNT))
    payload["account"]["properties"] = [
        {
            "id": "1",
            "address": "9 Ignored Road",
            "splitAddress": ["", " 9 Flat Road ", "Town"],
            "postcode": None,
            "electricityMeterPoints": [],
        },
        {
            "id": "2",
            "address": "  ",
            "postcode": "SW1",
            "electricityMeterPoints": [{"mpan": "1400000000002"}],
            "gasMeterPoints": [{"mprn": "9100000000"}],
        },
    ]
    first, second = parse_account(payload).properties
    assert [mp.mpan for mp in first.electricity_meter_points] == ["1200000000001"]
    assert first.gas_meter_points == ()
    assert [mp.mpan for mp in second.electricity_meter_points] == ["1400000000002"]
    assert [mp.mprn for mp in second.gas_meter_points] == ["9100000000"]
    assert first.address_line_1 == "9 Flat Road"
    assert second.address_line_1 is None


def test_an_account_without_properties_still_lists_its_meter_points() -> None:
    payload = json.loads(json.dumps(ACCOUNT))
    del payload["account"]["properties"]
    payload["account"]["balance"] = None
    account = parse_account(payload)
    assert account.properties[0].id == ""
    assert len(account.electricity_meter_points) == 2
    assert account.balance is None
    empty = parse_account({"account": {"number": "A-1", "balance": 0}})
    assert empty.properties == ()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda a: a.update(account=None),
        lambda a: a["account"].update(number=None),
        lambda a: a["account"]["electricityAgreements"][0].update(meterPoint=None),
        lambda a: a["account"]["electricityAgreements"][0]["meterPoint"].update(direction="UP"),
        lambda a: a["account"]["electricityAgreements"][0].update(tariff={"productCode": "X"}),
        lambda a: a["account"]["gasAgreements"][0]["meterPoint"]["meters"][0].update(
            smartGasMeter="44-55"
        ),
        lambda a: a["account"].update(properties=[{"id": "1", "electricityMeterPoints": [{}]}]),
        lambda a: a["account"].update(balance="lots"),
    ],
)
def test_a_malformed_account_raises_a_response_error(mutate: Any) -> None:
    payload = json.loads(json.dumps(ACCOUNT))
    mutate(payload)
    with pytest.raises(OctopusResponseError):
        parse_account(payload)


def test_account_numbers_come_from_the_viewer() -> None:
    data = {"viewer": {"accounts": [{"number": "A-1"}, {"number": "A-2"}]}}
    assert parse_account_numbers(data) == ["A-1", "A-2"]
    assert parse_account_numbers({"viewer": {"accounts": None}}) == []
    with pytest.raises(OctopusResponseError):
        parse_account_numbers({"viewer": None})


DEVICE = {
    "id": "00000000-0000-0000-0000-000000000001",
    "name": "My car",
    "deviceType": "ELECTRIC_VEHICLES",
    "provider": "TESLA",
    "make": "Tesla",
    "model": "Model 3",
    "status": {"current": "LIVE", "currentState": "SMART_CONTROL_CAPABLE", "isSuspended": False},
    "preferences": {
        "mode": "CHARGE",
        "unit": "PERCENTAGE",
        "schedules": [{"dayOfWeek": "MONDAY", "time": "07:30:00", "min": None, "max": "80"}],
    },
    "preferenceSetting": {
        "scheduleSettings": [
            {
                "min": 10,
                "max": 100,
                "step": 5,
                "timeFrom": "04:00",
                "timeTo": "11:00:00",
                "timeStep": 30,
            }
        ]
    },
}


def test_devices_carry_status_preferences_and_bounds() -> None:
    [device] = parse_devices([DEVICE])
    assert device.device_type == "ELECTRIC_VEHICLES"
    assert (device.make, device.model) == ("Tesla", "Model 3")
    assert device.status_current == "LIVE"
    assert device.status_current_state == "SMART_CONTROL_CAPABLE"
    assert device.is_suspended is False
    assert device.preferences_mode == "CHARGE"
    [schedule] = device.schedules
    assert (schedule.day_of_week, schedule.time, schedule.max) == ("MONDAY", "07:30", 80)
    assert device.bounds is not None
    assert device.bounds.target_step == 5
    assert (device.bounds.time_from, device.bounds.time_to) == ("04:00", "11:00")
    assert device.bounds.time_step_minutes == 30


def test_a_bare_device_has_no_preferences_or_bounds() -> None:
    bare = {"id": "d", "deviceType": "BATTERIES", "status": None, "preferences": None}
    single = {**bare, "preferenceSetting": {"scheduleSettings": DEVICE["preferenceSetting"]}}
    single["preferenceSetting"]["scheduleSettings"] = DEVICE["preferenceSetting"][
        "scheduleSettings"
    ][0]
    devices = parse_devices(
        [
            bare,
            {**bare, "preferenceSetting": {"scheduleSettings": []}},
            {**bare, "preferenceSetting": {"scheduleSettings": None}},
            single,
        ]
    )
    assert devices[0].bounds is None
    assert devices[0].is_suspended is False
    assert devices[0].schedules == ()
    assert devices[1].bounds is None
    assert devices[2].bounds is None
    assert devices[3].bounds is not None
    assert parse_devices(None) == []


@pytest.mark.parametrize("time", ["7:30", "07:30:00:00", "ab:cd", 730])
def test_a_device_with_a_malformed_time_raises_a_response_error(time: Any) -> None:
    device = json.loads(json.dumps(DEVICE))
    device["preferences"]["schedules"][0]["time"] = time
    with pytest.raises(OctopusResponseError):
        parse_devices([device])


def test_planned_dispatches_are_ascending_and_unknown_types_are_kept() -> None:
    dispatches = parse_planned_dispatches(
        [
            {
                "end": "2024-01-02T05:00:00+00:00",
                "energyAddedKwh": "-1.5",
                "start": "2024-01-02T04:00:00+00:00",
                "type": "SMART",
            },
            {
                "end": "2024-01-02T02:00:00.123456+00:00",
                "energyAddedKwh": None,
                "start": "2024-01-02T01:06:34.878693+00:00",
                "type": "SOMETHING_NEW",
            },
            {"start": "2024-01-02T06:00:00Z", "end": "2024-01-02T07:00:00Z", "type": None},
        ]
    )
    assert [d.dispatch_type for d in dispatches] == [
        DispatchType.UNKNOWN,
        DispatchType.SMART,
        DispatchType.UNKNOWN,
    ]
    assert dispatches[1].energy_kwh == Decimal("-1.5")
    assert dispatches[0].start.microsecond == 878693
    assert parse_planned_dispatches(None) == []


def test_completed_dispatches_come_back_ascending_with_their_meta() -> None:
    dispatches = parse_completed_dispatches(
        [
            {
                "delta": "1.0",
                "end": "2024-01-02T05:00:00+00:00",
                "meta": {"source": "smart-charge", "location": "AT_HOME"},
                "start": "2024-01-02T04:00:00+00:00",
            },
            {
                "delta": "-0.5",
                "end": "2024-01-01T05:00:00+00:00",
                "meta": None,
                "start": "2024-01-01T04:00:00+00:00",
            },
        ]
    )
    assert [d.energy_kwh for d in dispatches] == [Decimal("-0.5"), Decimal("1.0")]
    assert dispatches[0].source is None
    assert dispatches[1].location == "AT_HOME"
    assert parse_completed_dispatches(None) == []


def test_telemetry_readings_are_ascending() -> None:
    readings = parse_telemetry(
        [
            {
                "readAt": "2024-01-01T00:00:10+00:00",
                "consumption": "1000.5",
                "consumptionDelta": 10,
                "demand": 350.0,
                "export": None,
                "costDelta": "1",
                "costDeltaWithTax": "0.25",
            },
            {"readAt": "2024-01-01T00:00:00+00:00", "consumption": 990},
        ]
    )
    assert readings[0].consumption_wh == 990
    assert readings[0].demand_w is None
    assert readings[1].demand_w == Decimal("350.0")
    assert readings[1].cost_delta_with_tax == Decimal("0.25")
    assert parse_telemetry(None) == []


@pytest.mark.parametrize(
    ("parser", "payload"),
    [
        (parse_devices, {"id": "x"}),
        (parse_devices, [{"id": "x"}]),
        (parse_devices, [{**DEVICE, "status": {"isSuspended": "no"}}]),
        (parse_devices, [{**DEVICE, "preferenceSetting": {"scheduleSettings": {"min": 1}}}]),
        (parse_planned_dispatches, [{"start": "2024-01-01T00:00:00Z"}]),
        (parse_planned_dispatches, [{"start": 1, "end": 2}]),
        (parse_completed_dispatches, [{"start": "x", "end": "y"}]),
        (parse_completed_dispatches, [{"start": "2024-01-01T00:00:00Z", "meta": []}]),
        (parse_telemetry, [{"readAt": None}]),
        (parse_telemetry, [{"readAt": "2024-01-01T00:00:00Z", "demand": "NaN"}]),
        (parse_telemetry, [{"readAt": "2024-01-01T00:00:00Z", "demand": "Infinity"}]),
        (parse_telemetry, "nope"),
    ],
)
def test_a_malformed_graphql_payload_raises_a_response_error(parser: Any, payload: Any) -> None:
    with pytest.raises(OctopusResponseError):
        parser(payload)
