"""The subset of the Kraken GraphQL schema the simulator serves, as SDL.

Field names follow the reference (``kraken-graphql-queries.txt``) for the root fields and
``api-notes.md`` for nested types the reference leaves as fragments. Where both are silent the
choice is noted beside the field. Queries are parsed and validated against this schema, so a
misspelt field fails exactly as it would against the real API.
"""

from __future__ import annotations

from functools import cache

from graphql import GraphQLSchema, build_schema

SDL = """
scalar DateTime
scalar Date
"Decimal values travel as strings, e.g. \\"1.0\\" (as in the reference's examples)."
scalar Decimal
"Arbitrary JSON (the token payload)."
scalar GenericScalar

type Query {
  viewer: AccountUserType
  account(accountNumber: String!): AccountType
  properties(accountNumber: String!, active: Boolean): [PropertyType]
  devices(
    accountNumber: String!, deviceId: String, integrationDeviceId: String, propertyId: ID
  ): [SmartFlexDeviceInterface!]
  flexPlannedDispatches(deviceId: String!): [SmartFlexDispatch]
  completedDispatches(accountNumber: String!): [UpsideDispatchType]
  smartMeterTelemetry(
    deviceId: String!, start: DateTime, end: DateTime, grouping: TelemetryGrouping
  ): [SmartMeterTelemetryType]
}

type Mutation {
  obtainKrakenToken(input: ObtainJSONWebTokenInput!): ObtainKrakenJSONWebToken
  updateBoostCharge(input: UpdateBoostChargeInput): SmartFlexDeviceInterface
  updateDeviceSmartControl(input: SmartControlInput!): SmartFlexDeviceInterface
  setDevicePreferences(input: SmartFlexDevicePreferencesInput!): SmartFlexDeviceInterface
  updateIsChargingDurationCapped(input: IsChargingDurationCappedInput!): SmartFlexDeviceInterface
}

input ObtainJSONWebTokenInput {
  APIKey: String
  refreshToken: String
  email: String
  password: String
  organizationSecretKey: String
  preSignedKey: String
}

type ObtainKrakenJSONWebToken {
  token: String!
  payload: GenericScalar!
  refreshToken: String
  refreshExpiresIn: Int
}

interface AccountInterface {
  id: ID
  number: String
  status: String
  balance: Int!
  brand: String
}

type AccountType implements AccountInterface {
  id: ID
  number: String
  status: String
  "Pence; positive means the account is in credit (sign convention unverified)."
  balance: Int!
  brand: String
  accountType: String
  properties(active: Boolean): [PropertyType]
  electricityAgreements(active: Boolean): [ElectricityAgreementType]
  gasAgreements(active: Boolean): [GasAgreementType]
}

type AccountUserType {
  id: ID
  email: String
  givenName: String
  familyName: String
  fullName: String
  accounts: [AccountInterface]
}

type PropertyType {
  id: ID
  address: String
  postcode: String
  splitAddress: [String]
  label: String
  electricityMeterPoints: [ElectricityMeterPointType]
  gasMeterPoints: [GasMeterPointType]
}

enum MeterPointDirection {
  IMPORT
  EXPORT
}

type ElectricityMeterPointType {
  id: ID
  mpan: String!
  direction: MeterPointDirection
  gspGroupId: String
  profileClass: Int
  meters(includeInactive: Boolean): [ElectricityMeterType]
  agreements(includeInactive: Boolean): [ElectricityAgreementType]
}

type SmartMeterDeviceType {
  id: ID
  deviceId: String!
  manufacturer: String
  model: String
}

type ElectricityMeterType {
  id: ID
  serialNumber: String
  smartImportElectricityMeter: SmartMeterDeviceType
  smartExportElectricityMeter: SmartMeterDeviceType
}

type GasMeterPointType {
  id: ID
  mprn: String!
  meters(includeInactive: Boolean): [GasMeterType]
  agreements(includeInactive: Boolean): [GasAgreementType]
}

type GasMeterType {
  id: ID
  serialNumber: String
  "\\"m³\\" for SMETS2, \\"kWh\\" for SMETS1."
  consumptionUnits: String
  smartGasMeter: SmartMeterDeviceType
}

interface TariffType {
  id: ID
  displayName: String
  fullName: String
  description: String
  productCode: String
  standingCharge: Float
  preVatStandingCharge: Float
  tariffCode: String
}

type StandardTariff implements TariffType {
  id: ID
  displayName: String
  fullName: String
  description: String
  productCode: String
  standingCharge: Float
  preVatStandingCharge: Float
  tariffCode: String
  unitRate: Float
  preVatUnitRate: Float
  isExport: Boolean
}

type DayNightTariff implements TariffType {
  id: ID
  displayName: String
  fullName: String
  description: String
  productCode: String
  standingCharge: Float
  preVatStandingCharge: Float
  tariffCode: String
  dayRate: Float
  nightRate: Float
  preVatDayRate: Float
  preVatNightRate: Float
}

type HalfHourlyTariff implements TariffType {
  id: ID
  displayName: String
  fullName: String
  description: String
  productCode: String
  standingCharge: Float
  preVatStandingCharge: Float
  tariffCode: String
  isExport: Boolean
}

union ElectricityTariffType = StandardTariff | DayNightTariff | HalfHourlyTariff

type GasTariffType implements TariffType {
  id: ID
  displayName: String
  fullName: String
  description: String
  productCode: String
  standingCharge: Float
  preVatStandingCharge: Float
  tariffCode: String
  unitRate: Float
  preVatUnitRate: Float
}

type ElectricityAgreementType {
  id: Int
  validFrom: DateTime
  validTo: DateTime
  isActive: Boolean
  tariff: ElectricityTariffType
  meterPoint: ElectricityMeterPointType
}

type GasAgreementType {
  id: Int
  validFrom: DateTime
  validTo: DateTime
  isActive: Boolean
  tariff: GasTariffType
  meterPoint: GasMeterPointType
}

enum KrakenFlexDeviceTypes {
  BATTERIES
  CHARGE_POINTS
  ELECTRIC_VEHICLES
  HEAT_PUMPS
  INVERTERS
  THERMOSTATS
}

enum SmartFlexDeviceStatusChoices {
  ONBOARDING
  PENDING_LIVE
  LIVE
  ONBOARDING_TEST_IN_PROGRESS
  FAILED_ONBOARDING_TEST
  RETIRED
}

enum SmartFlexDeviceCurrentState {
  AUTHENTICATION_PENDING
  AUTHENTICATION_FAILED
  AUTHENTICATION_COMPLETE
  TEST_CHARGE_IN_PROGRESS
  TEST_CHARGE_FAILED
  TEST_CHARGE_NOT_AVAILABLE
  SETUP_COMPLETE
  SMART_CONTROL_CAPABLE
  SMART_CONTROL_IN_PROGRESS
  BOOSTING
  SMART_CONTROL_OFF
  LOST_CONNECTION
  RETIRED
}

interface SmartFlexDeviceStatusInterface {
  current: SmartFlexDeviceStatusChoices
  currentState: SmartFlexDeviceCurrentState
  isSuspended: Boolean
}

type SmartFlexDeviceStatus implements SmartFlexDeviceStatusInterface {
  current: SmartFlexDeviceStatusChoices
  currentState: SmartFlexDeviceCurrentState
  isSuspended: Boolean
}

enum DevicePreferenceMode {
  CHARGE
}

enum DevicePreferenceUnit {
  PERCENTAGE
  KILOWATT_HOURS
}

enum DevicePreferenceTargetType {
  ABSOLUTE_STATE_OF_CHARGE
  ENERGY_ADDED
}

enum DayOfWeek {
  MONDAY
  TUESDAY
  WEDNESDAY
  THURSDAY
  FRIDAY
  SATURDAY
  SUNDAY
}

type SmartFlexDeviceSchedule {
  dayOfWeek: DayOfWeek
  time: String
  min: Decimal
  max: Decimal
}

interface SmartFlexDevicePreferencesInterface {
  mode: DevicePreferenceMode
  unit: DevicePreferenceUnit
  targetType: DevicePreferenceTargetType
  schedules: [SmartFlexDeviceSchedule]
}

type SmartFlexChargingPreferences implements SmartFlexDevicePreferencesInterface {
  mode: DevicePreferenceMode
  unit: DevicePreferenceUnit
  targetType: DevicePreferenceTargetType
  schedules: [SmartFlexDeviceSchedule]
}

type ScheduleSettingType {
  id: ID
  min: Decimal
  max: Decimal
  step: Decimal
  timeFrom: String
  timeTo: String
  "Minutes between allowed ready-by times."
  timeStep: Int
}

interface FlexDevicePreferenceSettingInterface {
  deviceType: KrakenFlexDeviceTypes
  mode: DevicePreferenceMode
  unit: DevicePreferenceUnit
  scheduleSettings: [ScheduleSettingType]
}

type SmartFlexChargingPreferenceSetting implements FlexDevicePreferenceSettingInterface {
  deviceType: KrakenFlexDeviceTypes
  mode: DevicePreferenceMode
  unit: DevicePreferenceUnit
  scheduleSettings: [ScheduleSettingType]
}

interface SmartFlexDeviceInterface {
  id: String!
  name: String
  deviceType: KrakenFlexDeviceTypes!
  integrationDeviceId: String
  propertyId: ID
  provider: String
  status: SmartFlexDeviceStatusInterface
  preferences: SmartFlexDevicePreferencesInterface
  preferenceSetting: FlexDevicePreferenceSettingInterface
}

type SmartFlexVehicle implements SmartFlexDeviceInterface {
  id: String!
  name: String
  deviceType: KrakenFlexDeviceTypes!
  integrationDeviceId: String
  propertyId: ID
  provider: String
  status: SmartFlexDeviceStatusInterface
  preferences: SmartFlexDevicePreferencesInterface
  preferenceSetting: FlexDevicePreferenceSettingInterface
  make: String
  model: String
}

type SmartFlexChargePoint implements SmartFlexDeviceInterface {
  id: String!
  name: String
  deviceType: KrakenFlexDeviceTypes!
  integrationDeviceId: String
  propertyId: ID
  provider: String
  status: SmartFlexDeviceStatusInterface
  preferences: SmartFlexDevicePreferencesInterface
  preferenceSetting: FlexDevicePreferenceSettingInterface
  make: String
  model: String
}

enum SmartFlexDispatchType {
  SMART
  BOOST
  TEST
}

type SmartFlexDispatch {
  start: DateTime
  end: DateTime
  type: SmartFlexDispatchType
  energyAddedKwh: Decimal
}

type UpsideDispatchMetaType {
  source: String
  location: String
}

type UpsideDispatchType {
  start: DateTime
  end: DateTime
  delta: Decimal
  meta: UpsideDispatchMetaType
}

"Groupings beyond TEN_SECONDS and HALF_HOURLY are unverified against the real API."
enum TelemetryGrouping {
  TEN_SECONDS
  ONE_MINUTE
  FIVE_MINUTES
  FIFTEEN_MINUTES
  THIRTY_MINUTES
  HALF_HOURLY
  ONE_HOUR
}

type SmartMeterTelemetryType {
  readAt: DateTime
  consumption: Decimal
  consumptionDelta: Decimal
  demand: Decimal
  export: Decimal
  costDelta: Decimal
  costDeltaWithTax: Decimal
}

input UpdateBoostChargeInput {
  deviceId: String!
  action: BoostChargeAction!
}

enum BoostChargeAction {
  BOOST
  CANCEL
}

input SmartControlInput {
  deviceId: String!
  action: SmartControlAction!
}

enum SmartControlAction {
  SUSPEND
  UNSUSPEND
}

input SmartFlexDeviceScheduleInput {
  dayOfWeek: DayOfWeek!
  time: String!
  max: Decimal
  min: Decimal
}

input SmartFlexDevicePreferencesInput {
  deviceId: String!
  mode: DevicePreferenceMode!
  unit: DevicePreferenceUnit!
  targetType: DevicePreferenceTargetType
  schedules: [SmartFlexDeviceScheduleInput!]
}

input IsChargingDurationCappedInput {
  deviceId: String!
  enabled: Boolean!
}
"""


@cache
def schema() -> GraphQLSchema:
    """The executable schema with the simulator's resolvers and scalars attached."""
    from octopus_simulator.resolvers import bind

    built = build_schema(SDL)
    bind(built)
    return built
