import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congso.accounts.identity import (
    PROVINCE_CODES,
    birth_year_and_sex,
    normalise_phone,
    validate_id_number,
)


def _code(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.code


@pytest.mark.parametrize(
    ("number", "year", "sex"),
    [
        ("040090001234", 1990, "male"),  # Nghệ An, man born 1990
        ("040195004321", 1995, "female"),
        ("001203000001", 2003, "male"),  # Hà Nội, man born 2003
        ("079318000002", 2018, "female"),  # TP HCM, woman born 2018
    ],
)
def test_valid_numbers_give_year_and_sex(number, year, sex):
    assert validate_id_number(number, date_of_birth=dt.date(year, 6, 1), sex=sex) == number
    assert birth_year_and_sex(number) == (year, sex)


def test_spaces_are_removed_and_full_width_digits_read():
    assert validate_id_number(" 040 090 001 234 ") == "040090001234"
    assert validate_id_number("０４００９０００１２３４") == "040090001234"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("04009000123a", "id_digits"),
        ("٠٤٠٠٩٠٠٠١٢٣٤", "id_digits"),  # Arabic-Indic digits are not ASCII even after NFKC
        ("", "id_digits"),
        ("04009000123", "id_length"),
        ("0400900012345", "id_length"),
        ("003090001234", "id_province"),  # 003 is no province
        ("099090001234", "id_province"),
        ("040399001234", "id_future"),  # woman born 2099
    ],
)
def test_invalid_numbers_say_why(number, code):
    assert _code(lambda: validate_id_number(number)) == code


def test_birth_year_must_match_date_of_birth():
    assert (
        _code(lambda: validate_id_number("040090001234", date_of_birth=dt.date(1991, 5, 12)))
        == "id_birth_year"
    )


def test_century_digit_decides_the_century():
    # "2" = man born in the 2000s: "…2 05…" is 2005, not 1905
    assert validate_id_number("040205001234", date_of_birth=dt.date(2005, 1, 1))
    assert (
        _code(lambda: validate_id_number("040205001234", date_of_birth=dt.date(1905, 1, 1)))
        == "id_birth_year"
    )


def test_sex_must_match():
    assert _code(lambda: validate_id_number("040090001234", sex="female")) == "id_sex"
    assert _code(lambda: validate_id_number("040195004321", sex="male")) == "id_sex"


def test_message_is_vietnamese():
    with pytest.raises(ValidationError) as caught:
        validate_id_number("003090001234")
    assert "mã tỉnh" in caught.value.messages[0]


def test_old_nine_digit_cards():
    assert validate_id_number("186123456") == "186123456"
    assert _code(lambda: validate_id_number("186123456", allow_old=False)) == "id_old"


def test_province_codes_are_the_63_provinces():
    assert len(PROVINCE_CODES) == 63
    assert {"001", "040", "079", "096"} <= PROVINCE_CODES


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0238 3861 266", "+842383861266"),  # Nghệ An landline
    ],
)
def test_phones_normalise_to_e164(raw, e164):
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "123", "0912 345", "abc", "091234567890123"])
def test_bad_phones_refused(raw):
    assert _code(lambda: normalise_phone(raw)) == "phone"
