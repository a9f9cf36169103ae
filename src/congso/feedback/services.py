"""The only code that changes ratings and complaints.

Each change runs in one transaction: validate → check the lifecycle (``lifecycle.check``) and the
caller's rights → change → ``audit.record`` → queue notifications, so nothing is saved half-way
and a notice exists exactly when its change was committed.

Rights: a citizen rates and follows only their own things (another citizen's is "not found");
officials handle the complaints of the units ``permissions.acting_units(user, "feedback.handle")``
reaches — their unit and its offices, a leader's whole subtree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.choices import Role
from congso.accounts.permissions import acting_units, may
from congso.accounts.services import current_positions
from congso.core import audit
from congso.core.awaiting import Item
from congso.core.lifecycle import stated_reason
from congso.core.numbering import next_value
from congso.core.uploads import CheckedFile
from congso.notify import work
from congso.notify.services import notify
from congso.onestop.lifecycle import Actor
from congso.onestop.lifecycle import State as DossierState
from congso.onestop.services import actors_for, dossier_for_update, visible_dossiers
from congso.worktime.services import calendar_for

from . import lifecycle, rules
from .lifecycle import ComplaintState, Side
from .models import (
    CRITERIA,
    Attachment,
    AttachmentRole,
    Complaint,
    ComplaintKind,
    Overall,
    Rating,
    RatingChannel,
    Score,
)

if TYPE_CHECKING:  # type names only: no import of another app's models at run time
    from congso.org.models import Unit

#: A dossier can be rated once it has a result: processed (waiting at the desk) or returned.
RATEABLE_STATES = frozenset({DossierState.PROCESSED, DossierState.RETURNED})
LEADER_ROLES = (Role.LEADER, Role.DEPUTY_LEADER)


class Conflict(Exception):
    """The complaint changed since the caller read it."""


# --- Who sees what --------------------------------------------------------------------------


def handling_units(user):
    return acting_units(user, "feedback.handle")


def visible_complaints(user):
    """The citizen's own complaints, and for officials those of the units they handle."""
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    if user.is_superuser:
        return Complaint.objects.all()
    return Complaint.objects.filter(Q(author=user) | Q(unit__in=handling_units(user)))


def visible_ratings(user):
    if user is None or not user.is_authenticated:
        return Rating.objects.none()
    if user.is_superuser:
        return Rating.objects.all()
    return Rating.objects.filter(Q(dossier__applicant=user) | Q(unit__in=handling_units(user)))


def may_handle(user, complaint: Complaint) -> bool:
    return bool(user.is_authenticated) and (
        user.is_superuser or may(user, "feedback.handle", complaint.unit)
    )


def sides_for(user, complaint: Complaint) -> set[str]:
    sides = set()
    if user.is_authenticated and complaint.author_id == user.pk:
        sides.add(Side.CITIZEN)
    if may_handle(user, complaint):
        sides.add(Side.OFFICIAL)
    return sides


def allowed_actions(user, complaint: Complaint) -> list[str]:
    return [
        a
        for side in sorted(sides_for(user, complaint))
        for a in lifecycle.allowed(complaint.state, side)
    ]


# --- Ratings --------------------------------------------------------------------------------


def rating_refusal(user, dossier) -> str | None:
    """Why ``user`` cannot rate ``dossier`` now, or ``None`` when they can."""
    if hasattr(dossier, "rating"):
        return _("Hồ sơ %(code)s đã được đánh giá.") % {"code": dossier.code}
    if dossier.state not in RATEABLE_STATES:
        return _("Chỉ đánh giá được hồ sơ đã có kết quả giải quyết.")
    if dossier.applicant_id != user.pk and not at_desk(user, dossier):
        return _("Chỉ người nộp hồ sơ được đánh giá hồ sơ này.")
    return None


def at_desk(user, dossier) -> bool:
    """Is ``user`` a desk officer of the unit that received ``dossier`` (who types in the rating
    a citizen gives at the counter)?"""
    return Actor.DESK in actors_for(user, dossier)


def clean_scores(scores: dict | None) -> dict[str, int]:
    """Keep the known criteria; each answer must be one of the scores (0–2)."""
    cleaned, errors = {}, []
    for key, value in (scores or {}).items():
        if key not in CRITERIA:
            errors.append(_("Tiêu chí “%(key)s” không tồn tại.") % {"key": key})
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if number not in Score.values:
            errors.append(
                _("Điểm của tiêu chí “%(label)s” phải là 0, 1 hoặc 2.") % {"label": CRITERIA[key]}
            )
            continue
        cleaned[key] = number
    if errors:
        raise ValidationError({"scores": errors})
    return cleaned


def rate(
    dossier,
    *,
    actor,
    overall: str,
    scores: dict | None = None,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Rating:
    """Record the one rating of ``dossier``: by its applicant online, or at the desk (a desk
    officer of the receiving unit types what the citizen chose at the counter)."""
    if overall not in Overall.values:
        raise ValidationError({"overall": [_("Hãy chọn mức độ hài lòng.")]})
    cleaned = clean_scores(scores)
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": [_("Góp ý dài tối đa 2.000 ký tự.")]})
    now = now or timezone.now()
    with transaction.atomic():
        locked = dossier_for_update(dossier.pk)
        reason = rating_refusal(actor, locked)
        if reason:
            raise ValidationError(reason)
        channel = RatingChannel.ONLINE if locked.applicant_id == actor.pk else RatingChannel.DESK
        rating = Rating.objects.create(
            dossier=locked,
            dossier_code=locked.code,
            unit_id=locked.receiving_unit_id,
            procedure_id=locked.procedure_id,
            overall=overall,
            scores=cleaned,
            comment=comment,
            channel=channel,
            rated_by=actor,
            created_at=now,
        )
        audit.record(
            "feedback.rate",
            rating,
            unit_id=rating.unit_id,
            data={
                "dossier": locked.code,
                "overall": overall,
                "scores": cleaned,
                "channel": channel,
            },
        )
    return rating


# --- Filing a complaint ---------------------------------------------------------------------


def own_dossier(user, code: str):
    """The dossier ``code`` if ``user`` may refer to it (their own, or in their reach)."""
    code = (code or "").strip()
    if not code:
        return None
    return visible_dossiers(user).filter(code=code).select_related("procedure").first()


def _store(complaint: Complaint, files: Iterable[CheckedFile], role: str) -> None:
    for checked in files:
        Attachment.objects.create(
            complaint=complaint,
            role=role,
            name=checked.name[:255],
            file=ContentFile(checked.data, name=f"{checked.sha256[:16]}.{checked.extension}"),
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )


def _filing_errors(kind, subject, content, dossier_code, dossier, unit) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in ComplaintKind.values:
        errors["kind"] = [_("Hãy chọn loại: phản ánh hay kiến nghị.")]
    if not subject.strip():
        errors["subject"] = [_("Hãy nhập tiêu đề.")]
    elif len(subject) > 300:
        errors["subject"] = [_("Tiêu đề dài tối đa 300 ký tự.")]
    if not content.strip():
        errors["content"] = [_("Hãy nhập nội dung phản ánh, kiến nghị.")]
    elif len(content) > 10000:
        errors["content"] = [_("Nội dung dài tối đa 10.000 ký tự.")]
    if dossier_code and dossier is None:
        errors["dossier_code"] = [
            _("Không tìm thấy hồ sơ %(code)s trong các hồ sơ của bạn.") % {"code": dossier_code}
        ]
    if not dossier_code and unit is None:
        errors["unit"] = [_("Hãy nhập mã hồ sơ hoặc chọn đơn vị cần phản ánh.")]
    return errors


def file_complaint(
    *,
    actor,
    kind: str,
    subject: str,
    content: str,
    dossier_code: str = "",
    unit: Unit | None = None,
    procedure=None,
    anonymous: bool = False,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    files: Iterable[CheckedFile] = (),
    now: dt.datetime | None = None,
) -> Complaint:
    """File a complaint for ``actor``; it goes to the unit that received the dossier, or to the
    unit the citizen chose. The answer is due ``rules.answer_days(kind)`` working days later."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Hãy đăng nhập để gửi phản ánh, kiến nghị."))
    dossier_code = (dossier_code or "").strip()
    dossier = own_dossier(actor, dossier_code)
    errors = _filing_errors(kind, subject or "", content or "", dossier_code, dossier, unit)
    if anonymous and not (contact_email.strip() or contact_phone.strip()):
        errors["contact_email"] = [_("Gửi ẩn danh cần một địa chỉ thư điện tử hoặc điện thoại.")]
    if errors:
        raise ValidationError(errors)
    if dossier is not None:
        unit, procedure = dossier.receiving_unit, dossier.procedure
    now = now or timezone.now()
    with transaction.atomic():
        day = timezone.localtime(now).date()
        code = rules.complaint_code(day, next_value(f"feedback.complaint.{day:%Y%m%d}"))
        complaint = Complaint.objects.create(
            code=code,
            kind=kind,
            subject=subject.strip(),
            content=content.strip(),
            unit=unit,
            dossier=dossier,
            dossier_code=dossier.code if dossier else "",
            procedure=procedure,
            author=actor,
            anonymous=anonymous,
            contact_name=contact_name.strip()[:150],
            contact_email=contact_email.strip(),
            contact_phone=contact_phone.strip()[:16],
            received_at=now,
            due_at=rules.answer_due(calendar_for(unit), now, rules.answer_days(kind)),
        )
        _store(complaint, files, AttachmentRole.COMPLAINT)
        audit.record(
            "feedback.file",
            complaint,
            unit_id=unit.pk,
            data={"kind": kind, "dossier": complaint.dossier_code, "due_at": complaint.due_at},
        )
        _tell_author(complaint, "feedback.received")
    return complaint


# --- Handling -------------------------------------------------------------------------------


def _tell_author(complaint: Complaint, template: str) -> None:
    context = {
        "code": complaint.code,
        "subject": complaint.subject,
        "unit": complaint.unit.name,
        "state": str(ComplaintState(complaint.state).label),
        "due_at": complaint.due_at,
        "answer": complaint.answer,
        "reason": complaint.rejection_reason,
        "url": reverse("feedback:complaint", args=[complaint.code]),
    }
    notify(complaint.author, template, context)
    extra = complaint.contact_email
    if extra and extra.lower() != (complaint.author.email or "").lower():
        notify(extra, template, context)


def _required_text(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    if len(text) > 10000:
        raise ValidationError({field: [_("Nội dung dài tối đa 10.000 ký tự.")]})
    return text


def _on_assign(complaint, user, now, assignee=None, **_kw):
    if assignee is None:
        raise ValidationError({"assignee": [_("Hãy chọn cán bộ xử lý.")]})
    if not assignee.is_official or not may(assignee, "feedback.handle", complaint.unit):
        raise ValidationError(
            {"assignee": [_("Cán bộ được giao phải thuộc đơn vị xử lý phản ánh.")]}
        )
    complaint.assignee = assignee
    return {"assignee": assignee.pk}


def _on_answer(complaint, user, now, text="", files=(), **_kw):
    complaint.answer = _required_text(text, "text", _("Hãy nhập nội dung trả lời."))
    complaint.answered_by, complaint.answered_at, complaint.settled_at = user, now, now
    _store(complaint, files, AttachmentRole.ANSWER)
    return {"on_time": complaint.on_time}


def _on_reject(complaint, user, now, text="", **_kw):
    complaint.rejection_reason = stated_reason(
        lifecycle.COMPLAINT.row(complaint.state, "reject"), text, field="text"
    )
    complaint.settled_at = now
    return {"reason": complaint.rejection_reason}


def _on_withdraw(complaint, user, now, **_kw):
    complaint.settled_at = now
    return {}


def _on_evaluate(complaint, user, now, satisfied=None, text="", **_kw):
    if satisfied is None:
        raise ValidationError({"satisfied": [_("Hãy cho biết bạn có hài lòng với trả lời không.")]})
    complaint.citizen_satisfied = bool(satisfied)
    complaint.citizen_remark = (text or "").strip()[:2000]
    complaint.closed_at = now
    return {"satisfied": complaint.citizen_satisfied}


def _on_close(complaint, user, now, **_kw):
    complaint.closed_at = now
    return {}


EFFECTS = {
    "assign": _on_assign,
    "answer": _on_answer,
    "reject": _on_reject,
    "withdraw": _on_withdraw,
    "evaluate": _on_evaluate,
    "close": _on_close,
}
#: Actions the citizen hears of.
TOLD = {"answer": "feedback.answered", "reject": "feedback.answered"}


def _side_for(user, complaint: Complaint, action: str) -> str:
    if action not in lifecycle.ACTIONS:
        raise ValidationError(
            {"action": [_("Thao tác “%(action)s” không tồn tại.") % {"action": action}]}
        )
    side = lifecycle.ACTIONS[action][1]
    if side not in sides_for(user, complaint):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    return side


def act(
    complaint: Complaint,
    action: str,
    *,
    actor,
    revision: int | None = None,
    now: dt.datetime | None = None,
    **payload,
) -> Complaint:
    """Do ``action`` on ``complaint`` for ``actor`` (payload: ``text``, ``assignee``,
    ``satisfied``, ``files``). ``revision`` is what the caller saw: a second official acting on
    the same version is told it changed."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update()
            .select_related("unit", "author")
            .get(pk=complaint.pk)
        )
        if revision is not None and locked.revision != revision:
            raise Conflict(
                _("Phản ánh %(code)s vừa được người khác cập nhật; hãy tải lại trang.")
                % {"code": locked.code}
            )
        side = _side_for(actor, locked, action)
        try:
            target = lifecycle.check(locked.state, action, side)
        except lifecycle.TransitionRefused as exc:
            raise ValidationError(str(exc)) from exc
        from_state = locked.state
        data = EFFECTS[action](locked, actor, now, **payload)
        locked.state = target
        locked.revision += 1
        locked.save()
        audit.record(
            f"feedback.{action}",
            locked,
            unit_id=locked.unit_id,
            data={"from": from_state, "to": target, **data},
        )
        if action in TOLD:
            _tell_author(locked, TOLD[action])
        if action == "assign" and locked.assignee_id != actor.pk:
            work.tell([locked.assignee], complaint_item(locked), stamp=str(locked.revision))
    return locked


def complaint_item(complaint: Complaint) -> Item:
    """The complaint as an item of the inbox and of the assignee's notification."""
    return Item(
        source="feedback",
        kind=str(complaint.get_state_display()),
        title=complaint.subject,
        reference=complaint.code,
        url=reverse("feedback:complaint", args=[complaint.code]),
        due_at=complaint.due_at,
        since=complaint.received_at,
    )


# --- Overdue alerts -------------------------------------------------------------------------


def unit_leaders(unit: Unit):
    """The leaders of the people's committee the unit belongs to (and of the unit itself)."""
    units = {unit.pk, unit.locality().pk}
    positions = current_positions(LEADER_ROLES, unit_id__in=units)
    return [p.user for p in positions if p.user.is_active]


def alert_overdue(now: dt.datetime | None = None) -> int:
    """Tell the unit leaders, once, of each complaint whose answer is overdue."""
    now = now or timezone.now()
    alerted = 0
    overdue = Complaint.objects.filter(
        state__in=lifecycle.OPEN_STATES, due_at__lt=now, overdue_alerted_at__isnull=True
    ).select_related("unit")
    for complaint in overdue:
        with transaction.atomic():
            row = Complaint.objects.select_for_update().get(pk=complaint.pk)
            if row.overdue_alerted_at is not None or row.state not in lifecycle.OPEN_STATES:
                continue
            context = {
                "code": row.code,
                "subject": row.subject,
                "unit": complaint.unit.name,
                "due_at": row.due_at,
                "url": reverse("feedback:complaint", args=[row.code]),
            }
            for leader in unit_leaders(complaint.unit):
                notify(
                    leader,
                    "feedback.overdue",
                    context,
                    dedup_key=f"feedback.overdue.{row.pk}.{leader.pk}",
                )
            row.overdue_alerted_at = now
            row.save(update_fields=["overdue_alerted_at"])
            audit.record("feedback.overdue_alert", row, unit_id=row.unit_id, data={})
            alerted += 1
    return alerted
