"""The citizen's answer notice goes out as real mail through the SMTP sink."""

from congso.feedback import services
from congso.notify.services import drain_until_idle


def test_answer_reaches_the_citizen_by_mail(smtp_settings, citizen, tree, officials):
    complaint = services.file_complaint(
        actor=citizen,
        kind="feedback",
        subject="Chậm trả",
        content="Nội dung",
        unit=tree["commune_a"],
    )
    services.act(
        complaint, "answer", actor=officials["specialist_a"], text="Xã đã chấn chỉnh cán bộ."
    )
    drain_until_idle()
    mails = [m for m in smtp_settings.messages if complaint.code in m["Subject"]]
    assert [m["To"] for m in mails] == [citizen.email, citizen.email]
    answer = next(m for m in mails if "Đã trả lời" in m["Subject"])
    assert "Xã đã chấn chỉnh cán bộ." in answer.get_body(("plain",)).get_content()
