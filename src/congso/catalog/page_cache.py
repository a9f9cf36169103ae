"""The public procedure page, rendered once per (procedure, language, day) and kept in the shared
cache (issue 16, item 4: the catalogue is the page citizens open most, and it changes rarely).

Every key carries a *generation* token: any save or delete of what the page shows (the procedure,
its sector, its versions and their channels, documents and steps, the units offering it) draws a
new token, so an edit shows at once on every node and the old pages simply expire. The token is
drawn again when the transaction commits: a visitor who rendered the page while the edit was not
yet committed stored it under the token of that moment, which the commit retires. The day is in
the key because the version in force and the announced next version change at midnight."""

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from congso.org.models import Unit

from .models import (
    CODE_VALIDATOR,
    ChannelTerms,
    Procedure,
    ProcedureVersion,
    ProcessingStep,
    RequiredDocument,
    Sector,
)

GENERATION_KEY = "catalog:page:generation"
#: A page is kept for the day it was rendered for (the day is in its key).
PAGE_SECONDS = 24 * 3600


def _generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid4().hex, None)
        token = cache.get(GENERATION_KEY) or uuid4().hex  # cache out of reach: never a hit
    return token


def _key(code: str) -> str | None:
    """The page's key now, or None for a code no procedure can have (never cached)."""
    if not CODE_VALIDATOR.regex.match(code):
        return None
    day = timezone.localdate().isoformat()
    return f"catalog:page:{_generation()}:{code}:{get_language()}:{day}"


def cached_page(code: str) -> dict | None:
    """The page's title and body as last rendered today in this language, or None."""
    key = _key(code)
    page = cache.get(key) if key else None
    if page is None:
        return None
    return {"title": page["title"], "body": mark_safe(page["body"])}  # noqa: S308 — our render


def keep_page(code: str, title: str, body: str) -> dict:
    """Store a freshly rendered page under the current generation; return it as ``cached_page``."""
    key = _key(code)
    page = {"title": title, "body": str(body)}
    if key:
        cache.set(key, page, PAGE_SECONDS)
    return {"title": title, "body": mark_safe(body)}  # noqa: S308 — our render


def invalidate() -> None:
    """Retire every cached procedure page."""
    cache.set(GENERATION_KEY, uuid4().hex, None)


def changed(**_signal) -> None:
    """Signal receiver: retire the pages now and again when the transaction commits."""
    invalidate()
    transaction.on_commit(invalidate)


def connect() -> None:
    """Connect ``changed`` to every model the page shows (called from ``CatalogConfig.ready``)."""
    shown = (Procedure, ProcedureVersion, ChannelTerms, RequiredDocument, ProcessingStep, Sector)
    for model in (*shown, Unit):
        uid = f"catalog.page_cache.{model._meta.label}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(changed, sender=Procedure.units.through, dispatch_uid="catalog.units")
