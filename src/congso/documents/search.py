"""Diacritic-insensitive search over documents' metadata and extracted text, with filters. Each
folded query word must appear in the folded text (a GIN trigram index serves ``LIKE`` on
PostgreSQL)."""

import datetime as dt

from congso.core.params import as_id
from congso.core.text import tokens

from .models import Direction, Document


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def search(queryset, params) -> "Document.objects":
    for word in tokens(params.get("q"))[:8]:
        queryset = queryset.filter(search_text__contains=word)
    direction = params.get("direction")
    if direction in Direction.values:
        queryset = queryset.filter(direction=direction)
    if params.get("type"):
        queryset = queryset.filter(doc_type=params["type"])
    if params.get("state"):
        queryset = queryset.filter(state=params["state"])
    if (unit := as_id(params.get("unit"))) is not None:
        queryset = queryset.filter(unit_id=unit)
    start, end = _date(params.get("from")), _date(params.get("to"))
    if start:
        queryset = queryset.filter(created_at__date__gte=start)
    if end:
        queryset = queryset.filter(created_at__date__lte=end)
    return queryset
