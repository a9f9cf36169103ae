"""Minutes of a meeting, their approval, and the registered documents attached to it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts import permissions
from congso.core import audit
from congso.core.uploads import check_files

from .. import lifecycle, minutes_pdf
from ..lifecycle import MeetingState
from ..models import Meeting, MeetingDocument, Minutes
from .access import _require_manager


@transaction.atomic
def save_minutes(meeting: Meeting, *, actor, text: str) -> Minutes:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting)
    if meeting.state not in {MeetingState.IN_PROGRESS, MeetingState.ENDED}:
        if meeting.state == MeetingState.MINUTES_APPROVED:
            raise ValidationError(_("Biên bản đã được duyệt, không sửa được nữa."))
        raise ValidationError(_("Chỉ ghi biên bản khi cuộc họp đang diễn ra hoặc đã kết thúc."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Biên bản chưa có nội dung.")]})
    minutes, created = Minutes.objects.update_or_create(
        meeting=meeting, defaults={"text": text, "drafted_by": actor}
    )
    audit.record(
        "meetings.minutes.draft",
        minutes,
        unit_id=meeting.host_unit_id,
        data={"meeting": meeting.pk, "new": created, "length": len(text)},
    )
    return minutes


@transaction.atomic
def approve_minutes(meeting: Meeting, *, actor, now=None) -> Minutes:
    """The chair (or a leader of the host) approves the minutes; the meeting is then closed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.chair_id != actor.pk and not permissions.acts_for(
        actor, "meetings.approve", meeting.host_unit
    ):
        raise PermissionDenied(
            _("Chỉ người chủ trì hoặc lãnh đạo đơn vị chủ trì được duyệt biên bản.")
        )
    try:
        target = lifecycle.check("meeting", meeting.state, "approve_minutes")
    except lifecycle.TransitionRefused as refused:
        raise ValidationError(str(refused)) from refused
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not minutes.text.strip():
        raise ValidationError(_("Chưa có dự thảo biên bản để duyệt."))
    minutes.approved_by = actor
    minutes.approved_at = now or timezone.now()
    minutes.save(update_fields=["approved_by", "approved_at"])
    meeting.state = target
    meeting.save(update_fields=["state"])
    audit.record(
        "meetings.minutes.approve",
        minutes,
        unit_id=meeting.host_unit_id,
        data={"meeting": meeting.pk},
    )
    minutes.meeting = meeting
    return minutes_pdf.issue(minutes, actor)


@transaction.atomic
def attach_documents(
    meeting: Meeting, *, actor, files, title: str = "", document_number: str = ""
) -> list[MeetingDocument]:
    """The host adds documents for the meeting (checked uploads; an optional number of a
    registered document as free text). Invited units see them on the meeting page."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("Cuộc họp đã huỷ; không thêm tài liệu được."))
    title, number = (title or "").strip(), (document_number or "").strip()
    checked = check_files(files)
    if not checked and number:
        checked, title = _from_register(actor, number, title)
    if not checked:
        raise ValidationError({"files": [_("Chọn ít nhất một tệp tài liệu.")]})
    documents = []
    for item in checked:
        document = MeetingDocument(
            meeting=meeting,
            title=(title if len(checked) == 1 and title else item.name)[:300],
            document_number=number[:100],
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=actor,
        )
        document.file.save(
            f"{item.sha256[:16]}.{item.extension}", ContentFile(item.data), save=False
        )
        document.save()
        audit.record(
            "meetings.document.attach",
            document,
            unit_id=meeting.host_unit_id,
            data={"meeting": meeting.pk, "sha256": item.sha256, "number": document.document_number},
        )
        documents.append(document)
    return documents


def _from_register(actor, number: str, title: str) -> tuple[list, str]:
    """The registered document ``number`` as the one file to attach (its title by default)."""
    from congso.documents.services import registered_file

    found = registered_file(actor, number)
    if found is None:
        raise ValidationError(
            {
                "document_number": [
                    _(
                        "Không tìm thấy văn bản số “%(number)s” trong sổ văn bản bạn được xem; "
                        "hãy tải tệp lên."
                    )
                    % {"number": number}
                ]
            }
        )
    subject, name, data = found
    return check_files([SimpleUploadedFile(name, data)]), title or subject
