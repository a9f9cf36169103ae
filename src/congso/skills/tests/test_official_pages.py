"""Officials' pages: scoped by unit, errors at the field, the coverage report and its Excel."""

import io

import openpyxl
import pytest
from django.urls import reverse

from congso.accounts.tests.support import log_in
from congso.skills.models import Session, Team

pytestmark = pytest.mark.django_db


def _session_data(programme, unit, **extra):
    return {
        "programme": programme.pk,
        "unit": unit.pk,
        "topic": "public_services",
        "date": programme.start.strftime("%d/%m/%Y"),
        "place": "Hội trường UBND xã",
        "trainer": "Bưu điện huyện",
        "attendance": "30",
        "attendees": "Nguyễn Văn A, 1958\nTrần Thị B",
    } | extra


def test_a_commune_official_records_a_session_with_attendance(client, people, programme, tree):
    log_in(client, people["commune_a"])
    answer = client.post(reverse("skills:session_new"), _session_data(programme, tree["commune_a"]))
    session = Session.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("skills:session", args=[session.pk])
    assert session.attendance == 30 and session.attendees.count() == 2
    page = client.get(answer.url).content.decode()
    assert "Nguyễn Văn A (1958)" in page


def test_errors_come_back_at_the_field(client, people, programme, tree):
    log_in(client, people["commune_a"])
    bad = _session_data(
        programme, tree["commune_a"], attendance="1", attendees="A, 1950\nB, 1951", date="1/1/2001"
    )
    page = client.post(reverse("skills:session_new"), bad)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Ngày tập huấn phải nằm trong thời gian của chương trình." in html
    assert not Session.objects.exists()
    bad = _session_data(programme, tree["commune_a"], attendees="Nguyễn Văn A, 12345")
    page = client.post(reverse("skills:session_new"), bad)
    assert "Dòng 1 chưa đúng dạng" in page.content.decode()


def test_a_neighbours_commune_is_not_offered(client, people, programme, tree):
    log_in(client, people["commune_a"])
    page = client.post(reverse("skills:session_new"), _session_data(programme, tree["commune_b"]))
    assert page.status_code == 400 and not Session.objects.exists()


def test_another_communes_session_and_team_are_404(client, people, record, tree):
    session = record("commune_b")
    team = Team.objects.create(unit=tree["commune_b"], name="Tổ B")
    log_in(client, people["commune_a"])
    assert client.get(reverse("skills:session", args=[session.pk])).status_code == 404
    assert client.get(reverse("skills:team", args=[team.pk])).status_code == 404
    log_in(client, people["leader"])
    assert client.get(reverse("skills:session", args=[session.pk])).status_code == 200


def test_citizens_and_strangers_are_kept_out(client, citizen):
    assert client.get(reverse("skills:coverage")).status_code == 302
    log_in(client, citizen)
    for name in ("skills:coverage", "skills:teams", "skills:programmes", "skills:session_new"):
        assert client.get(reverse(name)).status_code == 403, name


def test_teams_and_members(client, people, tree):
    log_in(client, people["commune_a"])
    answer = client.post(
        reverse("skills:teams"), {"unit": tree["commune_a"].pk, "name": "Tổ công nghệ số xã A"}
    )
    team = Team.objects.get()
    assert answer.status_code == 302
    url = reverse("skills:team", args=[team.pk])
    page = client.post(url, {"hamlet": "", "name": "Hồ Văn D", "phone": "abc"})
    assert page.status_code == 400 and "Số điện thoại gồm 10 chữ số" in page.content.decode()
    client.post(url, {"hamlet": "Xóm 3", "name": "Hồ Văn D", "phone": "0987654321"})
    member = team.members.get()
    client.post(reverse("skills:member_remove", args=[member.pk]))
    assert not team.members.exists()


def test_coverage_goes_up_with_a_session_and_exports_the_same_numbers(
    client, people, record, tree, year_start
):
    log_in(client, people["leader"])
    client.post(
        reverse("skills:population"),
        {"unit": tree["commune_a"].pk, "year": year_start.year, "count": 200},
    )
    record("commune_a", "email", 30)
    record("commune_a", "internet", 20)
    page = client.get(reverse("skills:coverage"), {"nam": year_start.year})
    html = page.content.decode()
    assert f'data-total="{tree["commune_a"].pk}">50<' in html
    assert "25,0" in html  # 50 of 200 adults, Vietnamese decimal comma
    export = client.get(reverse("skills:coverage"), {"nam": year_start.year, "dinh-dang": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["UBND xã A"][1:] == (20, 30, 0, 0, 0, 0, 50, 200, 25.0)
    assert rows["UBND xã B"][7] == 0


def test_a_commune_official_sees_only_their_commune_in_coverage(client, people, record, year_start):
    record("commune_b", "email", 9)
    log_in(client, people["commune_a"])
    html = client.get(reverse("skills:coverage"), {"nam": year_start.year}).content.decode()
    assert "UBND xã A" in html and "UBND xã B" not in html


def test_the_workspace_offers_the_tools(people):
    from congso.accounts.workspace import tools_for

    labels = [label for tools in tools_for(people["commune_a"]).values() for label, _ in tools]
    assert "Độ phủ kỹ năng số" in labels
