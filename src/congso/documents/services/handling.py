"""Incoming handling: assignment with a due date, finishing, handling attachments."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts import permissions
from congso.core import audit
from congso.core.uploads import check_file

from .. import lifecycle
from ..models import Document, Version, VersionKind
from .versions import _add_version


def _assign(
    document: Document,
    user,
    *,
    lead_unit=None,
    lead_user=None,
    coordinators=(),
    due_on=None,
    due_days=None,
    **options,
):
    from congso.worktime.deadlines import TimeUnit, due_at
    from congso.worktime.services import calendar_for

    if lead_unit is None:
        raise ValidationError({"lead_unit": _("Cần chọn đơn vị chủ trì xử lý.")})
    if due_on is None and due_days:
        start = timezone.now()
        due_on = timezone.localtime(
            due_at(calendar_for(document.unit), start, due_days, TimeUnit.WORKING_DAYS)
        ).date()
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("Hạn xử lý không được trước ngày hôm nay.")})
    document.lead_unit, document.lead_user, document.due_on = lead_unit, lead_user, due_on
    document.save()
    document.coordinators.set(coordinators)
    return {"lead_unit": lead_unit.pk, "due_on": due_on}


def _finish(document: Document, user, **options):
    document.done_at = timezone.now()
    return {}


def attach(document: Document, upload, *, actor) -> Version:
    """A handling attachment (report, draft reply) on an incoming document."""
    checked = check_file(upload)
    if not permissions.acts_for(actor, lifecycle.HANDLE, document.unit):
        raise PermissionDenied(_("Bạn không có quyền xử lý văn bản này."))
    with transaction.atomic():
        version = _add_version(
            document,
            checked.data,
            name=checked.name,
            kind=VersionKind.ATTACHMENT,
            user=actor,
        )
        audit.record(
            "documents.attached",
            document,
            unit_id=document.unit_id,
            data={"sha256": version.sha256},
        )
    return version
