"""The GraphQL documents: valid syntax, named operations, variables only, no deprecated fields."""

from __future__ import annotations

from graphql import OperationDefinitionNode, parse
import pytest

from custom_components.octopus_kraken.api import queries

DOCUMENTS = {
    queries.OBTAIN_TOKEN: queries.OBTAIN_TOKEN_MUTATION,
    queries.ACCOUNT_NUMBERS: queries.ACCOUNT_NUMBERS_QUERY,
    queries.ACCOUNT: queries.ACCOUNT_QUERY,
    queries.DEVICES: queries.DEVICES_QUERY,
    queries.PLANNED_DISPATCHES: queries.PLANNED_DISPATCHES_QUERY,
    queries.COMPLETED_DISPATCHES: queries.COMPLETED_DISPATCHES_QUERY,
    queries.FLEX_STATE: queries.flex_state_query(3),
    f"{queries.FLEX_STATE} (no devices)": queries.flex_state_query(0),
    queries.TELEMETRY: queries.TELEMETRY_QUERY,
    queries.UPDATE_BOOST_CHARGE: queries.UPDATE_BOOST_CHARGE_MUTATION,
    queries.UPDATE_SMART_CONTROL: queries.UPDATE_SMART_CONTROL_MUTATION,
    queries.SET_DEVICE_PREFERENCES: queries.SET_DEVICE_PREFERENCES_MUTATION,
}

DEPRECATED = (
    "plannedDispatches",
    "registeredKrakenflexDevice",
    "vehicleChargingPreferences",
    "costOfUsage",
    "electricVehicles",
    "chargePointVariants",
    "smartTariffComparison",
    "costOfCharge",
    "triggerBoostCharge",
    "deleteBoostCharge",
    "suspendControl",
    "resumeControl",
    "setVehicleChargePreferences",
)


@pytest.mark.parametrize(("name", "document"), DOCUMENTS.items(), ids=list(DOCUMENTS))
def test_each_document_is_one_named_operation_without_inline_values(
    name: str, document: str
) -> None:
    ast = parse(document)
    [operation] = [d for d in ast.definitions if isinstance(d, OperationDefinitionNode)]
    assert operation.name is not None
    assert name.startswith(operation.name.value)
    # Values travel as variables: no string or number literal appears in a document, apart from
    # the fixed filters (active: true, includeInactive: false).
    assert '"' not in document
    assert not any(char.isdigit() for char in document.replace("planned", "").split("deviceId")[0])
    for field in DEPRECATED:
        assert f"{field}(" not in document
        assert f"{field} " not in document


def test_flex_state_asks_for_each_device_plan_under_its_own_alias() -> None:
    document = queries.flex_state_query(2)
    assert "planned0: flexPlannedDispatches(deviceId: $deviceId0)" in document
    assert "planned1: flexPlannedDispatches(deviceId: $deviceId1)" in document
    assert "$deviceId1: String!" in document
    assert "planned2" not in document
    assert "PlannedDispatchFields" not in queries.flex_state_query(0)
