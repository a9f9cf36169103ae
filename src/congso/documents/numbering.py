"""Numbers and notations of outgoing documents (Decree 30/2020, appendix I) and arrival numbers.

Numbers run from 01 on 1 January to 31 December, unique per issuer, per year and per series (here
one series per document type); a number below 10 has a leading zero. The notation is the type
abbreviation and the issuer's symbol (``12/QĐ-UBND``); an official letter (công văn) has no type
abbreviation and carries the issuer and the drafting unit instead (``123/UBND-VP``).
"""

from congso.core.numbering import next_value

LETTER = "CV"
#: Types whose notation carries no type abbreviation (Decree 30, appendix III: công văn, thư công).
UNABBREVIATED = frozenset({LETTER, "THC"})


def format_number(number: int) -> str:
    return f"{number:02d}"


def notation(number: int, doc_type: str, issuer_symbol: str, drafting_symbol: str = "") -> str:
    """``Số`` and ``ký hiệu`` without the ``Số:`` prefix."""
    issuer = issuer_symbol or "UBND"
    if doc_type in UNABBREVIATED:
        tail = f"{issuer}-{drafting_symbol}" if drafting_symbol else issuer
    else:
        tail = f"{doc_type}-{issuer}"
    return f"{format_number(number)}/{tail}"


def outgoing_key(unit_id: int, year: int, series: str) -> str:
    return f"documents:outgoing:{unit_id}:{year}:{series}"


def incoming_key(unit_id: int, year: int) -> str:
    return f"documents:incoming:{unit_id}:{year}"


def next_outgoing(unit_id: int, year: int, series: str) -> int:
    """Inside the caller's transaction: the rolled-back caller gives its number back."""
    return next_value(outgoing_key(unit_id, year, series))


def next_arrival(unit_id: int, year: int) -> int:
    return next_value(incoming_key(unit_id, year))
