"""Vietnamese alphabetical order, the same in the database and in Python.

Byte order puts "Nghi Long" before "Nghi Lâm" and "Đông" after "Yên"; a Vietnamese reader expects
the order of the alphabet (a ă â b c d đ e ê … o ô ơ … u ư …), tones compared only when the letters
are equal (ngang, huyền, hỏi, ngã, sắc, nặng — the order of the Unicode collation algorithm's
Vietnamese tailoring, CLDR ``vi``), and case last.

PostgreSQL sorts with its ICU collation ``vi-x-icu``; SQLite gets a collation of the same name,
registered on every connection, that compares with ``sort_key``. Querysets order with
``by_vietnamese("name")``; Python lists with ``sorted(…, key=sort_key)``.
"""

import functools
import unicodedata

from django.db.models import F
from django.db.models.functions import Collate

#: The collation's name on both databases (PostgreSQL's predefined ICU collation).
VIETNAMESE = "vi-x-icu"

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_MODIFIED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
             ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}  # fmt: skip
# (breve, circumflex and horn make new letters; they are not tones)
#: Tones in the order the Vietnamese tailoring compares them (secondary weight).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str):
    """(base letter, tone, is upper) for each character of ``text``, marks folded in."""
    letter = None
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if letter is None:
                continue
            base, tone, upper = letter
            if char in _TONES:
                letter = (base, _TONES[char], upper)
            elif (base, char) in _MODIFIED:
                letter = (_MODIFIED[base, char], tone, upper)
            continue
        if letter is not None:
            yield letter
        lower = char.lower()
        letter = ("đ" if lower == "đ" else lower, 0, char != lower)
    if letter is not None:
        yield letter


def _primary(base: str) -> tuple[int, int]:
    """Spaces and punctuation first, then digits, then the Vietnamese alphabet, then the rest."""
    if base in _ALPHABET:
        return (3, _ALPHABET.index(base))
    if base.isdigit():
        return (2, int(base) if base.isascii() else ord(base))
    if base.isalpha():
        return (4, ord(base))
    return (1, ord(base))


@functools.lru_cache(maxsize=4096)
def sort_key(text: str | None) -> tuple:
    """The Vietnamese sort key of ``text``: letters first, then tones, then case."""
    letters = list(_letters(text or ""))
    return (
        tuple(_primary(base) for base, _tone, _upper in letters),
        tuple(tone for _base, tone, _upper in letters),
        tuple(upper for _base, _tone, upper in letters),
    )


def compare(left: str, right: str) -> int:
    """-1, 0 or 1 as SQLite's collation callback wants."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def by_vietnamese(field: str, descending: bool = False):
    """An ``order_by`` term sorting ``field`` in Vietnamese order on either database."""
    term = Collate(F(field), VIETNAMESE)
    return term.desc() if descending else term.asc()


def register_sqlite(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give SQLite the collation PostgreSQL has built in."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VIETNAMESE, compare)
