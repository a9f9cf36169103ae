"""The calendar pages: the public year page and the administrators' management page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congso.accounts.models import Role
from congso.core.models import AuditRecord
from congso.worktime.models import CalendarException
from congso.worktime.services import add_exception

pytestmark = pytest.mark.django_db

MANAGE = reverse("worktime:manage")
YEAR = reverse("worktime:year")


def _post(client, **fields):
    data = {"date": "02/01/2026", "kind": "day_off", "reason": "Nghỉ Tết Dương lịch"} | fields
    return client.post(f"{MANAGE}?year=2026", data)


def test_urls():
    assert MANAGE == "/calendar/manage/"
    assert YEAR == "/calendar/"


def test_anonymous_is_sent_to_login(client):
    response = client.get(MANAGE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.DESK_OFFICER, Role.LEADER])
def test_non_admins_get_403(client, tree, official_at, role):
    client.force_login(official_at(tree["district"], role))
    assert client.get(MANAGE).status_code == 403
    assert _post(client).status_code == 403
    assert not CalendarException.objects.exists()


def test_citizen_gets_403(client, citizen):
    client.force_login(citizen)
    assert client.get(MANAGE).status_code == 403


def test_admin_sees_the_year(admin_client):
    add_exception(date=dt.date(2026, 1, 2), kind="day_off", reason="Nghỉ Tết Dương lịch 2026")
    response = admin_client.get(MANAGE, {"year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quản lý lịch làm việc năm 2026" in page
    assert "Tháng 12/2026" in page
    assert "Nghỉ Tết Dương lịch 2026" in page
    assert "Tết Nguyên Đán" in page
    assert reverse("worktime:delete_exception", args=[CalendarException.objects.get().pk]) in page


def test_admin_adds_an_exception(admin_client):
    response = _post(admin_client, legal_basis="12729/VPCP-KGVX")
    assert response.status_code == 302
    assert response["Location"] == f"{MANAGE}?year=2026"
    item = CalendarException.objects.get()
    assert (item.date, item.kind, item.legal_basis) == (
        dt.date(2026, 1, 2),
        "day_off",
        "12729/VPCP-KGVX",
    )
    record = AuditRecord.objects.get(action="worktime.exception.add")
    assert record.actor == "quantri"
    follow = admin_client.get(response["Location"])
    assert "Đã thêm ngày 02/01/2026: Ngày nghỉ thêm." in follow.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2026-01-02"}, "Ngày phải viết theo dạng dd/mm/yyyy"),
        ({"date": "31/02/2026"}, "Ngày phải viết theo dạng dd/mm/yyyy"),
        ({"date": ""}, "Vui lòng nhập ngày."),
        ({"kind": "holiday"}, "Loại ngày không hợp lệ."),
        ({"reason": ""}, "Vui lòng nhập lý do."),
        ({"date": "07/03/2026"}, "vốn là ngày nghỉ hằng tuần; không thể đặt thành ngày nghỉ thêm"),
        ({"date": "17/02/2026"}, "đã là ngày nghỉ lễ (Tết Nguyên Đán)"),
        (
            {"date": "09/03/2026", "kind": "working_day"},
            "thứ Hai 09/03/2026 vốn đã là ngày làm việc",
        ),
    ],
)
def test_bad_input_shows_a_vietnamese_error_and_saves_nothing(admin_client, fields, message):
    response = _post(admin_client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Có lỗi cần sửa" in response.content.decode()
    assert not CalendarException.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="worktime.").exists()


def test_admin_deletes_an_exception(admin_client):
    item = add_exception(date=dt.date(2026, 1, 2), kind="day_off", reason="Nghỉ")
    url = reverse("worktime:delete_exception", args=[item.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302 and response["Location"] == f"{MANAGE}?year=2026"
    assert not CalendarException.objects.exists()
    assert AuditRecord.objects.filter(action="worktime.exception.remove").count() == 1
    assert admin_client.post(url).status_code == 404


def test_non_admin_cannot_delete(client, tree, official_at):
    item = add_exception(date=dt.date(2026, 1, 2), kind="day_off", reason="Nghỉ")
    client.force_login(official_at(tree["district"], Role.SPECIALIST))
    response = client.post(reverse("worktime:delete_exception", args=[item.pk]))
    assert response.status_code == 403
    assert CalendarException.objects.filter(pk=item.pk).exists()


def test_year_page_is_public(client):
    add_exception(date=dt.date(2026, 1, 10), kind="working_day", reason="Làm bù cho 02/01/2026")
    response = client.get(YEAR, {"year": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lịch làm việc năm 2026" in page
    assert "Làm bù cho 02/01/2026" in page
    assert "Quốc khánh" in page
    assert "Xoá" not in page


@pytest.mark.parametrize("year", ["abc", "1800", "2101"])
def test_bad_year_shows_this_year_with_a_message(client, year):
    response = client.get(YEAR, {"year": year})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đang hiển thị năm hiện tại." in page
    assert f"Lịch làm việc năm {timezone.localdate().year}" in page
