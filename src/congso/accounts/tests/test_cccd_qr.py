"""Reading the chip-based ID card's QR code: every field, or nothing and one Vietnamese message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from congso.accounts.cccd import parse_cccd_qr
from congso.accounts.tests.factories import cccd_payload

TODAY = dt.date(2026, 12, 2)
REFUSAL = "Không đọc được mã QR trên căn cước"


def test_every_field_is_read_in_the_cards_order():
    card = parse_cccd_qr(cccd_payload(42), today=TODAY)
    assert card.id_number == "040190000042"
    assert card.old_id_number == "186543210"
    assert card.name == "Nguyễn Thị Mai"
    assert card.date_of_birth == dt.date(1990, 5, 17)
    assert card.sex == "female"
    assert card.address == "Xóm 3, xã Nghi Long, huyện Nghi Lộc, Nghệ An"
    assert card.issued_on == dt.date(2021, 7, 2)


def test_a_card_without_an_old_number_and_a_man_born_after_2000():
    payload = cccd_payload(7, name="Lê  Văn  Bình", sex="male", born=dt.date(2004, 1, 9), old="")
    card = parse_cccd_qr(payload + "\r\n", today=TODAY)
    assert (card.id_number, card.old_id_number, card.name) == ("040204000007", "", "Lê Văn Bình")
    assert card.sex == "male"


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ("040190000042", "không phải của thẻ căn cước"),
        (cccd_payload().replace("|Nữ|", "|Nam|"), "Giới tính không khớp"),
        (cccd_payload().replace("|Nữ|", "|X|"), "Nam hoặc Nữ"),
        (cccd_payload().replace("17051990", "31021990"), "ngày sinh không phải ngày có thật"),
        (cccd_payload().replace("17051990", "17051991"), "năm sinh 1990"),
        (cccd_payload().replace("02072021", "02072030"), "ngày cấp phải sau ngày sinh"),
        (cccd_payload().replace("186543210", "18654"), "9 chữ số"),
        (cccd_payload().replace("Nguyễn Thị Mai", ""), "thiếu họ tên"),
    ],
)
def test_a_wrong_payload_is_refused_with_what_is_wrong(payload, detail):
    with pytest.raises(ValidationError) as refused:
        parse_cccd_qr(payload, today=TODAY)
    message = refused.value.messages[0]
    assert message.startswith(REFUSAL) and detail in message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_whole_or_refused_in_vietnamese(text):
    try:
        card = parse_cccd_qr(text, today=TODAY)
    except ValidationError as exc:
        assert exc.messages[0].startswith(REFUSAL)
    else:
        assert len(card.id_number) == 12 and card.name


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6), st.text(alphabet="0123456789|ab ", max_size=12))
def test_a_damaged_field_never_fills_anything(index, junk):
    parts = cccd_payload().split("|")
    parts[index] = junk
    try:
        card = parse_cccd_qr("|".join(parts), today=TODAY)
    except ValidationError as exc:
        assert exc.messages[0].startswith(REFUSAL)
    else:  # only an edit that keeps the card consistent may pass, and then it is read as typed
        assert "|".join(parts).count("|") == 6
        assert card.id_number.startswith("040") or index == 0
