"""Work files (hồ sơ công việc) and filing a document into one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congso.core import audit

from .. import lifecycle
from ..models import Document, WorkFile
from .access import _require

if TYPE_CHECKING:
    from congso.org.models import Unit


def create_work_file(
    unit: Unit, *, actor, code: str, title: str, year: int, retention_years: int | None
) -> WorkFile:
    _require(actor, lifecycle.REGISTER, unit)
    if WorkFile.objects.filter(unit=unit, year=year, code=code).exists():
        raise ValidationError({"code": _("Số, ký hiệu hồ sơ này đã có trong năm.")})
    with transaction.atomic():
        work_file = WorkFile.objects.create(
            unit=unit,
            code=code,
            title=title,
            year=year,
            retention_years=retention_years,
            created_by=actor,
        )
        audit.record("documents.work_file_created", work_file, unit_id=unit.pk, data={})
    return work_file


def file_document(document: Document, work_file: WorkFile | None, *, actor) -> Document:
    if work_file is not None and work_file.unit_id != document.unit_id:
        raise ValidationError({"work_file": _("Hồ sơ công việc thuộc cơ quan khác.")})
    _require(actor, lifecycle.VIEW, document.unit)
    with transaction.atomic():
        document.work_file = work_file
        document.save(update_fields=["work_file"])
        audit.record(
            "documents.filed",
            document,
            unit_id=document.unit_id,
            data={"work_file": work_file.pk if work_file else None},
        )
    return document
