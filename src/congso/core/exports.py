"""Exports built in the background: a year's register or report of a province is hundreds of
thousands of rows, more than a page request may hold in memory or time.

An app registers a *builder* under a kind (``register``, in its ``apps.ready``): a function
``builder(params, out, progress)`` that writes the file to the binary file ``out``, streaming its
rows (``core.spreadsheets.write``), and calls ``progress(rows_done)`` as it goes. ``start`` records
the request (``Export``) and queues the Celery job once the transaction commits; the job (``build``)
writes to a temporary file, stores it and marks it ready, or records why it failed. The owner's
export page shows the progress and offers the file when ready.
"""

import datetime as dt
import logging
import tempfile
from collections.abc import Callable

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Export

log = logging.getLogger(__name__)

#: kind → builder(params, out, progress); filled by the apps (``register``).
BUILDERS: dict[str, Callable] = {}


def register(kind: str, builder: Callable) -> None:
    """Make ``kind`` an export ``start`` accepts, built by ``builder``."""
    BUILDERS[kind] = builder


def start(owner, kind: str, params: dict, *, title: str, filename: str) -> Export:
    """Record an export of ``kind`` for ``owner`` and queue its job after the commit."""
    if kind not in BUILDERS:
        raise KeyError(kind)
    export = Export.objects.create(
        owner=owner, kind=kind, params=params, title=title[:300], filename=filename[:200]
    )
    from .tasks import build_export

    transaction.on_commit(lambda: build_export.delay(export.pk))
    return export


#: A building worker that has not reported progress for this long is taken to be dead: the job,
#: delivered again (Celery's late acknowledgement), builds the export anew.
LEASE = dt.timedelta(minutes=10)


def build(pk: int) -> str:
    """Build export ``pk`` (the Celery job's body); returns its final state. A job delivered twice
    builds once while the first worker lives: a queued export is taken, or a running one whose
    worker's lease ran out (a worker killed mid-export), never one being built."""
    now = timezone.now()
    free = Q(state=Export.State.QUEUED) | Q(state=Export.State.RUNNING, taken_at__lt=now - LEASE)
    if not Export.objects.filter(free, pk=pk).update(state=Export.State.RUNNING, taken_at=now):
        return "skipped"
    export = Export.objects.get(pk=pk)

    def progress(done: int) -> None:
        Export.objects.filter(pk=pk).update(done=done, taken_at=timezone.now())

    try:
        with tempfile.TemporaryFile() as out:
            done = BUILDERS[export.kind](export.params, out, progress)
            out.seek(0)
            export.file.save(export.filename, File(out), save=False)
    except Exception as exc:  # noqa: BLE001 — any failure is recorded for the owner to see
        log.exception("export %s failed", pk)
        export.state, export.error = Export.State.FAILED, str(exc)[:2000]
    else:
        export.state, export.done = Export.State.READY, done or export.done
    export.finished_at = timezone.now()
    export.save(update_fields=["state", "error", "done", "file", "finished_at"])
    return export.state
