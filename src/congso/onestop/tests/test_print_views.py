"""Downloads of forms, register and report over HTTP: who may get what, and clear Vietnamese
answers for forms that do not apply and for bad periods."""

import io

import openpyxl
import pytest
from django.urls import reverse

from congso.accounts.models import Role
from congso.catalog.models import Procedure
from congso.onestop import services

from .conftest import monday_morning


@pytest.fixture
def dossier(demo, intake_for):
    import datetime as dt

    from congso.dashboard import store

    procedure = Procedure.objects.get(code="1.001193")
    received = services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        intake_for(procedure, demo["units"]["Xã Nghi Long"]),
        now=monday_morning(),
    )
    # the report reads the daily facts; the change signal fires on commit, which tests never do
    store.refresh(dt.date(2026, 2, 28), dt.date(2026, 3, 31))
    return received


def form_url(dossier, form):
    return reverse("onestop:form", kwargs={"code": dossier.code, "form": form})


@pytest.fixture
def leader_of_my(demo, official_at):
    """A leader of commune B (Nghi Mỹ): sees Nghi Mỹ, not Nghi Long."""
    return official_at(demo["units"]["Xã Nghi Mỹ"], Role.LEADER)


def test_desk_officer_downloads_the_receipt(client, demo, dossier):
    client.force_login(demo["people"]["motcua.nghilong"])
    response = client.get(form_url(dossier, "01"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert dossier.code in response["Content-Disposition"]


def test_official_of_another_commune_gets_404(client, dossier, leader_of_my):
    client.force_login(leader_of_my)
    for form in ("01", "06", "07"):
        assert client.get(form_url(dossier, form)).status_code == 404


def test_anonymous_is_sent_to_login(client, dossier):
    response = client.get(form_url(dossier, "01"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_form_that_does_not_apply_is_a_vietnamese_404(client, demo, dossier):
    client.force_login(demo["people"]["motcua.nghilong"])
    response = client.get(form_url(dossier, "04"))
    assert response.status_code == 404
    assert "chưa từng được hẹn lại ngày trả kết quả" in response.content.decode()
    response = client.get(form_url(dossier, "99"))
    assert response.status_code == 404 and "Không có mẫu số 99" in response.content.decode()


def test_report_on_screen_is_scoped_and_accessible(client, demo, dossier, leader_of_my):
    long = demo["units"]["Xã Nghi Long"]
    client.force_login(demo["people"]["lanhdao.nghilong"])
    params = {"unit": long.pk, "start": "01/03/2026", "end": "31/03/2026", "by": "unit"}
    response = client.get(reverse("onestop:report"), params)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page
    assert "UBND xã Nghi Long, từ ngày 01/03/2026 đến ngày 31/03/2026" in page
    assert response.context["report"].total["received_desk"] == 1
    client.force_login(leader_of_my)
    refused = client.get(reverse("onestop:report"), params)
    assert refused.status_code == 400
    assert "ngoài phạm vi" in refused.content.decode()
    assert refused.context["report"] is None


def test_report_excel_download(client, demo, dossier, in_background):
    client.force_login(demo["people"]["lanhdao.nghilong"])
    params = {
        "unit": demo["units"]["Xã Nghi Long"].pk,
        "start": "01/03/2026",
        "end": "31/03/2026",
        "by": "procedure",
        "format": "xlsx",
    }
    _page, response = in_background(reverse("onestop:report"), params)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "Tổng cộng" and rows[-2][0].startswith("1.001193")


def test_bad_dates_get_a_vietnamese_message(client, demo):
    client.force_login(demo["people"]["lanhdao.nghilong"])
    unit = demo["units"]["Xã Nghi Long"].pk
    response = client.get(
        reverse("onestop:report"), {"unit": unit, "start": "2026-03-01", "end": "31/02/2026"}
    )
    assert response.status_code == 400
    assert "Ngày phải có dạng dd/mm/yyyy." in response.content.decode()
    response = client.get(
        reverse("onestop:report"), {"unit": unit, "start": "31/03/2026", "end": "01/03/2026"}
    )
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in response.content.decode()


def test_desk_officer_may_not_see_the_report_but_keeps_the_register(
    client, demo, dossier, in_background
):
    desk = demo["people"]["motcua.nghilong"]
    client.force_login(desk)
    assert client.get(reverse("onestop:report")).status_code == 403
    unit = dossier.receiving_unit.pk
    page = client.get(reverse("onestop:register"))
    assert page.status_code == 200 and "Sổ theo dõi hồ sơ" in page.content.decode()
    params = {"unit": unit, "start": "01/03/2026", "end": "31/03/2026"}
    _page, pdf = in_background(reverse("onestop:register"), params | {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.getvalue().startswith(b"%PDF")
    page, xlsx = in_background(reverse("onestop:register"), params | {"format": "xlsx"})
    assert "1 dòng đã ghi" in page.content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert dossier.code in [row[1] for row in sheet.iter_rows(values_only=True)]


def test_register_of_another_commune_is_refused(client, demo, dossier, leader_of_my):
    client.force_login(leader_of_my)
    params = {
        "unit": demo["units"]["Xã Nghi Long"].pk,
        "start": "01/03/2026",
        "end": "31/03/2026",
        "format": "xlsx",
    }
    response = client.get(reverse("onestop:register"), params)
    assert response.status_code == 400 and "ngoài phạm vi" in response.content.decode()


def test_applicant_downloads_own_receipt(client, demo, online_intake_for, citizen):
    procedure = Procedure.objects.get(code="1.001193")
    filed = services.file_online(
        citizen, online_intake_for(procedure, demo["units"]["Xã Nghi Long"]), now=monday_morning()
    )
    client.force_login(citizen)
    assert client.get(form_url(filed, "01")).status_code == 404  # not yet received
    services.transition(
        filed, "accept", actor=demo["people"]["motcua.nghilong"], now=monday_morning()
    )
    assert client.get(form_url(filed, "01")).status_code == 200
