"""Vietnamese text folding: what makes ``dang ky khai sinh`` find ``Đăng ký khai sinh``."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s.\-/]", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower-case, drop diacritics (``đ`` → ``d``) and squeeze white space.

    NFD splits a letter from its tone and vowel marks; ``đ`` has no decomposition, so it is mapped
    by hand.
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _NON_WORD.sub(" ", stripped.lower())
    return _SPACES.sub(" ", stripped).strip()


def tokens(text: str | None) -> list[str]:
    return [t for t in fold(text).split(" ") if t]
