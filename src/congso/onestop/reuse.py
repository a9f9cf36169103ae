"""Documents the platform already holds for a walk-in applicant, offered for reuse at the desk.

Decree 45/2020/NĐ-CP (administrative procedures by electronic means) asks that a document already
digitised is reused rather than asked for again. At the desk the applicant is known by the personal
ID (typed, or read from the card's QR code); each source of documents registers here at start-up
(``provide``): the one-stop app its earlier dossiers' scans, the portal the citizen's data store.
The desk page asks ``offers`` and, at receipt, ``load`` for the one chosen; it never reads another
app's tables.
"""

from collections.abc import Callable
from dataclasses import dataclass

from congso.core.text import fold
from congso.core.uploads import CheckedFile

MAX_OFFERS = 20


@dataclass(frozen=True)
class Offer:
    key: str  # "<source>:<id within the source>"
    title: str
    origin: str  # where it comes from, shown beside the title
    fits: str = ""  # folded name of the required document it was filed as; "" for any

    def fits_document(self, name: str) -> bool:
        return not self.fits or self.fits == fold(name)


#: source → (find(officer, id_number) → offers, load(officer, id_number, ident) → file or None)
_SOURCES: dict[str, tuple[Callable, Callable]] = {}


def provide(source: str, find: Callable, load: Callable) -> None:
    _SOURCES[source] = (find, load)


def offers(officer, id_number: str) -> list[Offer]:
    """Every document a source holds for the applicant ``id_number`` that ``officer`` may reuse."""
    if not id_number:
        return []
    found = [offer for find, _load in _SOURCES.values() for offer in find(officer, id_number)]
    return found[:MAX_OFFERS]


def load(officer, id_number: str, key: str) -> CheckedFile | None:
    """The file of offer ``key``, checked again by its source (``None`` when no longer there)."""
    source, _sep, ident = key.partition(":")
    if source not in _SOURCES or not id_number:
        return None
    return _SOURCES[source][1](officer, id_number, ident)
