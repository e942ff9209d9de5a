"""Accounts, properties, meter points and agreements; validation, complexity, combined documents."""

from __future__ import annotations

from datetime import UTC, datetime

from octopus_simulator.scenario import (
    ACCOUNT_AGILE,
    ACCOUNT_INTELLIGENT,
    ACCOUNT_NEIGHBOUR,
    AGILE_EXPORT_MPAN,
    AGILE_IMPORT_MPAN,
    AGILE_METER_SERIAL,
    ESME_DEVICE_ID,
    GAS_METER_SERIAL,
    GAS_MPRN,
    GSME_DEVICE_ID,
    INTELLIGENT_MPAN,
    Agreement,
)
from octopus_simulator.server import SimulatorHandle

from .conftest import TOKEN_MUTATION, Gql

# The account query of api-notes.md, field for field.
ACCOUNT = """
query Account($accountNumber: String!) {
  account(accountNumber: $accountNumber) {
    number
    balance
    electricityAgreements(active: true) {
      validFrom validTo
      tariff { ... on TariffType { productCode tariffCode displayName fullName } }
      meterPoint {
        mpan direction
        meters(includeInactive: false) {
          serialNumber
          smartImportElectricityMeter { deviceId }
          smartExportElectricityMeter { deviceId }
        }
      }
    }
    gasAgreements(active: true) {
      validFrom validTo
      tariff { tariffCode productCode }
      meterPoint {
        mprn
        meters(includeInactive: false) { serialNumber consumptionUnits smartGasMeter { deviceId } }
      }
    }
    properties {
      id address postcode
      electricityMeterPoints { mpan direction agreements(includeInactive: true) { validFrom } }
      gasMeterPoints { mprn }
    }
  }
}
"""


async def test_the_account_query_returns_meters_agreements_and_smart_device_ids(
    gql: Gql, token: str
) -> None:
    status, body = await gql(ACCOUNT, {"accountNumber": ACCOUNT_AGILE}, token)
    assert status == 200
    assert "errors" not in body
    account = body["data"]["account"]
    assert account["number"] == ACCOUNT_AGILE
    assert account["balance"] == 4523
    imported, exported = account["electricityAgreements"]
    assert imported == {
        "validFrom": "2024-10-14T23:00:00+00:00",
        "validTo": None,
        "tariff": {
            "productCode": "AGILE-24-10-01",
            "tariffCode": "E-1R-AGILE-24-10-01-C",
            "displayName": "Agile Octopus",
            "fullName": "Agile Octopus October 2024 v1",
        },
        "meterPoint": {
            "mpan": AGILE_IMPORT_MPAN,
            "direction": "IMPORT",
            "meters": [
                {
                    "serialNumber": AGILE_METER_SERIAL,
                    "smartImportElectricityMeter": {"deviceId": ESME_DEVICE_ID},
                    "smartExportElectricityMeter": None,
                }
            ],
        },
    }
    assert exported["meterPoint"]["mpan"] == AGILE_EXPORT_MPAN
    assert exported["meterPoint"]["direction"] == "EXPORT"
    (gas,) = account["gasAgreements"]
    assert gas["tariff"] == {
        "tariffCode": "G-1R-SILVER-24-12-31-C",
        "productCode": "SILVER-24-12-31",
    }
    assert gas["meterPoint"] == {
        "mprn": GAS_MPRN,
        "meters": [
            {
                "serialNumber": GAS_METER_SERIAL,
                "consumptionUnits": "m³",
                "smartGasMeter": {"deviceId": GSME_DEVICE_ID},
            }
        ],
    }
    (prop,) = account["properties"]
    assert prop["id"] == "300001"
    assert prop["address"].startswith("1 Test Street")
    assert prop["postcode"] == "SW1A 1AA"
    assert len(prop["electricityMeterPoints"][0]["agreements"]) == 2  # the old VAR one too
    assert prop["gasMeterPoints"] == [{"mprn": GAS_MPRN}]


async def test_inactive_agreements_and_tariff_types_are_available(gql: Gql, token: str) -> None:
    query = """query($n: String!) { account(accountNumber: $n) {
      electricityAgreements(active: false) {
        isActive
        tariff {
          __typename
          ... on DayNightTariff { tariffCode dayRate nightRate }
          ... on StandardTariff { tariffCode unitRate standingCharge isExport }
          ... on HalfHourlyTariff { tariffCode }
        }
      }
      gasAgreements { tariff { unitRate } }
    } }"""
    _, body = await gql(query, {"n": ACCOUNT_INTELLIGENT}, token)
    (old,) = body["data"]["account"]["electricityAgreements"]
    assert old["isActive"] is False
    assert old["tariff"]["__typename"] == "DayNightTariff"
    assert old["tariff"]["dayRate"] > old["tariff"]["nightRate"] > 0
    _, everything = await gql(query.replace("(active: false)", ""), {"n": ACCOUNT_AGILE}, token)
    types = [
        a["tariff"]["__typename"] for a in everything["data"]["account"]["electricityAgreements"]
    ]
    assert types == ["StandardTariff", "HalfHourlyTariff", "HalfHourlyTariff"]
    gas_rates = [a["tariff"]["unitRate"] for a in everything["data"]["account"]["gasAgreements"]]
    assert all(rate > 0 for rate in gas_rates)


async def test_an_agreement_changes_tariff_at_midnight(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    _, _, point = sim.state.electricity_point(INTELLIGENT_MPAN)
    midnight = datetime(2025, 6, 18, 23, 0, tzinfo=UTC)  # 00:00 BST on 19 June
    point.agreements[-1].valid_to = midnight
    point.agreements.append(Agreement(3003, "E-1R-AGILE-24-10-01-H", midnight))
    query = """query($n: String!) { account(accountNumber: $n) {
      electricityAgreements(active: true) { tariff { ... on TariffType { tariffCode } } } } }"""
    _, before = await gql(query, {"n": ACCOUNT_INTELLIGENT}, token)
    assert before["data"]["account"]["electricityAgreements"] == [
        {"tariff": {"tariffCode": "E-1R-INTELLI-VAR-24-10-29-H"}}
    ]
    sim.clock.set(midnight)
    _, fresh = await gql(TOKEN_MUTATION, {"input": {"APIKey": sim.api_key}})
    token = fresh["data"]["obtainKrakenToken"]["token"]
    _, after = await gql(query, {"n": ACCOUNT_INTELLIGENT}, token)
    assert after["data"]["account"]["electricityAgreements"] == [
        {"tariff": {"tariffCode": "E-1R-AGILE-24-10-01-H"}}
    ]


async def test_an_unknown_tariff_code_still_answers_with_its_code(
    sim: SimulatorHandle, gql: Gql, token: str
) -> None:
    _, _, point = sim.state.electricity_point(AGILE_IMPORT_MPAN)
    point.agreements[-1].tariff_code = "E-1R-SOMETHING-NEW-C"
    query = """query($n: String!) { account(accountNumber: $n) {
      electricityAgreements(active: true) {
        tariff { ... on TariffType { tariffCode productCode } } } } }"""
    _, body = await gql(query, {"n": ACCOUNT_AGILE}, token)
    first = body["data"]["account"]["electricityAgreements"][0]["tariff"]
    assert first == {"tariffCode": "E-1R-SOMETHING-NEW-C", "productCode": None}


async def test_someone_elses_account_is_kt_ct_4177(gql: Gql, token: str) -> None:
    _, body = await gql(ACCOUNT, {"accountNumber": ACCOUNT_NEIGHBOUR}, token)
    assert body["data"] == {"account": None}
    (error,) = body["errors"]
    assert error["extensions"]["errorCode"] == "KT-CT-4177"
    assert error["path"] == ["account"]
    _, missing = await gql(ACCOUNT, {"accountNumber": "A-00000000"}, token)
    assert missing["errors"][0]["extensions"]["errorCode"] == "KT-CT-4177"


async def test_properties_root_field_lists_the_accounts_properties(gql: Gql, token: str) -> None:
    query = """query($n: String!) { properties(accountNumber: $n) {
      id splitAddress electricityMeterPoints { mpan gspGroupId profileClass
        meters(includeInactive: true) { serialNumber } }
      gasMeterPoints {
        agreements(includeInactive: true) { validFrom } meters { serialNumber } } } }"""
    _, body = await gql(query, {"n": ACCOUNT_AGILE}, token)
    (prop,) = body["data"]["properties"]
    assert prop["splitAddress"] == ["1 Test Street", "Testville"]
    assert prop["electricityMeterPoints"][0]["gspGroupId"] == "_C"
    assert len(prop["gasMeterPoints"][0]["agreements"]) == 2
    assert prop["gasMeterPoints"][0]["meters"] == [{"serialNumber": GAS_METER_SERIAL}]
    _, foreign = await gql(query, {"n": ACCOUNT_NEIGHBOUR}, token)
    assert foreign["errors"][0]["extensions"]["errorCode"] == "KT-CT-1111"


async def test_viewer_details_and_account_interface(gql: Gql, token: str) -> None:
    query = (
        "{ viewer { id email fullName accounts { number balance ... on AccountType { status } } } }"
    )
    _, body = await gql(query, token=token)
    viewer = body["data"]["viewer"]
    assert viewer["email"] == "test.user@example.com"
    assert viewer["fullName"] == "Test User"
    assert viewer["accounts"][1] == {
        "number": ACCOUNT_INTELLIGENT,
        "balance": -1250,
        "status": "ACTIVE",
    }


async def test_unknown_fields_and_bad_documents_are_validation_errors(gql: Gql, token: str) -> None:
    status, body = await gql("{ viewer { accounts { nonsense } } }", token=token)
    assert status == 400
    assert "Cannot query field 'nonsense'" in body["errors"][0]["message"]
    assert body["errors"][0]["locations"]
    status, body = await gql("{ viewer { ", token=token)
    assert status == 400
    assert "Syntax Error" in body["errors"][0]["message"]
    status, body = await gql("query A { viewer { id } } query B { viewer { id } }", token=token)
    assert status == 400
    status, body = await gql(
        "query A($n: String!) { account(accountNumber: $n) { number } }", {"n": 5}, token
    )
    assert status == 400
    assert "errors" in body


async def test_bad_requests_are_refused_before_execution(sim: SimulatorHandle, session) -> None:
    url = f"{sim.url}/v1/graphql/"
    async with session.post(url, data="{not json") as response:
        assert response.status == 400
    async with session.post(url, json={"variables": {}}) as response:
        assert response.status == 400
        assert (await response.json())["errors"][0]["message"] == "Must provide query string."


async def test_a_named_operation_is_chosen_from_several(gql: Gql, token: str) -> None:
    document = "query A { viewer { id } } query B { ... on Query { viewer { email } } }"
    _, body = await gql(document, token=token, operation_name="B")
    assert body == {"data": {"viewer": {"email": "test.user@example.com"}}}


async def test_complexity_over_200_is_kt_ct_1188(gql: Gql, token: str) -> None:
    fields = " ".join(f"a{i}: account(accountNumber: $n) {{ number }}" for i in range(101))
    _, body = await gql(f"query Big($n: String!) {{ {fields} }}", {"n": ACCOUNT_AGILE}, token)
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["errorCode"] == "KT-CT-1188"
    assert set(error) == {"message", "locations", "extensions"}
    assert "202" in error["extensions"]["errorDescription"]
    few = " ".join(f"a{i}: account(accountNumber: $n) {{ number }}" for i in range(100))
    _, ok = await gql(f"query Ok($n: String!) {{ {few} }}", {"n": ACCOUNT_AGILE}, token)
    assert "errors" not in ok


async def test_nested_objects_and_fragments_count_towards_complexity(gql: Gql, token: str) -> None:
    nested = "fragment P on PropertyType { electricityMeterPoints { meters { serialNumber } } }"
    fields = " ".join(
        f"a{i}: account(accountNumber: $n) {{ properties {{ ...P }} }}" for i in range(41)
    )
    _, body = await gql(
        f"query Big($n: String!) {{ {fields} }} {nested}", {"n": ACCOUNT_AGILE}, token
    )
    assert body["errors"][0]["extensions"]["errorCode"] == "KT-CT-1188"


async def test_several_aliased_and_combined_fields_work_in_one_document(
    gql: Gql, token: str
) -> None:
    query = """query Combined($n: String!, $d: String!) {
      first: account(accountNumber: $n) { number }
      second: account(accountNumber: "A-5678EF90") { number }
      devices(accountNumber: $n) { id }
      planned: flexPlannedDispatches(deviceId: $d) { start end type energyAddedKwh }
      completed: completedDispatches(accountNumber: $n) { start end delta }
      ...Viewer
    }
    fragment Viewer on Query { viewer { id } }"""
    variables = {"n": ACCOUNT_AGILE, "d": "00000000-0002-4000-803c-0000000a1001"}
    status, body = await gql(query, variables, token)
    assert status == 200
    assert "errors" not in body
    data = body["data"]
    assert data["first"]["number"] == ACCOUNT_AGILE
    assert data["second"]["number"] == ACCOUNT_INTELLIGENT
    assert set(data) == {"first", "second", "devices", "planned", "completed", "viewer"}
