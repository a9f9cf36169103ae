"""Check-in from an endpoint: present, late, refused after the end; absences at the end."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congso.meetings import services
from congso.meetings.models import Endpoint

pytestmark = pytest.mark.django_db


def test_on_time_and_late(scheduled, tree):
    a = services.check_in(
        scheduled, tree["commune_a"], now=scheduled.start - dt.timedelta(minutes=5)
    )
    b = services.check_in(
        scheduled, tree["commune_b"], now=scheduled.start + dt.timedelta(minutes=25)
    )
    assert (a.status, b.status) == ("present", "late")
    again = services.check_in(
        scheduled, tree["commune_a"], now=scheduled.start + dt.timedelta(minutes=40)
    )
    assert again.pk == a.pk and again.status == "present"


def test_check_in_after_the_end_is_refused(scheduled, tree):
    with pytest.raises(ValidationError) as caught:
        services.check_in(scheduled, tree["commune_a"], now=scheduled.end + dt.timedelta(minutes=1))
    assert "Cuộc họp đã kết thúc lúc" in " ".join(caught.value.messages)
    assert not scheduled.attendance.exists()


def test_check_in_when_ended_state(scheduled, tree, people):
    services.transition(scheduled, actor=people["clerk"], action="start")
    services.transition(scheduled, actor=people["clerk"], action="end")
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.check_in(scheduled, tree["commune_a"], now=scheduled.start)


def test_too_early_and_not_invited(scheduled, tree):
    with pytest.raises(ValidationError, match="Chưa đến giờ điểm danh"):
        services.check_in(scheduled, tree["commune_a"], now=scheduled.start - dt.timedelta(hours=3))
    with pytest.raises(ValidationError, match="không có trong danh sách mời"):
        services.check_in(scheduled, tree["department"], now=scheduled.start)


def test_an_official_checks_in_only_their_own_unit(scheduled, tree, people):
    with pytest.raises(PermissionDenied):
        services.check_in(
            scheduled, tree["commune_b"], actor=people["commune_a"], now=scheduled.start
        )
    services.check_in(scheduled, tree["commune_a"], actor=people["commune_a"], now=scheduled.start)


def test_end_records_absences_and_roll_call(scheduled, tree, people):
    services.transition(scheduled, actor=people["clerk"], action="start")
    services.check_in(scheduled, tree["commune_a"], now=scheduled.start)
    services.transition(scheduled, actor=people["clerk"], action="end")
    roll = services.roll_call(scheduled)
    assert roll["counts"] == {"present": 1, "late": 0, "absent": 1, "waiting": 0}
    figures = services.attendance_by_unit([scheduled])
    assert figures[0]["unit__name"] == "UBND xã B" and figures[0]["absent"] == 1


def test_endpoint_token_and_coverage(scheduled, tree, people, official_at):
    admin = official_at(tree["commune_a"], "unit_admin")
    endpoint = services.save_endpoint(
        actor=admin, unit=tree["commune_a"], room="Hội trường UBND xã"
    )
    assert services.endpoint_by_token(endpoint.checkin_token) == endpoint
    services.record_connection_test(endpoint, actor=admin, ok=True)
    with pytest.raises(ValidationError, match="Hãy ghi lỗi"):
        services.record_connection_test(endpoint, actor=admin, ok=False)
    coverage = services.endpoint_coverage([tree["commune_a"], tree["commune_b"]])
    assert (coverage["working"], coverage["total"], coverage["percent"]) == (1, 2, 50)
    with pytest.raises(PermissionDenied):
        services.save_endpoint(actor=admin, unit=tree["commune_b"], room="x")
    assert Endpoint.objects.count() == 1
