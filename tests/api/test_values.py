"""Strict JSON readers, datetime formatting and Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from custom_components.octopus_kraken.api import OctopusResponseError
from custom_components.octopus_kraken.api.transport import parse_retry_after
from custom_components.octopus_kraken.api.values import (
    decode_json,
    format_datetime,
    opt_int,
    strict,
    to_datetime,
    to_decimal,
)


def test_json_floats_decode_as_exact_decimals() -> None:
    assert decode_json(b'{"v": 0.1, "n": 3}') == {"v": Decimal("0.1"), "n": 3}


@pytest.mark.parametrize("body", [b"<html>502</html>", b"{", b'{"v": NaN}', b"\xff\xfe", b""])
def test_malformed_json_raises_a_response_error(body: bytes) -> None:
    with pytest.raises(OctopusResponseError):
        decode_json(body)


def test_datetimes_are_sent_in_utc_z_form() -> None:
    london = timezone(timedelta(hours=1))
    assert format_datetime(datetime(2024, 6, 1, 0, 30, tzinfo=london)) == "2024-05-31T23:30:00Z"
    assert format_datetime(datetime(2024, 1, 1, 0, 0, 0, 5, tzinfo=UTC)) == (
        "2024-01-01T00:00:00.000005Z"
    )
    with pytest.raises(ValueError, match="naive"):
        format_datetime(datetime(2024, 1, 1))


def test_datetimes_accept_z_and_offsets_and_become_utc() -> None:
    assert to_datetime("2024-06-01T00:30:00+01:00", "x") == datetime(
        2024, 5, 31, 23, 30, tzinfo=UTC
    )
    assert to_datetime("2024-06-01T00:30:00Z", "x").tzinfo is UTC
    for bad in ("2024-06-01T00:30:00", "soon", None, 1717200000):
        with pytest.raises(OctopusResponseError):
            to_datetime(bad, "x")


def test_decimals_and_integers_are_read_strictly() -> None:
    assert to_decimal("1.50", "x") == Decimal("1.50")
    assert to_decimal(2.5, "x") == Decimal("2.5")
    assert opt_int({"v": Decimal("2.0")}, "v") == 2
    assert opt_int({"v": "3"}, "v") == 3
    for bad in (True, None, [], "abc", "sNaN", "-Infinity"):
        with pytest.raises(OctopusResponseError):
            to_decimal(bad, "x")
    for bad_int in (True, "Infinity", "x"):
        with pytest.raises(OctopusResponseError):
            opt_int({"v": bad_int}, "v")


def test_strict_parsers_turn_stray_errors_into_response_errors() -> None:
    @strict
    def parser(payload: dict[str, int]) -> int:
        return payload["missing"]

    with pytest.raises(OctopusResponseError, match="parser"):
        parser({})


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after(" 2.5 ", now) == 2.5
    assert parse_retry_after("-4", now) == 0.0
    assert parse_retry_after("Mon, 01 Jan 2024 12:01:00 GMT", now) == 60.0
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:10 -0000", now) == 10.0
    assert parse_retry_after("whenever", now) is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("Mon, 01 Jan 2099 12:00:00 GMT") > 0
