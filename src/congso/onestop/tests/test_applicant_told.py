"""The applicant is told too (issue 17): every step by e-mail (walk-in) or in their account; a
supplement requested, the result ready and a late dossier's apology by SMS as well, the apology
with its letter (form 04) attached; a citizen with an account chooses the channels.

Legal basis: Decree 61/2018/NĐ-CP art. 19 and Circular 01/2018/TT-VPCP form 04 (the agency
that is late apologises to the applicant in writing with a new date)."""

import base64
import datetime as dt

import pytest
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.notify.models import Channel, Notification, Preference
from congso.onestop import results, services
from congso.portal.examples import BIRTH_ANSWERS

from .conftest import VN, monday_morning


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=VN)


def _told(dossier) -> list[tuple[str, str, str]]:
    """(channel, address or user, event) of every notice about ``dossier``, oldest first."""
    rows = Notification.objects.filter(template="onestop.status", context__code=dossier.code)
    return [
        (r.channel, r.address or r.user.username, r.context["event"]) for r in rows.order_by("id")
    ]


@pytest.fixture
def at_specialist(demo, intake_for):
    """A walk-in (e-mail and phone given at the desk) at the specialist's step, due Thursday
    12/03/2026 17:00."""
    desk = demo["people"]["motcua.nghilong"]
    intake = intake_for(Procedure.objects.get(code="1.004873"), demo["units"]["Xã Nghi Long"])
    dossier = services.receive_at_desk(desk, intake, now=monday_morning())
    return services.transition(dossier, "start", actor=desk, now=at(9, 9))


def test_a_walk_in_hears_of_each_step_by_mail_and_of_a_supplement_by_sms_too(demo, at_specialist):
    specialist = demo["people"]["congchuc.nghilong"]
    asked = services.transition(
        at_specialist,
        "request_supplement",
        actor=specialist,
        items=["Tờ khai"],
        note="Thiếu chữ ký",
        now=at(10, 9),
    )
    told = _told(asked)
    assert told[0] == (Channel.EMAIL, "mai@example.vn", "Hồ sơ đã được tiếp nhận")
    supplement = [t for t in told if t[2] == "Yêu cầu bổ sung"]
    assert {(c, a) for c, a, _ in supplement} == {
        (Channel.EMAIL, "mai@example.vn"),
        (Channel.SMS, "+84912345000"),
    }
    assert not [t for t in told if t[0] == Channel.SMS and t not in supplement]


def test_a_late_dossiers_apology_reaches_the_applicant_with_its_letter(demo, at_specialist):
    leader = demo["people"]["lanhdao.nghilong"]
    services.transition(
        at_specialist,
        "apologise",
        actor=leader,
        note="Chờ xác minh nơi cư trú",
        new_due_at=at(17, 17),
        now=at(12, 9),
    )
    rows = Notification.objects.filter(
        context__code=at_specialist.code, context__event="Xin lỗi và hẹn lại ngày trả"
    )
    mail, sms = rows.get(channel=Channel.EMAIL), rows.get(channel=Channel.SMS)
    assert "17/03/2026" in mail.body and "Chờ xác minh nơi cư trú" in mail.body
    (letter,) = mail.attachments
    assert letter["filename"] == f"phieu-xin-loi-{at_specialist.code}.pdf"
    assert base64.b64decode(letter["base64"]).startswith(b"%PDF")
    assert sms.address == "+84912345000" and not sms.attachments


def test_an_account_holder_is_told_by_the_channels_they_chose(
    demo, online_intake_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    people = demo["people"]
    citizen, desk, specialist, leader = (
        people[n]
        for n in ("congdan.an", "motcua.nghilong", "congchuc.nghilong", "lanhdao.nghilong")
    )
    Preference.objects.create(user=citizen, email=False, sms_urgent=True)
    birth = Procedure.objects.get(code="1.001193")
    intake = online_intake_for(birth, demo["units"]["Xã Nghi Long"], form_data=BIRTH_ANSWERS)
    dossier = services.file_online(citizen, intake, now=monday_morning())
    dossier = services.transition(dossier, "accept", actor=desk, now=at(9, 9))
    dossier = services.transition(
        dossier, "start", actor=desk, assignee=specialist.pk, now=at(9, 10)
    )
    results.draft(dossier, specialist)
    dossier.refresh_from_db()
    dossier = services.transition(dossier, "forward", actor=specialist, opinion="Đủ điều kiện")
    services.transition(dossier, "approve", actor=leader)
    told = _told(dossier)
    assert (Channel.IN_APP, "congdan.an", "Phê duyệt kết quả") in told
    assert not [t for t in told if t[0] == Channel.EMAIL]  # e-mail turned off
    assert [t[2] for t in told if t[0] == Channel.SMS] == [
        "Hồ sơ đã được nộp trực tuyến, chờ tiếp nhận",
        "Phê duyệt kết quả",
    ]


def test_a_citizen_chooses_the_channels_on_their_preferences_page(client, demo):
    citizen = demo["people"]["congdan.binh"]
    client.force_login(citizen)
    page = client.get(reverse("notify:preferences"))
    assert "khi cần bổ sung hồ sơ" in page.content.decode()
    client.post(reverse("notify:preferences"), {"sms_urgent": "on"})
    saved = Preference.objects.get(user=citizen)
    assert (saved.email, saved.sms_urgent) == (False, True)
