"""The one gate of every document transition (review, approval, signing, issue, recall,
assignment, handling): revision checked, lifecycle passed, the step's handler run, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.awaiting import Outcome

from .. import lifecycle
from ..lifecycle import TransitionRefused
from ..models import Comment, Document
from .handling import _assign, _finish
from .issue import _issue
from .outcomes import _said, tell_holders
from .recall import _agree_recall, _recall
from .signature import _sign
from .status import report_status
from .versions import _index

STATUS_FOR_TRANSITION = {
    "refuse": "02",
    "assign": "04",
    "start": "05",
    "finish": "06",
    "agree_recall": "15",
}


class Conflict(Exception):
    """Someone changed the document since the caller looked at it."""


def advance(
    document: Document, name: str, *, actor, revision: int | None = None, **options
) -> Outcome:
    """Apply transition ``name`` and say what happened and who holds the document next (the
    flash message after the step). ``revision`` (what the caller saw) stops two people both
    winning: a stale one gets ``Conflict`` and nothing changes."""
    handler = HANDLERS.get(name, _plain)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if revision is not None and locked.revision != revision:
            raise Conflict(_("Văn bản vừa được người khác cập nhật; hãy tải lại trang."))
        machine = locked.machine
        try:
            target = lifecycle.check(machine, locked.state, name, user=actor, organ=locked.unit)
        except TransitionRefused as exc:
            raise ValidationError(str(exc), code="refused") from exc
        source = locked.state
        data = handler(locked, actor, **options) or {}
        locked.state = target
        locked.revision += 1
        _index(locked)
        locked.save()
        if options.get("comment"):
            Comment.objects.create(
                document=locked, author=actor, text=options["comment"], action=name
            )
        if not locked.is_outgoing and name in STATUS_FOR_TRANSITION:
            report_status(locked, STATUS_FOR_TRANSITION[name], actor=actor)
        audit.record(
            f"documents.{name}",
            locked,
            unit_id=locked.unit_id,
            data={"from": source, "to": target, **data},
        )
        holders = tell_holders(locked, actor=actor)
    return Outcome(_said(locked, name, holders), tuple(holders), locked)


def transition(
    document: Document, name: str, *, actor, revision: int | None = None, **options
) -> Document:
    """``advance`` for callers that need only the document (the API, the tests)."""
    return advance(document, name, actor=actor, revision=revision, **options).subject


def _plain(document, user, **options):
    return {}


HANDLERS = {
    "sign": _sign,
    "issue": _issue,
    "recall": _recall,
    "assign": _assign,
    "finish": _finish,
    "agree_recall": _agree_recall,
}
