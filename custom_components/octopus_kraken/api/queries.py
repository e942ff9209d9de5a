"""GraphQL documents, one named constant per operation; every value travels as a variable.

Only current fields are used: never ``plannedDispatches``, ``registeredKrakenflexDevice``,
``vehicleChargingPreferences``, ``costOfUsage``, ``electricVehicles``, ``chargePointVariants``,
``smartTariffComparison``, ``costOfCharge`` or the deprecated SmartFlex mutations.
"""

from __future__ import annotations

OBTAIN_TOKEN = "ObtainKrakenToken"
OBTAIN_TOKEN_MUTATION = """
mutation ObtainKrakenToken($input: ObtainJSONWebTokenInput!) {
  obtainKrakenToken(input: $input) {
    token
    refreshToken
    refreshExpiresIn
    payload
  }
}
"""

ACCOUNT_NUMBERS = "AccountNumbers"
ACCOUNT_NUMBERS_QUERY = """
query AccountNumbers {
  viewer {
    accounts {
      number
    }
  }
}
"""

ACCOUNT = "Account"
# The active agreements lead to the meter points in use; each meter point then lists its whole
# agreement history (``includeInactive: true``), which costing past consumption needs.
ACCOUNT_QUERY = """
query Account($accountNumber: String!) {
  account(accountNumber: $accountNumber) {
    number
    balance
    electricityAgreements(active: true) {
      validFrom
      validTo
      tariff {
        ...ElectricityTariffFields
      }
      meterPoint {
        mpan
        direction
        meters(includeInactive: false) {
          serialNumber
          smartImportElectricityMeter {
            deviceId
          }
          smartExportElectricityMeter {
            deviceId
          }
        }
        agreements(includeInactive: true) {
          validFrom
          validTo
          tariff {
            ...ElectricityTariffFields
          }
        }
      }
    }
    gasAgreements(active: true) {
      validFrom
      validTo
      tariff {
        ...GasTariffFields
      }
      meterPoint {
        mprn
        meters(includeInactive: false) {
          serialNumber
          consumptionUnits
          smartGasMeter {
            deviceId
          }
        }
        agreements(includeInactive: true) {
          validFrom
          validTo
          tariff {
            ...GasTariffFields
          }
        }
      }
    }
    properties {
      id
      address
      splitAddress
      postcode
      electricityMeterPoints {
        mpan
      }
      gasMeterPoints {
        mprn
      }
    }
  }
}

fragment ElectricityTariffFields on ElectricityTariffType {
  ... on TariffType {
    productCode
    tariffCode
    displayName
    fullName
  }
}

fragment GasTariffFields on GasTariffType {
  productCode
  tariffCode
  displayName
  fullName
}
"""

# Octoplus rides on the account request: the same operation with one more root field, and the
# points balance only for accounts known to be enrolled (others may be refused it).
_OCTOPLUS_FIELD = """
  octoplusAccountInfo(accountNumber: $accountNumber) {
    enrollmentStatus
  }"""
_POINTS_FIELD = """
  loyaltyPointsBalance(input: {accountNumber: $accountNumber}) {
    loyaltyPoints
  }"""
_ACCOUNT_CLOSE = "\n}\n\nfragment ElectricityTariffFields"
ACCOUNT_WITH_OCTOPLUS_QUERY = ACCOUNT_QUERY.replace(
    _ACCOUNT_CLOSE, _OCTOPLUS_FIELD + _ACCOUNT_CLOSE, 1
)
ACCOUNT_WITH_POINTS_QUERY = ACCOUNT_QUERY.replace(
    _ACCOUNT_CLOSE, _OCTOPLUS_FIELD + _POINTS_FIELD + _ACCOUNT_CLOSE, 1
)


_DEVICE_FIELDS = """
fragment DeviceFields on SmartFlexDeviceInterface {
  id
  name
  deviceType
  provider
  status {
    current
    currentState
    isSuspended
  }
  preferences {
    mode
    unit
    schedules {
      dayOfWeek
      time
      min
      max
    }
  }
  preferenceSetting {
    scheduleSettings {
      min
      max
      step
      timeFrom
      timeTo
      timeStep
    }
  }
  ... on SmartFlexVehicle {
    make
    model
  }
  ... on SmartFlexChargePoint {
    make
    model
  }
}
"""

_PLANNED_FIELDS = """
fragment PlannedDispatchFields on SmartFlexDispatch {
  start
  end
  type
  energyAddedKwh
}
"""

_COMPLETED_FIELDS = """
fragment CompletedDispatchFields on UpsideDispatchType {
  start
  end
  delta
  meta {
    source
    location
  }
}
"""

DEVICES = "Devices"
DEVICES_QUERY = (
    """
query Devices($accountNumber: String!) {
  devices(accountNumber: $accountNumber) {
    ...DeviceFields
  }
}
"""
    + _DEVICE_FIELDS
)

PLANNED_DISPATCHES = "FlexPlannedDispatches"
PLANNED_DISPATCHES_QUERY = (
    """
query FlexPlannedDispatches($deviceId: String!) {
  flexPlannedDispatches(deviceId: $deviceId) {
    ...PlannedDispatchFields
  }
}
"""
    + _PLANNED_FIELDS
)

COMPLETED_DISPATCHES = "CompletedDispatches"
COMPLETED_DISPATCHES_QUERY = (
    """
query CompletedDispatches($accountNumber: String!) {
  completedDispatches(accountNumber: $accountNumber) {
    ...CompletedDispatchFields
  }
}
"""
    + _COMPLETED_FIELDS
)

FLEX_STATE = "FlexState"
# Planned dispatches are per device, so the document has one aliased field per device:
# ``planned0: flexPlannedDispatches(deviceId: $deviceId0)``. Only the alias index varies; device
# ids still travel as variables.
FLEX_STATE_QUERY_TEMPLATE = """
query FlexState($accountNumber: String!{variables}) {{
  devices(accountNumber: $accountNumber) {{
    ...DeviceFields
  }}
  completedDispatches(accountNumber: $accountNumber) {{
    ...CompletedDispatchFields
  }}{fields}
}}
"""
_FLEX_STATE_VARIABLE = ", $deviceId{index}: String!"
_FLEX_STATE_FIELD = """
  planned{index}: flexPlannedDispatches(deviceId: $deviceId{index}) {{
    ...PlannedDispatchFields
  }}"""


def planned_alias(index: int) -> str:
    """The alias of the ``index``-th device's planned dispatches in ``FlexState``."""
    return f"planned{index}"


def device_variable(index: int) -> str:
    """The variable carrying the ``index``-th device id in ``FlexState``."""
    return f"deviceId{index}"


def flex_state_query(device_count: int) -> str:
    """The ``FlexState`` document for ``device_count`` devices."""
    indexes = range(device_count)
    document = FLEX_STATE_QUERY_TEMPLATE.format(
        variables="".join(_FLEX_STATE_VARIABLE.format(index=i) for i in indexes),
        fields="".join(_FLEX_STATE_FIELD.format(index=i) for i in indexes),
    )
    fragments = _DEVICE_FIELDS + _COMPLETED_FIELDS
    return document + (fragments + _PLANNED_FIELDS if device_count else fragments)


TELEMETRY = "SmartMeterTelemetry"
TELEMETRY_QUERY = """
query SmartMeterTelemetry(
  $deviceId: String!
  $start: DateTime
  $end: DateTime
  $grouping: TelemetryGrouping
) {
  smartMeterTelemetry(deviceId: $deviceId, start: $start, end: $end, grouping: $grouping) {
    readAt
    consumption
    consumptionDelta
    demand
    export
    costDeltaWithTax
  }
}
"""

UPDATE_BOOST_CHARGE = "UpdateBoostCharge"
UPDATE_BOOST_CHARGE_MUTATION = """
mutation UpdateBoostCharge($input: UpdateBoostChargeInput!) {
  updateBoostCharge(input: $input) {
    id
  }
}
"""

UPDATE_SMART_CONTROL = "UpdateDeviceSmartControl"
UPDATE_SMART_CONTROL_MUTATION = """
mutation UpdateDeviceSmartControl($input: SmartControlInput!) {
  updateDeviceSmartControl(input: $input) {
    id
  }
}
"""

SET_DEVICE_PREFERENCES = "SetDevicePreferences"
SET_DEVICE_PREFERENCES_MUTATION = """
mutation SetDevicePreferences($input: SmartFlexDevicePreferencesInput!) {
  setDevicePreferences(input: $input) {
    id
  }
}
"""

# heatPumpStatus: the reference defines isConnected; the fields of climateControlStatus and
# waterTemperatureStatus are not in it (names from public clients, unverified). An API that
# refuses them is asked for the connection alone (HEAT_PUMP_CONNECTION_QUERY).
HEAT_PUMP_STATUS = "HeatPumpStatus"
HEAT_PUMP_STATUS_QUERY = """
query HeatPumpStatus($accountNumber: String!) {
  heatPumpStatus(accountNumber: $accountNumber) {
    isConnected
    climateControlStatus {
      climateControlEnabled
      targetClimateControlTemperature
      currentClimateControlTemperature
    }
    waterTemperatureStatus {
      waterTemperatureEnabled
      currentWaterTemperature
    }
  }
}
"""
HEAT_PUMP_CONNECTION_QUERY = """
query HeatPumpStatus($accountNumber: String!) {
  heatPumpStatus(accountNumber: $accountNumber) {
    isConnected
  }
}
"""
