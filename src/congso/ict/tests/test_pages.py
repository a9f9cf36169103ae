"""ICT pages: the summary and its Excel, the unit page with its forms, scoped by unit."""

import io

import openpyxl
import pytest
from django.urls import reverse

from congso.accounts.tests.support import log_in
from congso.ict.models import Equipment, Investment, NetworkLink

pytestmark = pytest.mark.django_db


def test_a_commune_admin_records_equipment_and_a_link(client, people, tree):
    log_in(client, people["commune_admin"])
    url = reverse("ict:unit", args=[tree["commune_a"].pk])
    answer = client.post(
        url,
        {
            "form": "equipment",
            "equipment-computers": "22",
            "equipment-computers_for_officials": "19",
            "equipment-dual_stack": "partial",
        },
    )
    assert answer.status_code == 302
    assert Equipment.objects.get(unit=tree["commune_a"]).computers == 22
    client.post(url, {"form": "link", "link-kind": "fiber", "link-bandwidth_mbps": "100"})
    assert NetworkLink.objects.get().bandwidth_mbps == 100


def test_errors_come_back_at_the_field(client, people, tree):
    log_in(client, people["commune_admin"])
    url = reverse("ict:unit", args=[tree["commune_a"].pk])
    page = client.post(
        url,
        {
            "form": "equipment",
            "equipment-computers": "2",
            "equipment-computers_for_officials": "5",
            "equipment-dual_stack": "none",
        },
    )
    assert page.status_code == 400
    assert "Không được nhiều hơn tổng số máy tính." in page.content.decode()
    page = client.post(url, {"form": "investment", "investment-year": "x"})
    assert page.status_code == 400 and not Investment.objects.exists()
    assert client.post(url, {"form": "nonsense"}).status_code == 200


def test_scoping(client, people, tree, citizen):
    log_in(client, people["commune_admin"])
    assert client.get(reverse("ict:unit", args=[tree["commune_b"].pk])).status_code == 404
    log_in(client, people["specialist"])
    assert client.get(reverse("ict:summary")).status_code == 403
    log_in(client, citizen)
    assert client.get(reverse("ict:summary")).status_code == 403


def test_the_summary_and_its_excel_hold_the_same_numbers(client, people, tree):
    Equipment.objects.create(unit=tree["commune_a"], computers=12, computers_for_officials=10)
    Investment.objects.create(unit=tree["commune_a"], year=2020, item="Máy tính",
                              planned=1_500_000_000, spent=1_250_000_000)  # fmt: skip
    log_in(client, people["leader"])
    html = client.get(reverse("ict:summary"), {"nam": 2020}).content.decode()
    assert "1.250.000.000 đ" in html
    export = client.get(reverse("ict:summary"), {"nam": 2020, "dinh-dang": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["UBND xã A"][1:3] == (12, 10)
    assert rows["UBND xã A"][-2:] == (1_500_000_000, 1_250_000_000)
    assert rows["UBND huyện Thử"][1] == 0
