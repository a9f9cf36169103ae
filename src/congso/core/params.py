"""Ids read from a query string or a form.

An id is ASCII digits that fit the database's 64-bit key: ``"²".isdigit()`` is True and twenty
nines overflow SQLite and PostgreSQL alike, so a bare ``isdigit()`` lets junk reach the database
and end in a server error.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """The key ``value`` names, or None when it names none (pages ignore such a filter)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def query_id(params, name: str) -> int | None:
    """The id ``params[name]``; None when absent. The API refuses a value that is not an id
    (``ValidationError``, a 400 in the one error format) rather than ignore it silently."""
    raw = str(params.get(name) or "").strip()
    if not raw:
        return None
    number = as_id(raw)
    if number is None:
        raise ValidationError({name: [_("Mã số không hợp lệ: hãy nhập một số nguyên dương.")]})
    return number
