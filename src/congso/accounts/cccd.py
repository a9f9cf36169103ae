"""Reading the QR code printed on the chip-based citizen ID card (căn cước công dân gắn chip).

The code on the front of the card (Circular 06/2021/TT-BCA, the card's model) holds seven fields
separated by ``|``, in this order: the 12-digit personal ID, the old 9-digit identity-card number
(empty when the holder never had one), full name, date of birth (``ddmmyyyy``), sex (``Nam`` /
``Nữ``), permanent residence, and the card's issue date (``ddmmyyyy``). A desk's USB scanner types
the payload into the focused field followed by Enter; a tablet's camera reads the same text.

The parse is a pure function: it returns every field or refuses the whole payload with one
Vietnamese message, so a half-read code never fills half a form. The personal ID is checked with
``identity.validate_id_number`` against the birth year and sex it encodes (Circular 59/2021/TT-BCA,
art. 4), which also catches a scan that swapped or lost fields.
"""

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .identity import validate_id_number

FIELDS = 7
SEX_WORDS = {"nam": "male", "nữ": "female", "nu": "female"}
MAX_LENGTH = 1000  # a real payload is about 150 characters; anything far longer is not a card


@dataclass(frozen=True)
class CardData:
    id_number: str
    old_id_number: str
    name: str
    date_of_birth: dt.date
    sex: str  # "male" / "female", as ``User.sex``
    address: str
    issued_on: dt.date


def _refuse(detail: str):
    return ValidationError(
        _("Không đọc được mã QR trên căn cước: %(detail)s. Hãy quét lại.") % {"detail": detail},
        code="cccd_qr",
    )


def _date(raw: str, what: str) -> dt.date:
    if len(raw) != 8 or not (raw.isascii() and raw.isdigit()):
        raise _refuse(_("%(what)s không đúng dạng ngàythángnăm") % {"what": what})
    try:
        return dt.date(int(raw[4:]), int(raw[2:4]), int(raw[:2]))
    except ValueError:
        raise _refuse(_("%(what)s không phải ngày có thật") % {"what": what}) from None


def parse_cccd_qr(payload: str, *, today: dt.date | None = None) -> CardData:
    """The card's data from the scanned text, or ``ValidationError`` with one Vietnamese message."""
    today = today or dt.date.today()
    text = unicodedata.normalize("NFC", payload or "").strip()
    parts = [part.strip() for part in text.split("|")] if len(text) <= MAX_LENGTH else []
    if len(parts) != FIELDS:
        raise _refuse(_("mã không phải của thẻ căn cước gắn chip"))
    number, old, name, born, sex_word, address, issued = parts
    if not name or any(ch.isdigit() for ch in name):
        raise _refuse(_("thiếu họ tên hoặc họ tên có chữ số"))
    if old and not (len(old) == 9 and old.isascii() and old.isdigit()):
        raise _refuse(_("số CMND cũ phải có 9 chữ số"))
    sex = SEX_WORDS.get(sex_word.lower())
    if sex is None:
        raise _refuse(_("giới tính phải là Nam hoặc Nữ"))
    date_of_birth = _date(born, _("ngày sinh"))
    issued_on = _date(issued, _("ngày cấp"))
    if not date_of_birth <= issued_on <= today:
        raise _refuse(_("ngày cấp phải sau ngày sinh và không ở tương lai"))
    try:
        number = validate_id_number(number, date_of_birth=date_of_birth, sex=sex, allow_old=False)
    except ValidationError as exc:
        raise _refuse(exc.messages[0].rstrip(".")) from None
    return CardData(number, old, " ".join(name.split()), date_of_birth, sex, address, issued_on)
