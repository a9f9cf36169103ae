"""Each step of an outgoing document tells the next holder (in-app, e-mail over real SMTP, SMS
for urgent ones) and says who that is; the issued copy lands in the recipient clerk's inbox."""

import pytest

from congso.demo.documents import signed_on_demo_phone
from congso.notify.models import Channel, Notification, Preference
from congso.notify.services import drain_until_idle

from .. import services


def _told(user, template="work.arrived"):
    return Notification.objects.filter(user=user, template=template)


def test_submit_tells_the_leader_by_mail_and_names_them(draft, people, smtp_settings):
    document = draft()
    outcome = services.advance(document, "submit", actor=people["specialist"])
    assert outcome.message == "Đã trình lãnh đạo Nguyễn Văn Lãnh duyệt."
    rows = _told(people["leader"])
    assert set(rows.values_list("channel", flat=True)) == {Channel.IN_APP, Channel.EMAIL}
    assert rows.first().url == f"/documents/{document.pk}/"
    assert not _told(people["specialist"]).exists()  # the actor is not told of their own step
    drain_until_idle()
    [mail] = smtp_settings.messages
    assert mail["To"] == people["leader"].email
    assert "Chờ duyệt" in mail["Subject"]
    assert f"/documents/{document.pk}/" in mail.get_content()


def test_each_step_names_the_next_holder_and_issue_reaches_the_commune(draft, people, keys):
    document = draft()
    services.transition(document, "submit", actor=people["specialist"])
    said = services.advance(document, "approve", actor=people["leader"]).message
    assert said == "Đã duyệt; chuyển lãnh đạo Nguyễn Văn Lãnh ký số."
    document = signed_on_demo_phone(document, people["leader"])
    assert _told(people["clerk"]).filter(channel=Channel.IN_APP).count() == 1
    outcome = services.advance(document, "issue", actor=people["clerk"])
    assert outcome.message.startswith(f"Đã cấp số {outcome.subject.notation}")
    # the commune's clerk registers the copy that arrived: told once, in-app and by mail
    assert _told(people["clerk_a"]).filter(channel=Channel.IN_APP).count() == 1


def test_urgent_document_adds_sms_unless_the_official_opted_out(draft, people, sms_sink):
    Preference.objects.create(user=people["leader"], email=False, sms_urgent=True)
    people["leader"].phone = "0912345678"
    people["leader"].save()
    services.transition(draft(urgency=2), "submit", actor=people["specialist"])
    channels = set(_told(people["leader"]).values_list("channel", flat=True))
    assert channels == {Channel.IN_APP, Channel.SMS}
    assert "[Thượng khẩn]" in _told(people["leader"]).get(channel=Channel.SMS).body


def test_returned_draft_goes_back_to_its_drafter(draft, people):
    document = draft()
    services.transition(document, "submit", actor=people["specialist"])
    outcome = services.advance(document, "return", actor=people["leader"], comment="Sửa trích yếu")
    assert outcome.message == "Đã trả lại dự thảo cho người soạn Phạm Văn Pháp sửa."
    assert _told(people["specialist"]).filter(channel=Channel.IN_APP).count() == 1


@pytest.mark.parametrize("name", ["cancel"])
def test_a_step_without_a_next_holder_says_only_what_it_did(draft, people, name):
    outcome = services.advance(draft(), name, actor=people["specialist"])
    assert outcome.message == "Đã huỷ dự thảo." and outcome.holders == ()
