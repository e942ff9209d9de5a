"""GraphQL account payloads (accounts, meter points, agreements) into dataclasses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..models import (
    Account,
    Agreement,
    Direction,
    ElectricityMeter,
    ElectricityMeterPoint,
    GasMeter,
    GasMeterPoint,
    Octoplus,
    Property,
    Tariff,
)
from ..values import (
    JSONObject,
    as_object,
    opt_datetime,
    opt_decimal,
    opt_int,
    opt_list,
    opt_str,
    req_str,
    strict,
)

_EARLIEST = datetime.min.replace(tzinfo=UTC)


# --- GraphQL: accounts ------------------------------------------------------------------------


@strict
def parse_account_numbers(data: JSONObject) -> list[str]:
    """``viewer { accounts { number } }``."""
    viewer = as_object(data.get("viewer"), "viewer")
    return [req_str(as_object(item, "account"), "number") for item in opt_list(viewer, "accounts")]


def _tariff(raw: object) -> Tariff:
    item = as_object(raw, "tariff")
    return Tariff(
        tariff_code=req_str(item, "tariffCode"),
        product_code=opt_str(item, "productCode"),
        display_name=opt_str(item, "displayName"),
        full_name=opt_str(item, "fullName"),
    )


def _agreement(item: JSONObject) -> Agreement:
    return Agreement(
        tariff=_tariff(item.get("tariff")),
        valid_from=opt_datetime(item, "validFrom"),
        valid_to=opt_datetime(item, "validTo"),
    )


def _device_id(meter: JSONObject, key: str) -> str | None:
    device = meter.get(key)
    return None if device is None else opt_str(as_object(device, key), "deviceId")


def _electricity_meter(raw: object) -> ElectricityMeter:
    meter = as_object(raw, "meter")
    return ElectricityMeter(
        serial_number=req_str(meter, "serialNumber"),
        import_device_id=_device_id(meter, "smartImportElectricityMeter"),
        export_device_id=_device_id(meter, "smartExportElectricityMeter"),
    )


def _gas_meter(raw: object) -> GasMeter:
    meter = as_object(raw, "meter")
    return GasMeter(
        serial_number=req_str(meter, "serialNumber"),
        consumption_units=opt_str(meter, "consumptionUnits"),
        device_id=_device_id(meter, "smartGasMeter"),
    )


def _history(outer: JSONObject, point: JSONObject) -> list[Agreement]:
    """The meter point's agreement history, or just the agreement that led to it."""
    agreements = [_agreement(outer)]
    agreements += [_agreement(as_object(raw, "agreement")) for raw in opt_list(point, "agreements")]
    return agreements


def _merge(agreements: list[Agreement]) -> tuple[Agreement, ...]:
    """Agreements ascending by start, each once (the active one is also in the history)."""
    unique = {(a.tariff.tariff_code, a.valid_from): a for a in reversed(agreements)}
    return tuple(sorted(unique.values(), key=lambda a: a.valid_from or _EARLIEST))


def _electricity_points(agreements: list[Any]) -> list[ElectricityMeterPoint]:
    """Meter points of the active ``electricityAgreements``, each with its history, by MPAN."""
    heads: dict[str, tuple[Direction, tuple[ElectricityMeter, ...]]] = {}
    grouped: dict[str, list[Agreement]] = {}
    for raw in agreements:
        item = as_object(raw, "agreement")
        point = as_object(item.get("meterPoint"), "meterPoint")
        mpan = req_str(point, "mpan")
        direction = Direction(opt_str(point, "direction") or Direction.IMPORT)
        meters = tuple(_electricity_meter(meter) for meter in opt_list(point, "meters"))
        heads.setdefault(mpan, (direction, meters))
        grouped.setdefault(mpan, []).extend(_history(item, point))
    return [
        ElectricityMeterPoint(
            mpan=mpan, direction=direction, meters=meters, agreements=_merge(grouped[mpan])
        )
        for mpan, (direction, meters) in heads.items()
    ]


def _gas_points(agreements: list[Any]) -> list[GasMeterPoint]:
    """Meter points of the active ``gasAgreements``, each with its history, by MPRN."""
    heads: dict[str, tuple[GasMeter, ...]] = {}
    grouped: dict[str, list[Agreement]] = {}
    for raw in agreements:
        item = as_object(raw, "agreement")
        point = as_object(item.get("meterPoint"), "meterPoint")
        mprn = req_str(point, "mprn")
        heads.setdefault(mprn, tuple(_gas_meter(meter) for meter in opt_list(point, "meters")))
        grouped.setdefault(mprn, []).extend(_history(item, point))
    return [
        GasMeterPoint(mprn=mprn, meters=meters, agreements=_merge(grouped[mprn]))
        for mprn, meters in heads.items()
    ]


def _address_line_1(item: JSONObject) -> str | None:
    """The first line of a property's address.

    ``splitAddress`` lists the lines; ``address`` is one string (comma- or newline-separated).
    """
    split = item.get("splitAddress")
    lines: list[Any] = split if isinstance(split, list) else []
    if not lines:
        address = opt_str(item, "address") or ""
        lines = address.replace("\n", ",").split(",")
    first = next((str(line).strip() for line in lines if line and str(line).strip()), "")
    return first or None


@strict
def parse_account(data: JSONObject) -> Account:
    """``account(accountNumber)``: meter points grouped under the properties that list them.

    A property claims a meter point when its ``electricityMeterPoints``/``gasMeterPoints`` list
    the MPAN/MPRN; meter points no property claims go to the first property (the usual account
    has one), or to a property with an empty id when the account lists none.
    """
    account = as_object(data.get("account"), "account")
    electricity = _electricity_points(opt_list(account, "electricityAgreements"))
    gas = _gas_points(opt_list(account, "gasAgreements"))
    raw_properties = [as_object(item, "property") for item in opt_list(account, "properties")]
    if not raw_properties and (electricity or gas):
        raw_properties = [{"id": ""}]

    claims: list[tuple[set[str], set[str]]] = [
        (
            {req_str(as_object(p, "mp"), "mpan") for p in opt_list(item, "electricityMeterPoints")},
            {req_str(as_object(p, "mp"), "mprn") for p in opt_list(item, "gasMeterPoints")},
        )
        for item in raw_properties
    ]
    claimed_mpans = set().union(*(mpans for mpans, _ in claims))
    claimed_mprns = set().union(*(mprns for _, mprns in claims))
    properties = []
    for index, (item, (mpans, mprns)) in enumerate(zip(raw_properties, claims, strict=True)):
        first = index == 0
        properties.append(
            Property(
                id=req_str(item, "id"),
                address_line_1=_address_line_1(item),
                postcode=opt_str(item, "postcode"),
                electricity_meter_points=tuple(
                    mp
                    for mp in electricity
                    if mp.mpan in mpans or (first and mp.mpan not in claimed_mpans)
                ),
                gas_meter_points=tuple(
                    mp for mp in gas if mp.mprn in mprns or (first and mp.mprn not in claimed_mprns)
                ),
            )
        )
    return Account(
        number=req_str(account, "number"),
        balance=opt_decimal(account, "balance"),
        properties=tuple(properties),
    )


@strict
def parse_octoplus(data: JSONObject) -> Octoplus | None:
    """``octoplusAccountInfo`` (and ``loyaltyPointsBalance`` if asked for) beside the account."""
    info = data.get("octoplusAccountInfo")
    if info is None:
        return None
    status = opt_str(as_object(info, "octoplusAccountInfo"), "enrollmentStatus")
    balance = data.get("loyaltyPointsBalance")
    points = None
    if balance is not None:
        points = opt_int(as_object(balance, "loyaltyPointsBalance"), "loyaltyPoints")
    return Octoplus(status, points)
