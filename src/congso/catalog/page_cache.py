"""The public procedure page, rendered once per (procedure, language, day) and kept in the shared
cache (issue 16, item 4: the catalogue is the page citizens open most, and it changes rarely).

Every page is kept with the *generation* token current when its rendering began, and served only
while that token is still the current one: any save or delete of what the page shows (the
procedure, its sector, its versions and their channels, documents and steps, the units offering
it) draws a new token, so an edit shows at once on every node and the old pages simply expire.
The token is drawn again when the transaction commits: a visitor who rendered the page while the
edit was not yet committed kept it with the token of that moment, which the commit retires. The day is in
the key because the version in force and the announced next version change at midnight."""

from collections.abc import Callable
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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
#: A page lives ten minutes at most (and never past its day, which is in its key): the bound on
#: staleness should a retirement be lost (``ops.cache`` drops a write while the cache is out of
#: reach), at the cost of one rendering per procedure and language every ten minutes.
PAGE_SECONDS = 600


def _key(code: str) -> str | None:
    """The page's key today in this language, or None for a code no procedure can have (never
    cached)."""
    if not CODE_VALIDATOR.regex.match(code):
        return None
    return f"catalog:page:{code}:{get_language()}:{timezone.localdate().isoformat()}"


def _generation_now() -> str:
    cache.add(GENERATION_KEY, uuid4().hex, None)
    return cache.get(GENERATION_KEY) or uuid4().hex  # cache out of reach: never a hit


def page(code: str, render: Callable[[], tuple[str, str]]) -> dict:
    """The page's ``title`` and ``body`` as rendered today in this language if nothing it shows
    changed since; else ``render()`` them and keep them. One round trip on a hit (the generation
    and the page together). The generation is read *before* rendering, so a change committed
    while rendering retires what was rendered."""
    key = _key(code)
    found = cache.get_many([GENERATION_KEY, key] if key else [GENERATION_KEY])
    generation, kept = found.get(GENERATION_KEY), found.get(key)
    if kept is not None and generation is not None and kept["generation"] == generation:
        return {"title": kept["title"], "body": mark_safe(kept["body"])}  # noqa: S308 — ours
    generation = generation or _generation_now()
    title, body = render()
    if key:
        kept = {"generation": generation, "title": title, "body": str(body)}
        cache.set(key, kept, PAGE_SECONDS)
    return {"title": title, "body": mark_safe(body)}  # noqa: S308 — our own render


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
    # The units offering a procedure belong to org: named lazily ("org.Unit"), as Django's model
    # signals allow, so the catalogue does not reach into org's models.
    for model in (*(m._meta.label for m in shown), "org.Unit"):
        uid = f"catalog.page_cache.{model}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(changed, sender=Procedure.units.through, dispatch_uid="catalog.units")
