"""Who acts for which unit, who runs a meeting, what each official sees."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from congso.accounts import permissions
from congso.accounts.permissions import roles_for
from congso.accounts.services import current_positions
from congso.org.services import units

from ..models import Invitation, Meeting, Task


def acting_unit_ids(user, action: str) -> set[int]:
    """Units ``user`` may do ``action`` for: the reach of their positions plus, for an office
    (department, desk), the people's committee it belongs to."""
    if user is None or not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_meetings_acting", {})
    if action not in cache:
        reach = permissions.acting_units(user, action).values_list("pk", flat=True)
        organs = permissions.organs_for(user, action).values_list("pk", flat=True)
        cache[action] = set(reach) | set(organs)
    return cache[action]


def may(user, action: str, unit) -> bool:
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    return unit is not None and unit.pk in acting_unit_ids(user, action)


def _require(user, action: str, unit, message: str) -> None:
    if not may(user, action, unit):
        raise PermissionDenied(message)


def may_manage(user, meeting: Meeting) -> bool:
    """The host's secretaries and leaders, the chair and the meeting's secretary run it."""
    return (
        meeting.chair_id == getattr(user, "pk", None)
        or (meeting.secretary_id is not None and meeting.secretary_id == getattr(user, "pk", None))
        or may(user, "meetings.schedule", meeting.host_unit)
    )


def _require_manager(user, meeting: Meeting) -> None:
    if not may_manage(user, meeting):
        raise PermissionDenied(
            _("Chỉ đơn vị chủ trì, chủ trì hoặc thư ký cuộc họp được làm việc này.")
        )


def visible_meetings(user):
    """Meetings ``user`` may see: hosted by or inviting a unit they act for, or theirs to chair."""
    if user is None or not user.is_authenticated:
        return Meeting.objects.none()
    if user.is_superuser:
        return Meeting.objects.all()
    ids = acting_unit_ids(user, "meetings.view")
    condition = Q(host_unit_id__in=ids) | Q(chair=user) | Q(secretary=user)
    invited = Invitation.objects.filter(unit_id__in=ids).values("meeting_id")
    return Meeting.objects.filter(condition | Q(pk__in=invited))


def visible_tasks(user):
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    if user.is_superuser:
        return Task.objects.all()
    ids = acting_unit_ids(user, "meetings.view")
    return Task.objects.filter(
        Q(unit_id__in=ids)
        | Q(conclusion__meeting__host_unit_id__in=ids)
        | Q(conclusion__meeting__chair=user)
    )


def units_to_invite(user):
    """Units a host may invite: the localities and offices under the units it schedules for."""
    ids = acting_unit_ids(user, "meetings.schedule")
    paths = units().filter(pk__in=ids).values_list("path", flat=True)
    condition = Q(pk__in=ids)
    for path in paths:
        condition |= Q(path__startswith=path + ".")
    return units().active().filter(condition).order_by("path")


def people_of(unit_ids, action="meetings.view"):
    """Officials holding a current position at one of the units that grants ``action``."""
    roles = roles_for(None, action)
    positions = current_positions(roles, unit_id__in=list(unit_ids), user__is_active=True)
    people = {}
    for position in positions:
        people.setdefault(position.user_id, (position.user, position.unit_id))
    return list(people.values())
