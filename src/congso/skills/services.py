"""The only code that changes the skills tables. Each function checks the caller's rights at the
unit, validates, writes in one transaction and leaves an audit record."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.permissions import acting_units, may, scope
from congso.core import audit

from .lessons import Result
from .models import (
    AdultPopulation,
    Attendee,
    Completion,
    Programme,
    Session,
    Team,
    TeamMember,
    Topic,
)

VIEW, MANAGE = "skills.view", "skills.manage"


def _require(user, unit) -> None:
    if not may(user, MANAGE, unit):
        raise PermissionDenied(_("Bạn không quản lý chương trình kỹ năng số của đơn vị này."))


def units_for(user, action: str = MANAGE):
    return acting_units(user, action)


def visible(queryset, user, unit_field: str = "unit"):
    return scope(user, VIEW, queryset, unit_field)


def programmes_for(user):
    """Programmes of the units ``user`` sees and of the units above them: a commune records its
    sessions under the district's programme."""
    paths = set()
    for path in acting_units(user, VIEW).values_list("path", flat=True):
        parts = path.split(".")
        paths.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    return Programme.objects.filter(unit__path__in=paths)


def _text(value, field: str, message: str, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = [message]
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_team(*, actor, unit, name, established_on=None) -> Team:
    _require(actor, unit)
    errors: dict = {}
    name = _text(name, "name", _("Hãy nhập tên tổ."), errors)
    _raise(errors)
    team = Team.objects.create(unit=unit, name=name, established_on=established_on)
    audit.record("skills.team.create", team, unit_id=unit.pk, data={"name": name})
    return team


def clean_phone(value: str) -> str:
    """A phone number without spaces or dots; empty is allowed (the member may have none)."""
    phone = (value or "").replace(" ", "").replace(".", "")
    if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone.lstrip("+")) <= 12):
        raise ValidationError(_("Số điện thoại gồm 10 chữ số, ví dụ 0912345678."))
    return phone


@transaction.atomic
def add_member(*, actor, team, hamlet, name, role="", phone="") -> TeamMember:
    _require(actor, team.unit)
    errors: dict = {}
    hamlet = _text(hamlet, "hamlet", _("Hãy nhập thôn, xóm."), errors)
    name = _text(name, "name", _("Hãy nhập họ và tên."), errors)
    try:
        phone = clean_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    _raise(errors)
    member = TeamMember.objects.create(
        team=team, hamlet=hamlet, name=name, role=(role or "").strip(), phone=phone
    )
    audit.record("skills.member.add", member, unit_id=team.unit_id, data={"team": team.pk})
    return member


@transaction.atomic
def remove_member(*, actor, member) -> None:
    _require(actor, member.team.unit)
    audit.record("skills.member.remove", member, unit_id=member.team.unit_id)
    member.delete()


@transaction.atomic
def create_programme(*, actor, unit, name, start, end, target=0, description="") -> Programme:
    _require(actor, unit)
    errors: dict = {}
    name = _text(name, "name", _("Hãy nhập tên chương trình."), errors)
    if start and end and end < start:
        errors["end"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    if target is not None and target < 0:
        errors["target"] = [_("Chỉ tiêu không được âm.")]
    _raise(errors)
    programme = Programme.objects.create(
        unit=unit, name=name, start=start, end=end, target=target or 0, description=description
    )
    audit.record("skills.programme.create", programme, unit_id=unit.pk, data={"name": name})
    return programme


def _session_errors(programme, unit, topic, date, attendance, attendees) -> dict:
    errors: dict = {}
    if not unit.path.startswith(programme.unit.path):
        errors["unit"] = [_("Xã tổ chức phải thuộc đơn vị của chương trình.")]
    if topic not in Topic.values:
        errors["topic"] = [_("Hãy chọn một trong sáu chủ đề.")]
    if date and not programme.start <= date <= programme.end:
        errors["date"] = [_("Ngày tập huấn phải nằm trong thời gian của chương trình.")]
    if date and date > timezone.localdate():
        errors["date"] = [_("Chỉ ghi nhận buổi tập huấn đã diễn ra.")]
    if attendance is None or attendance < 1:
        errors["attendance"] = [_("Số người tham dự phải từ 1 trở lên.")]
    elif len(attendees) > attendance:
        errors["attendees"] = [_("Danh sách có nhiều người hơn số người tham dự.")]
    return errors


@transaction.atomic
def record_session(
    *,
    actor,
    programme,
    unit,
    topic,
    date,
    place,
    trainer,
    attendance,
    notes="",
    attendees=(),
) -> Session:
    """A session held; ``attendees`` is an optional list of ``(name, birth_year)``."""
    _require(actor, unit)
    attendees = list(attendees)
    errors = _session_errors(programme, unit, topic, date, attendance, attendees)
    place = _text(place, "place", _("Hãy nhập địa điểm."), errors)
    trainer = _text(trainer, "trainer", _("Hãy nhập người hướng dẫn."), errors)
    _raise(errors)
    session = Session.objects.create(
        programme=programme,
        unit=unit,
        topic=topic,
        date=date,
        place=place,
        trainer=trainer,
        attendance=attendance,
        notes=(notes or "").strip(),
        created_by=actor,
    )
    Attendee.objects.bulk_create(
        Attendee(session=session, name=name, birth_year=year) for name, year in attendees
    )
    audit.record(
        "skills.session.record",
        session,
        unit_id=unit.pk,
        data={"topic": topic, "date": date, "attendance": attendance, "listed": len(attendees)},
    )
    return session


@transaction.atomic
def set_adult_population(*, actor, unit, year: int, count: int) -> AdultPopulation:
    _require(actor, unit)
    errors: dict = {}
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Năm không hợp lệ.")]
    if count is None or count < 0:
        errors["count"] = [_("Dân số không được âm.")]
    _raise(errors)
    row, _created = AdultPopulation.objects.update_or_create(
        unit=unit, year=year, defaults={"count": count}
    )
    audit.record("skills.population.set", row, unit_id=unit.pk, data={"year": year, "count": count})
    return row


@transaction.atomic
def record_completion(
    *, actor=None, topic: str, result: Result, session_key: str = "", unit=None, now=None
) -> Completion | None:
    """Count a passed quiz once per learner and topic (a citizen, else a browser session);
    a failed quiz or a repeat changes nothing."""
    if not result.passed or (actor is None and not session_key):
        return None
    learner = {"user": actor} if actor is not None else {"session_key": session_key, "user": None}
    existing = Completion.objects.filter(topic=topic, **learner).first()
    if existing is not None:
        return existing
    completion = Completion.objects.create(
        topic=topic,
        completed_at=now or timezone.now(),
        unit=unit,
        score=result.score,
        total=result.total,
        **learner,
    )
    audit.record(
        "skills.lesson.complete",
        completion,
        unit_id=unit.pk if unit else None,
        data={"topic": topic, "score": result.score, "total": result.total},
    )
    return completion


def completed_topics(user=None, session_key: str = "") -> set[str]:
    if user is not None and user.is_authenticated:
        rows = Completion.objects.filter(user=user)
    elif session_key:
        rows = Completion.objects.filter(session_key=session_key, user=None)
    else:
        return set()
    return set(rows.values_list("topic", flat=True))


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
