"""Checks of Vietnamese personal identifiers, as pure functions.

The 12-digit personal ID (số định danh cá nhân, Circular 59/2021/TT-BCA): 3 digits for the
province where the birth was registered, 1 digit for century and sex, 2 digits for the year of
birth, 6 random digits. Old 9-digit identity cards are still accepted where the law allows.
"""

import datetime as dt
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Province codes of the 63 provinces (Decree 59/2021 annex); birth registrations keep them.
PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)

#: century-and-sex digit → (first year of the century, sex)
CENTURY_SEX = {
    "0": (1900, "male"),
    "1": (1900, "female"),
    "2": (2000, "male"),
    "3": (2000, "female"),
    "4": (2100, "male"),
    "5": (2100, "female"),
    "6": (2200, "male"),
    "7": (2200, "female"),
    "8": (2300, "male"),
    "9": (2300, "female"),
}


def birth_year_and_sex(id_number: str) -> tuple[int, str]:
    century, sex = CENTURY_SEX[id_number[3]]
    return century + int(id_number[4:6]), sex


def validate_id_number(
    value: str,
    *,
    date_of_birth: dt.date | None = None,
    sex: str | None = None,
    allow_old: bool = True,
) -> str:
    """Return the normalised number or raise ``ValidationError`` saying what is wrong."""
    # NFKC turns full-width digits (from some input methods) into ASCII ones
    number = unicodedata.normalize("NFKC", value or "").strip().replace(" ", "")
    if not (number.isascii() and number.isdigit()):
        raise ValidationError(_("Số định danh cá nhân chỉ gồm chữ số."), code="id_digits")
    if len(number) == 9:
        if allow_old:
            return number
        raise ValidationError(
            _("Thủ tục này yêu cầu số định danh cá nhân 12 chữ số."), code="id_old"
        )
    if len(number) != 12:
        raise ValidationError(
            _("Số định danh cá nhân phải có 12 chữ số (hoặc 9 chữ số với CMND cũ)."),
            code="id_length",
        )
    if number[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu (%(code)s) không phải mã tỉnh, thành phố hợp lệ.")
            % {"code": number[:3]},
            code="id_province",
        )
    year, encoded_sex = birth_year_and_sex(number)
    if year > dt.date.today().year:
        raise ValidationError(_("Năm sinh trong số định danh nằm ở tương lai."), code="id_future")
    if date_of_birth is not None and date_of_birth.year != year:
        raise ValidationError(
            _("Số định danh cho biết năm sinh %(year)s, khác với ngày sinh đã khai.")
            % {"year": year},
            code="id_birth_year",
        )
    if sex is not None and sex != encoded_sex:
        raise ValidationError(_("Giới tính không khớp với số định danh cá nhân."), code="id_sex")
    return number


def normalise_phone(value: str) -> str:
    """A Vietnamese phone number in E.164 (``+84912345678``), or ``ValidationError``."""
    try:
        parsed = phonenumbers.parse((value or "").strip(), "VN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Số điện thoại không hợp lệ."), code="phone") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("Số điện thoại không hợp lệ."), code="phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
