"""Tariff codes, product kinds and meter identifiers."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.octopus_kraken.api.models import Fuel
from custom_components.octopus_kraken.domain.tariff_codes import (
    InvalidTariffCodeError,
    TariffCode,
    TariffKind,
    build_tariff_code,
    is_export_product,
    is_valid_mpan,
    is_valid_mprn,
    normalise_serial,
    parse_tariff_code,
    tariff_kind,
)


def test_an_agile_tariff_code_parses_into_its_parts() -> None:
    code = parse_tariff_code("E-1R-AGILE-24-10-01-C")

    assert code == TariffCode(Fuel.ELECTRICITY, 1, "AGILE-24-10-01", "_C")
    assert code.kind is TariffKind.AGILE
    assert not code.is_export


def test_a_gas_economy_and_export_codes_parse() -> None:
    assert parse_tariff_code("G-1R-VAR-22-11-01-A").fuel is Fuel.GAS
    assert parse_tariff_code("E-2R-VAR-22-11-01-P").registers == 2
    export = parse_tariff_code("E-1R-AGILE-OUTGOING-19-05-13-J")
    assert export.is_export
    assert export.kind is TariffKind.AGILE_OUTGOING


def test_parsing_forgives_case_and_surrounding_space() -> None:
    assert parse_tariff_code("  e-1r-go-var-22-10-14-h ").code == "E-1R-GO-VAR-22-10-14-H"


@pytest.mark.parametrize(
    "code",
    [
        "E-1R-AGILE-24-10-01",  # no region
        "E-1R-AGILE-24-10-01-I",  # I is not a GSP group
        "E-1R-AGILE-24-10-01-Z",
        "X-1R-AGILE-24-10-01-C",  # unknown fuel
        "E-0R-AGILE-24-10-01-C",  # no registers
        "E-R-AGILE-24-10-01-C",
        "E-1R--C",
        "",
        "AGILE-24-10-01",
    ],
)
def test_strings_that_are_not_tariff_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidTariffCodeError):
        parse_tariff_code(code)


def test_an_invalid_tariff_code_is_a_value_error_for_callers() -> None:
    assert issubclass(InvalidTariffCodeError, ValueError)


@pytest.mark.parametrize("region", ["C", "_C", "c", " _c "])
def test_building_a_code_accepts_the_region_with_or_without_underscore(region: str) -> None:
    code = build_tariff_code(Fuel.ELECTRICITY, 1, "AGILE-24-10-01", region)

    assert code.region == "_C"
    assert str(code) == "E-1R-AGILE-24-10-01-C"


def test_building_a_code_validates_it() -> None:
    with pytest.raises(InvalidTariffCodeError):
        build_tariff_code(Fuel.GAS, 1, "VAR-22-11-01", "_O")


@settings(max_examples=100)
@given(
    fuel=st.sampled_from(Fuel),
    registers=st.integers(1, 9),
    product=st.from_regex(r"[A-Z0-9]{1,6}(-[A-Z0-9]{1,4}){0,4}", fullmatch=True),
    region=st.sampled_from("ABCDEFGHJKLMNP"),
)
def test_a_built_code_parses_back_to_itself(
    fuel: Fuel, registers: int, product: str, region: str
) -> None:
    code = build_tariff_code(fuel, registers, product, region)

    assert parse_tariff_code(code.code) == code


@pytest.mark.parametrize(
    ("product", "kind"),
    [
        ("AGILE-24-10-01", TariffKind.AGILE),
        ("AGILE-FLEX-22-11-25", TariffKind.AGILE),
        ("AGILE-OUTGOING-19-05-13", TariffKind.AGILE_OUTGOING),
        ("AGILE-EXPORT-24-10-01", TariffKind.AGILE_OUTGOING),
        ("INTELLI-VAR-22-10-14", TariffKind.INTELLIGENT_GO),
        ("INTELLI-BB-VAR-23-03-01", TariffKind.INTELLIGENT_GO),
        ("GO-VAR-22-10-14", TariffKind.GO),
        ("SILVER-FLEX-22-11-25", TariffKind.TRACKER),
        ("SILVER-24-12-31", TariffKind.TRACKER),
        ("COSY-22-12-08", TariffKind.COSY),
        ("FLUX-IMPORT-23-02-14", TariffKind.FLUX),
        ("FLUX-EXPORT-23-02-14", TariffKind.FLUX),
        ("INTELLI-FLUX-IMPORT-23-07-14", TariffKind.FLUX),
        ("INTELLI-FLUX-EXPORT-23-07-14", TariffKind.FLUX),
        ("OUTGOING-FIX-12M-19-05-13", TariffKind.OUTGOING),
        ("OUTGOING-VAR-24-10-26", TariffKind.OUTGOING),
        ("OE-FIX-12M-24-09-01", TariffKind.FIXED),
        ("LOYAL-FIX-12M-24-03-01", TariffKind.FIXED),
        ("VAR-22-11-01", TariffKind.VARIABLE),
        ("PREPAY-VAR-22-11-01", TariffKind.VARIABLE),
        ("SOMETHING-NEW-25-01-01", TariffKind.UNKNOWN),
        ("agile-24-10-01", TariffKind.AGILE),
    ],
)
def test_product_codes_are_classified_by_kind(product: str, kind: TariffKind) -> None:
    assert tariff_kind(product) is kind


@pytest.mark.parametrize(
    ("product", "export"),
    [
        ("AGILE-OUTGOING-19-05-13", True),
        ("OUTGOING-FIX-12M-19-05-13", True),
        ("FLUX-EXPORT-23-02-14", True),
        ("FLUX-IMPORT-23-02-14", False),
        ("AGILE-24-10-01", False),
        ("VAR-22-11-01", False),
    ],
)
def test_export_products_are_recognised(product: str, export: bool) -> None:
    assert is_export_product(product) is export


@pytest.mark.parametrize("mpan", ["1200023305967", "1900000000004", " 2345678901238 "])
def test_mpans_with_a_correct_check_digit_are_valid(mpan: str) -> None:
    assert is_valid_mpan(mpan)


@pytest.mark.parametrize(
    "mpan",
    [
        "1200023305968",
        "120002330596",
        "12000233059670",
        "12000233059a7",
        "",
        "".join(chr(0xFF10 + int(d)) for d in "1200023305967"),
    ],
)
def test_mpans_of_the_wrong_shape_or_check_digit_are_invalid(mpan: str) -> None:
    assert not is_valid_mpan(mpan)


@settings(max_examples=100)
@given(core=st.from_regex(r"[0-9]{12}", fullmatch=True), wrong=st.integers(1, 9))
def test_exactly_one_check_digit_makes_an_mpan_valid(core: str, wrong: int) -> None:
    valid = [d for d in "0123456789" if is_valid_mpan(core + d)]

    assert len(valid) == 1
    assert not is_valid_mpan(core + str((int(valid[0]) + wrong) % 10))


@pytest.mark.parametrize(
    ("mprn", "valid"),
    [
        ("123456", True),
        ("1234567890", True),
        (" 3012345678 ", True),
        ("12345", False),
        ("12345678901", False),
        ("12345a", False),
        ("", False),
    ],
)
def test_mprns_are_six_to_ten_digits(mprn: str, valid: bool) -> None:
    assert is_valid_mprn(mprn) is valid


def test_serial_numbers_are_trimmed_and_upper_cased() -> None:
    assert normalise_serial("  21l3456789 ") == "21L3456789"


@pytest.mark.parametrize("serial", ["", "   "])
def test_an_empty_serial_number_is_refused(serial: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        normalise_serial(serial)
