"""Catalogue search: diacritic- and case-insensitive, ranked, typo-tolerant, on both databases.

Procedures carry ``search_name`` (the folded name) and ``search_text`` (folded code, name, sector
and the latest version's text). A query is folded the same way and scored with one formula:

    1000 if every query token occurs in the text        (all tokens rank above some)
  +  100 × share of tokens found in the name            (a name match …)
  +   50 if the whole query occurs in the name as typed
  +   60 if the query is the code (30 if it starts it,   (… beats a code match …)
         20 if a token occurs in it)
  +   10 × share of tokens found anywhere               (… beats other text)
  +   40 × closeness of the query to words of the name, when a word of the query occurs
         nowhere in the catalogue                       (typos: ``khai snh`` ≈ ``khai sinh``)

Ties go to the shorter name. PostgreSQL computes it in SQL: candidates come from trigram GIN
indexes (``LIKE`` per token on the text and, when a token occurs nowhere, the ``<%``
word-similarity operator on the name) and closeness is ``word_similarity``. SQLite filters by token, adds words of the catalogue close to an
unknown token (``difflib``) to the candidates, and scores in Python with the share of the
query's trigrams found in the name as closeness.
"""

import functools
import re
from collections.abc import Sequence
from difflib import get_close_matches
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Case, F, FloatField, Max, Q, Value, When
from django.db.models.functions import Length

from congso.core.text import fold

from .models import Procedure

ALL_TOKENS = 1000.0
NAME = 100.0
PHRASE = 50.0
CODE_EXACT = 60.0
CODE_PREFIX = 30.0
CODE_TOKEN = 20.0
TEXT = 10.0
CLOSENESS = 40.0
#: ``difflib`` ratio above which a catalogue word stands in for a misspelt token (SQLite).
TYPO_CUTOFF = 0.8
_WORDS = re.compile(r"[^\W_]+")


def search_columns(code: str, name: str, texts: list[str]) -> tuple[str, str]:
    """``search_name`` and ``search_text`` of a procedure: its folded name, and its folded code,
    name and other texts (sector, level, applicants, agency, result, documents)."""
    return fold(name), fold(" ".join([code, name, *texts]))


def filtered(filters: dict | None = None, *, include_inactive: bool = False):
    """Procedures matching the sector / level / online-mode filters (values may be empty)."""
    filters = filters or {}
    procedures = Procedure.objects.select_related("sector").defer("search_text")
    if not include_inactive:
        procedures = procedures.filter(is_active=True)
    if filters.get("sector"):
        procedures = procedures.filter(sector__code=filters["sector"])
    if filters.get("level"):
        procedures = procedures.filter(level=filters["level"])
    if filters.get("online_mode"):
        procedures = procedures.filter(online_mode=filters["online_mode"])
    return procedures


def search(
    query: str, filters: dict | None = None, *, include_inactive: bool = False
) -> Sequence[Procedure]:
    """Procedures for ``query``, best first; every item has a ``score`` attribute.

    An empty query lists everything (by sector, then code). The result supports ``len()`` and
    slicing, so ``Paginator`` and DRF pagination take it as it is.
    """
    base = filtered(filters, include_inactive=include_inactive)
    folded = fold(query)
    if not folded:
        return base.annotate(score=Value(0.0, output_field=FloatField())).order_by(
            "sector__name", "code"
        )
    misspelt = _unknown_tokens(folded.split(" "))
    if connection.vendor == "postgresql":
        return _search_postgresql(base, folded, query.strip(), misspelt)
    return _search_python(base, folded, query.strip(), misspelt)


# --- PostgreSQL ------------------------------------------------------------------------------


def _search_postgresql(base, folded: str, raw: str, misspelt: list[str]):
    from django.contrib.postgres.lookups import TrigramWordSimilar
    from django.contrib.postgres.search import TrigramWordSimilarity

    tokens = folded.split(" ")
    n = len(tokens)

    def hits(field: str):
        return reduce(
            lambda a, b: a + b,
            [
                Case(When(**{f"{field}__contains": t}, then=Value(1.0)), default=Value(0.0))
                for t in tokens
            ],
        )

    candidates = reduce(or_, [Q(search_text__contains=t) for t in tokens])
    closeness = Value(0.0)
    if misspelt:  # look for names like the query; word_similarity is costly, so only then
        candidates |= Q(TrigramWordSimilar(F("search_name"), Value(folded)))
        closeness = TrigramWordSimilarity(Value(folded), F("search_name"))
    return (
        base.filter(candidates)
        .annotate(
            name_hits=hits("search_name"),
            text_hits=hits("search_text"),
            closeness=closeness,
        )
        .annotate(
            score=Case(When(text_hits__gte=n, then=Value(ALL_TOKENS)), default=Value(0.0))
            + F("name_hits") * (NAME / n)
            + Case(When(search_name__contains=folded, then=Value(PHRASE)), default=Value(0.0))
            + Case(
                When(code__iexact=raw, then=Value(CODE_EXACT)),
                When(code__istartswith=raw, then=Value(CODE_PREFIX)),
                When(reduce(or_, [Q(code__icontains=t) for t in tokens]), then=Value(CODE_TOKEN)),
                default=Value(0.0),
            )
            + F("text_hits") * (TEXT / n)
            + F("closeness") * CLOSENESS
        )
        .order_by("-score", Length("search_name"), "code")
    )


# --- SQLite (and any other database) ---------------------------------------------------------

_vocabulary_cache: dict[tuple, list[str]] = {}


def _vocabulary() -> list[str]:
    """Every folded word of the catalogue, rebuilt when a procedure changes."""
    stamp = Procedure.objects.aggregate(last=Max("updated_at"), count=Max("id"))
    key = (stamp["last"], stamp["count"], Procedure.objects.count())
    if key not in _vocabulary_cache:
        words = set()
        for text in Procedure.objects.values_list("search_text", flat=True).iterator():
            words.update(w for w in text.split(" ") if len(w) > 1)
        _vocabulary_cache.clear()
        _vocabulary_cache[key] = sorted(words)
    return _vocabulary_cache[key]


def _unknown_tokens(tokens: list[str]) -> list[str]:
    """Tokens that occur nowhere in the catalogue: the misspelt ones."""
    everything = Procedure.objects.all()
    return [t for t in tokens if not everything.filter(search_text__contains=t).exists()]


def _stand_ins(misspelt: list[str]) -> list[str]:
    """Catalogue words close to the tokens that occur nowhere in the catalogue (the typos)."""
    if not misspelt:
        return []
    vocabulary = _vocabulary()
    found: list[str] = []
    for token in misspelt:
        found.extend(get_close_matches(token, vocabulary, n=5, cutoff=TYPO_CUTOFF))
    return found


def trigrams(text: str) -> frozenset[str]:
    """Trigrams as pg_trgm makes them: each word padded with two spaces before, one after."""
    found = set()
    for word in _WORDS.findall(text):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(found)


def closeness(folded: str, name: str) -> float:
    """Share of the query's trigrams found in the name: 1.0 when every word of the query is in
    it, high for a misspelt word (``snh`` shares ``  s`` and ``nh `` with ``sinh``). Close to,
    and never below, PostgreSQL's ``word_similarity``; cheap enough for every candidate."""
    wanted = _query_trigrams(folded)
    if not wanted:
        return 0.0
    return len(wanted & _name_trigrams(name)) / len(wanted)


@functools.lru_cache(maxsize=64)
def _query_trigrams(folded: str) -> frozenset[str]:
    return trigrams(folded)


@functools.lru_cache(maxsize=20_000)
def _name_trigrams(name: str) -> frozenset[str]:
    return trigrams(name)


def score(folded: str, raw: str, *, code: str, name: str, text: str, typo: bool = False) -> float:
    """The ranking formula of the module docstring, for one procedure (``typo``: some word of
    the query occurs nowhere in the catalogue)."""
    tokens = folded.split(" ")
    n = len(tokens)
    name_hits = sum(1 for t in tokens if t in name)
    text_hits = sum(1 for t in tokens if t in text)
    code_part = 0.0
    if code.lower() == raw.lower():
        code_part = CODE_EXACT
    elif code.lower().startswith(raw.lower()):
        code_part = CODE_PREFIX
    elif any(t in code.lower() for t in tokens):
        code_part = CODE_TOKEN
    return (
        (ALL_TOKENS if text_hits == n else 0.0)
        + NAME * name_hits / n
        + (PHRASE if folded in name else 0.0)
        + code_part
        + TEXT * text_hits / n
        + (CLOSENESS * closeness(folded, name) if typo else 0.0)
    )


class RankedResults(Sequence):
    """Ranked procedure ids; procedures are loaded only for the slice asked for (one page)."""

    def __init__(self, ranked: list[tuple[float, int]]):
        self._ranked = ranked

    def __len__(self):
        return len(self._ranked)

    def __getitem__(self, index):
        part = self._ranked[index] if isinstance(index, slice) else [self._ranked[index]]
        found = (
            Procedure.objects.select_related("sector")
            .defer("search_text")
            .in_bulk([pk for _s, pk in part])
        )
        items = []
        for value, pk in part:
            procedure = found[pk]
            procedure.score = value
            items.append(procedure)
        return items if isinstance(index, slice) else items[0]


def _search_python(base, folded: str, raw: str, misspelt: list[str]) -> RankedResults:
    tokens = folded.split(" ")
    words = tokens + _stand_ins(misspelt)
    condition = reduce(or_, [Q(search_text__contains=w) for w in words])
    condition |= Q(code__istartswith=raw)
    rows = base.filter(condition).values_list("id", "code", "search_name", "search_text")
    ranked = [
        (
            score(folded, raw, code=code, name=name, text=text, typo=bool(misspelt)),
            pk,
            len(name),
            code,
        )
        for pk, code, name, text in rows
    ]
    ranked.sort(key=lambda r: (-r[0], r[2], r[3]))
    return RankedResults([(round(value, 3), pk) for value, pk, _len, _code in ranked])
