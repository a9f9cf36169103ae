"""What a briefing leaves in a commune official's inbox (core.awaiting): the invitation to
answer before the meeting, then the task the conclusion assigned."""

import datetime as dt

import pytest

from congso.core import awaiting
from congso.meetings import services

pytestmark = pytest.mark.django_db


def _waiting(user) -> list[tuple[str, str]]:
    _count, items = awaiting.awaiting(user)
    return [(item.kind, item.title) for item in items if item.source == "meetings"]


def test_an_unanswered_invitation_waits_until_answered(scheduled, people):
    invitation = scheduled.invitations.get(unit__name=people["commune_a"].positions.get().unit.name)
    assert ("Giấy mời chưa trả lời", scheduled.title) in _waiting(people["commune_a"])
    services.respond(invitation, actor=people["commune_a"], response="accepted")
    assert _waiting(people["commune_a"]) == []


def test_a_conclusions_task_waits_for_its_unit_only(scheduled, people, tree):
    services.transition(scheduled, actor=people["clerk"], action="start")
    services.transition(scheduled, actor=people["clerk"], action="end")
    services.add_conclusion(
        scheduled,
        actor=people["clerk"],
        text="Hoàn thành số hoá hồ sơ hộ tịch",
        units=[tree["commune_a"]],
        due_date=dt.date(2030, 3, 11),
        today=dt.date(2030, 3, 4),
    )
    assert ("Nhiệm vụ được giao", "Hoàn thành số hoá hồ sơ hộ tịch") in _waiting(
        people["commune_a"]
    )
    assert ("Nhiệm vụ được giao", "Hoàn thành số hoá hồ sơ hộ tịch") not in _waiting(
        people["commune_b"]
    )
