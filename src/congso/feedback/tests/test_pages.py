"""The citizens' and officials' pages, end to end through the Django test client."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from congso.core.tests import support
from congso.feedback import services
from congso.feedback.lifecycle import ComplaintState
from congso.feedback.models import Complaint, Rating

PNG = support.png()


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_citizen_rates_on_the_page(as_user, citizen, make_dossier):
    dossier = make_dossier(citizen)
    client = as_user(citizen)
    url = reverse("feedback:rate", args=[dossier.code])
    page = client.get(url)
    assert page.status_code == 200 and "Thái độ, tinh thần phục vụ của cán bộ" in page.text
    bad = client.post(url, {"comment": "x"})
    assert bad.status_code == 200 and "Hãy chọn mức độ hài lòng." in bad.text
    assert not Rating.objects.exists()
    done = client.post(url, {"overall": "unsatisfied", "score_time": "0"}, follow=True)
    assert "Cảm ơn bạn đã đánh giá" in done.text and "Không hài lòng" in done.text
    assert Rating.objects.get().scores == {"time": 0}


def test_unfinished_dossier_page_says_why(as_user, citizen, make_dossier):
    dossier = make_dossier(citizen, state="processing")
    page = as_user(citizen).get(reverse("feedback:rate", args=[dossier.code]))
    assert (
        "Chỉ đánh giá được hồ sơ đã có kết quả" in page.text
        and '<form method="post" novalidate' not in page.text
    )


def test_citizen_files_with_attachment_and_sees_it_listed(as_user, citizen, make_dossier):
    dossier = make_dossier(citizen)
    client = as_user(citizen)
    form = client.get(reverse("feedback:complaint_new") + f"?dossier={dossier.code}")
    assert f'value="{dossier.code}"' in form.text
    photo = io.BytesIO(PNG)
    photo.name = "anh.png"
    done = client.post(
        reverse("feedback:complaint_new"),
        {
            "kind": "feedback",
            "dossier_code": dossier.code,
            "subject": "Chậm",
            "content": "Nội dung",
            "files": [photo],
        },
        follow=True,
    )
    complaint = Complaint.objects.get()
    assert f"Đã gửi phản ánh, kiến nghị {complaint.code}" in done.text
    download = client.get(reverse("feedback:attachment", args=[complaint.attachments.get().pk]))
    assert download.status_code == 200 and download.getvalue() == PNG
    mine = client.get(reverse("feedback:my_complaints"))
    assert complaint.code in mine.text


def test_bad_upload_is_refused_at_the_field(as_user, citizen, tree):
    fake = io.BytesIO(b"MZ not a picture")
    fake.name = "anh.png"
    page = as_user(citizen).post(
        reverse("feedback:complaint_new"),
        {
            "kind": "feedback",
            "unit": tree["commune_a"].pk,
            "subject": "A",
            "content": "B",
            "files": [fake],
        },
    )
    assert "không đúng định dạng" in page.text and not Complaint.objects.exists()


def test_official_queue_answer_and_report(as_user, citizen, tree, officials):
    complaint = services.file_complaint(
        actor=citizen, kind="suggestion", subject="Thêm ghế", content="Đông", unit=tree["commune_a"]
    )
    other = services.file_complaint(
        actor=citizen, kind="feedback", subject="Xã B", content="Nội dung", unit=tree["commune_b"]
    )
    client = as_user(officials["specialist_a"])
    queue = client.get(reverse("feedback:queue"))
    assert complaint.code in queue.text and other.code not in queue.text
    empty = client.post(
        reverse("feedback:complaint_act", args=[complaint.code, "answer"]), {"text": ""}
    )
    assert empty.status_code == 400
    done = client.post(
        reverse("feedback:complaint_act", args=[complaint.code, "answer"]),
        {"text": "Đã bố trí thêm ghế.", "revision": "1"},
        follow=True,
    )
    assert "Đã bố trí thêm ghế." in done.text
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.ANSWERED
    # the specialist of commune B does not see commune A's complaint
    assert (
        as_user(officials["specialist_b"])
        .get(reverse("feedback:complaint", args=[complaint.code]))
        .status_code
        == 404
    )
    report = as_user(officials["leader_a"]).get(reverse("feedback:report"))
    assert report.status_code == 200 and "UBND xã A" in report.text
    today = timezone.localdate()
    year = {"start": f"{today - dt.timedelta(days=365):%d/%m/%Y}", "end": f"{today:%d/%m/%Y}"}
    xlsx = as_user(officials["leader_a"]).get(
        reverse("feedback:report"), {**year, "by": "unit", "format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Đơn vị / thủ tục" and rows[2][0] == "UBND xã A" and rows[2][6] == 1


def test_report_needs_a_leader(as_user, officials, citizen):
    assert as_user(officials["specialist_a"]).get(reverse("feedback:report")).status_code == 403
    assert as_user(citizen).get(reverse("feedback:queue")).status_code == 403


def test_report_with_bad_period_says_so(as_user, officials):
    page = as_user(officials["leader_a"]).get(
        reverse("feedback:report") + "?start=31/03/2026&end=01/03/2026"
    )
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in page.text


def test_workspace_offers_the_tools(as_user, officials):
    page = as_user(officials["leader_a"]).get(reverse("accounts:workspace"))
    assert reverse("feedback:queue") in page.text and reverse("feedback:report") in page.text


def test_transparency_page_is_public_and_anonymous(client, citizen, tree):
    services.file_complaint(
        actor=citizen,
        kind="feedback",
        subject="Bí mật riêng",
        content="Nội dung",
        unit=tree["commune_a"],
    )
    page = client.get(reverse("feedback:transparency"))
    assert page.status_code == 200 and "UBND xã A" in page.text
    assert "Bí mật riêng" not in page.text and citizen.get_full_name() not in page.text


def test_anonymous_sender_is_hidden_from_officials(as_user, citizen, tree, officials):
    complaint = services.file_complaint(
        actor=citizen,
        kind="feedback",
        subject="Ẩn danh",
        content="Nội dung",
        unit=tree["commune_a"],
        anonymous=True,
        contact_email="hopthu@example.vn",
    )
    page = as_user(officials["specialist_a"]).get(
        reverse("feedback:complaint", args=[complaint.code])
    )
    assert "hopthu@example.vn" in page.text and citizen.get_full_name() not in page.text


def test_desk_kiosk_lists_unrated_dossiers_of_the_unit(
    as_user, citizen, make_dossier, tree, officials
):
    waiting = make_dossier(None)
    rated = make_dossier(citizen)
    services.rate(rated, actor=citizen, overall="satisfied")
    elsewhere = make_dossier(None, unit=tree["commune_b"])
    client = as_user(officials["desk_a"])
    page = client.get(reverse("feedback:desk"))
    assert waiting.code in page.text
    assert rated.code not in page.text and elsewhere.code not in page.text
    client.post(reverse("feedback:rate", args=[waiting.code]), {"overall": "very_satisfied"})
    assert Rating.objects.get(dossier=waiting).channel == "desk"
    assert as_user(officials["specialist_a"]).get(reverse("feedback:desk")).status_code == 403
