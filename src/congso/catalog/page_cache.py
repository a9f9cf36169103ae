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

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from congso.core.generations import Generation

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


_PAGES = Generation(GENERATION_KEY, PAGE_SECONDS)
invalidate = _PAGES.invalidate
changed = _PAGES.changed


def page(code: str, render: Callable[[], tuple[str, str]]) -> dict:
    """The page's ``title`` and ``body`` as rendered today in this language if nothing it shows
    changed since; else ``render()`` them and keep them. One round trip on a hit (the generation
    and the page together)."""
    key = _key(code)
    if key is None:
        title, body = render()
    else:
        title, body = _PAGES.kept({key: lambda: _as_text(*render())})[key]
    return {"title": title, "body": mark_safe(body)}  # noqa: S308 — our own render


def kept(name: str, compute: Callable[[], object]):
    """``compute()``'s value kept like the pages, until the catalogue changes (the same generation:
    any save of a procedure, its sector, its versions or the units offering it retires it)."""
    return _PAGES.kept({f"catalog:{name}": compute})[f"catalog:{name}"]


def _as_text(title: str, body) -> tuple[str, str]:
    return title, str(body)  # kept as plain text; marked safe again when served


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
