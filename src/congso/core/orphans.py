"""Stored files that no record refers to any more are deleted once they are older than a grace
period (``ORPHAN_FILE_GRACE_HOURS``).

They are left behind when a citizen replaces a draft's upload (an ID card scan), when a draft is
submitted or deleted, and when a transaction that had saved a file rolls back. The grace period
covers a file saved by a transaction that has not committed yet. Personal documents (drafts, then
the citizen data store) are swept first. A file is kept when a ``FileField`` of any model names it,
when it is a derived copy written beside such a file (``<name>.txt``: OCR text), or when it lies
under a folder written by path rather than by a field (edXML status messages)."""

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

log = logging.getLogger(__name__)

#: Swept first, in this order: the ID scans of drafts, then the citizen data store.
PERSONAL_FIRST = ("drafts", "datastore")
#: Folders written by path, not through a ``FileField``.
KEPT_FOLDERS = ("documents/edxml/status/",)


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def referenced() -> set[str]:
    """Every file name a record holds."""
    names = set()
    for model, field in _file_fields():
        rows = model._base_manager.exclude(**{field.name: ""}).exclude(**{field.name: None})
        names.update(rows.values_list(field.name, flat=True))
    return names


def roots() -> list[str]:
    """The top folders the fields upload to, personal documents first."""
    found = {str(field.upload_to).split("/")[0] for _, field in _file_fields()}
    found.discard("")
    return [r for r in PERSONAL_FIRST if r in found] + sorted(found - set(PERSONAL_FIRST))


def _walk(directory: str):
    folders, files = default_storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}"
    for folder in folders:
        yield from _walk(f"{directory}/{folder}")


def _kept(name: str, names: set[str]) -> bool:
    return name in names or name.rsplit(".", 1)[0] in names or name.startswith(KEPT_FOLDERS)


def delete_orphan_files(*, now=None) -> list[str]:
    """Delete the unreferenced files older than the grace period; the names deleted."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.ORPHAN_FILE_GRACE_HOURS)
    names = referenced()
    deleted = []
    for root in roots():
        if not default_storage.exists(root):
            continue
        for name in _walk(root):
            if _kept(name, names) or default_storage.get_modified_time(name) > cutoff:
                continue
            default_storage.delete(name)
            deleted.append(name)
    if deleted:
        log.info("deleted %d orphan files", len(deleted))
    return deleted
