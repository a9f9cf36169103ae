"""Filing a complaint, its routing and deadline, the officials' handling and the citizen's
evaluation; every change audited and the citizen told."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core.models import AuditRecord
from congso.core.tests import support
from congso.core.uploads import check_files
from congso.feedback import services
from congso.feedback.lifecycle import ComplaintState
from congso.feedback.models import AttachmentRole, Complaint
from congso.notify.models import Notification

from .conftest import VN, monday_morning

PNG = support.png()


def file(citizen, **fields):
    values = {"kind": "feedback", "subject": "Chậm trả kết quả", "content": "Hẹn nhiều lần."}
    values.update(fields)
    return services.file_complaint(actor=citizen, now=monday_morning(), **values)


def test_complaint_about_a_dossier_goes_to_its_unit(citizen, make_dossier, tree):
    dossier = make_dossier(citizen, unit=tree["commune_b"])
    photo = check_files([SimpleUploadedFile("anh.png", PNG)])
    complaint = file(citizen, dossier_code=dossier.code, files=photo)
    assert complaint.code == "PAKN-260309-0001"
    assert complaint.unit == tree["commune_b"] and complaint.procedure == dossier.procedure
    assert complaint.state == ComplaintState.RECEIVED
    assert complaint.due_at == dt.datetime(2026, 3, 23, 17, tzinfo=VN)
    assert complaint.attachments.get().role == AttachmentRole.COMPLAINT
    assert AuditRecord.objects.filter(action="feedback.file", object_id=str(complaint.pk)).exists()
    notice = Notification.objects.filter(template="feedback.received", user=citizen)
    assert notice.exists() and complaint.code in notice.first().subject


def test_codes_are_consecutive(citizen, tree):
    first = file(citizen, unit=tree["commune_a"])
    second = file(citizen, unit=tree["commune_a"])
    assert (first.code, second.code) == ("PAKN-260309-0001", "PAKN-260309-0002")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "rant", "unit": None}, "kind"),
        ({"subject": "  "}, "subject"),
        ({"content": ""}, "content"),
        ({"unit": None}, "unit"),
        ({"dossier_code": "KHONG-CO"}, "dossier_code"),
        ({"anonymous": True}, "contact_email"),
    ],
)
def test_bad_input_saves_nothing(citizen, tree, fields, field):
    values = {"unit": tree["commune_a"], **fields}
    with pytest.raises(ValidationError) as error:
        file(citizen, **values)
    assert field in error.value.message_dict
    assert not Complaint.objects.exists()


def test_another_citizens_dossier_is_not_found(citizen, other_citizen, make_dossier):
    dossier = make_dossier(other_citizen)
    with pytest.raises(ValidationError, match="Không tìm thấy hồ sơ"):
        file(citizen, dossier_code=dossier.code)


def test_commune_answers_and_citizen_evaluates(citizen, tree, officials):
    complaint = file(citizen, unit=tree["commune_a"])
    complaint = services.act(
        complaint, "assign", actor=officials["leader_a"], assignee=officials["specialist_a"]
    )
    assert complaint.state == ComplaintState.ASSIGNED
    told = Notification.objects.get(
        template="work.arrived", user=officials["specialist_a"], channel="in_app"
    )
    assert told.url == f"/feedback/complaints/{complaint.code}/"
    answered_at = monday_morning() + dt.timedelta(days=2)
    complaint = services.act(
        complaint, "answer", actor=officials["specialist_a"], text="Đã chấn chỉnh.", now=answered_at
    )
    assert complaint.state == ComplaintState.ANSWERED and complaint.on_time is True
    assert complaint.settled_at == answered_at
    assert Notification.objects.filter(template="feedback.answered", user=citizen).exists()
    complaint = services.act(
        complaint, "evaluate", actor=citizen, satisfied=False, text="Chưa thoả"
    )
    assert complaint.state == ComplaintState.CLOSED
    assert complaint.citizen_satisfied is False and complaint.closed_at is not None
    actions = set(
        AuditRecord.objects.filter(object_id=str(complaint.pk)).values_list("action", flat=True)
    )
    assert {"feedback.file", "feedback.assign", "feedback.answer", "feedback.evaluate"} <= actions


def test_late_answer_is_not_on_time(citizen, tree, officials):
    complaint = file(citizen, unit=tree["commune_a"])
    late = complaint.due_at + dt.timedelta(minutes=1)
    complaint = services.act(
        complaint, "answer", actor=officials["desk_a"], text="Trả lời", now=late
    )
    assert complaint.on_time is False


def test_sides_are_kept_apart(citizen, other_citizen, tree, officials):
    complaint = file(citizen, unit=tree["commune_a"])
    with pytest.raises(PermissionDenied):
        services.act(complaint, "answer", actor=citizen, text="Tự trả lời")
    with pytest.raises(PermissionDenied):
        services.act(complaint, "answer", actor=officials["specialist_b"], text="Xã khác")
    with pytest.raises(PermissionDenied):
        services.act(complaint, "withdraw", actor=other_citizen)
    with pytest.raises(PermissionDenied):
        services.act(complaint, "withdraw", actor=officials["specialist_a"])
    # the district leader oversees the commune's complaints
    done = services.act(
        complaint, "reject", actor=officials["district_leader"], text="Không thuộc xã"
    )
    assert done.state == ComplaintState.REJECTED


def test_refusals_change_nothing(citizen, tree, officials):
    complaint = file(citizen, unit=tree["commune_a"])
    with pytest.raises(ValidationError, match="nội dung trả lời"):
        services.act(complaint, "answer", actor=officials["specialist_a"], text="  ")
    with pytest.raises(ValidationError, match="thuộc đơn vị"):
        services.act(
            complaint, "assign", actor=officials["leader_a"], assignee=officials["specialist_b"]
        )
    with pytest.raises(ValidationError, match="Không thể"):
        services.act(complaint, "evaluate", actor=citizen, satisfied=True)
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED and complaint.revision == 1


def test_stale_revision_is_a_conflict(citizen, tree, officials):
    complaint = file(citizen, unit=tree["commune_a"])
    services.act(complaint, "answer", actor=officials["specialist_a"], text="Một", revision=1)
    with pytest.raises(services.Conflict):
        services.act(complaint, "close", actor=officials["specialist_a"], revision=1)


def test_withdrawn_complaint_is_settled(citizen, tree):
    complaint = services.act(file(citizen, unit=tree["commune_a"]), "withdraw", actor=citizen)
    assert complaint.state == ComplaintState.WITHDRAWN and complaint.settled_at is not None


def test_overdue_alerts_the_leaders_once(citizen, tree, officials):
    complaint = file(citizen, unit=tree["commune_a"])
    answered = file(citizen, unit=tree["commune_a"])
    services.act(answered, "answer", actor=officials["specialist_a"], text="Xong")
    after = complaint.due_at + dt.timedelta(hours=1)
    assert services.alert_overdue(now=after) == 1
    assert services.alert_overdue(now=after) == 0
    alerted = Notification.objects.filter(template="feedback.overdue").values_list(
        "user", flat=True
    )
    assert set(alerted) == {officials["leader_a"].pk}
    assert services.alert_overdue(now=complaint.due_at - dt.timedelta(hours=1)) == 0
